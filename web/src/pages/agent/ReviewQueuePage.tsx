// The underwriting review queue, oldest first: each referred application's facts, the
// underwriting view and the quoted premium, a page at a time; open one to decide it.
import { Link, useLocation, useSearchParams } from "react-router";
import { SelectField } from "../../components/Field";
import { Page } from "../../components/Page";
import { Empty, Loading } from "../../components/States";
import { AgentOnly, LoadMore, ProblemBox } from "../../features/agent/access";
import {
  REVIEW_STATUSES,
  ReviewFacts,
  isReviewStatus,
  useProductNames,
  useReviewQueue,
  type ReviewStatus,
} from "../../features/agent/review";
import { t } from "../../i18n";

export default function ReviewQueuePage() {
  return (
    <AgentOnly>
      <ReviewQueue />
    </AgentOnly>
  );
}

/** What the decision page says on its way back here. */
export interface DecidedNotice {
  decided?: { outcome: "APPROVED" | "DECLINED"; label: string };
}

function ReviewQueue() {
  const [params, setParams] = useSearchParams();
  const requested = params.get("status");
  const status: ReviewStatus = isReviewStatus(requested) ? requested : "REFERRED";
  const queue = useReviewQueue(status);
  const productName = useProductNames();
  const notice = (useLocation().state as DecidedNotice | null)?.decided;
  const items = queue.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Page title={t("agent.review.title")}>
      {notice ? (
        <p className="success" role="status">
          {t(notice.outcome === "APPROVED" ? "agent.decide.approvedNotice" : "agent.decide.declinedNotice", {
            application: notice.label,
          })}
        </p>
      ) : null}
      <p>{t("agent.review.intro")}</p>
      <div className="filters">
        <SelectField
          label={t("agent.review.show")}
          name="status"
          value={status}
          onChange={(value) => setParams(value === "REFERRED" ? {} : { status: value })}
          options={REVIEW_STATUSES.map((s) => ({ value: s, label: t(`agent.status.${s}`) }))}
        />
      </div>
      {queue.isPending ? <Loading /> : null}
      {queue.isError ? <ProblemBox error={queue.error} onRetry={() => void queue.refetch()} /> : null}
      {queue.isSuccess && items.length === 0 && !queue.hasNextPage ? <Empty>{t("agent.review.none")}</Empty> : null}
      {items.length > 0 ? (
        <>
          <p className="muted" aria-live="polite">
            {t("agent.review.shown", { count: items.length })}
          </p>
          <ol className="list">
            {items.map((item) => {
              const name = productName(item.productId);
              return (
                <li key={item.applicationId} className="card queue-item">
                  <h2>
                    <Link to={`/agent/review/${item.applicationId}`}>
                      {t("agent.review.open", { product: name, coverage: item.coverageOptionCode })}
                    </Link>
                  </h2>
                  <ReviewFacts item={item} productName={name} />
                </li>
              );
            })}
          </ol>
        </>
      ) : null}
      <LoadMore
        hasMore={queue.hasNextPage}
        loading={queue.isFetchingNextPage}
        onMore={() => void queue.fetchNextPage()}
      />
    </Page>
  );
}
