// The review queue's data and what each item shows: the application's facts, the answers,
// the underwriting view (score, band, identity check, the reasons in staff wording) and the quoted
// premium.
import { Fragment } from "react";
import { useInfiniteQuery, useQuery, type QueryClient } from "@tanstack/react-query";
import type { Api } from "../../api/client";
import { unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { useApi } from "../../context";
import { formatDateTime, formatMoney, t, tMaybe, type MessageKey } from "../../i18n";
import { staffReason, staffReasonKey } from "./reasons";

export type ReviewItem = components["schemas"]["ReviewItem"];
export type ReviewStatus = "REFERRED" | "UNDER_REVIEW";
export const REVIEW_STATUSES: readonly ReviewStatus[] = ["REFERRED", "UNDER_REVIEW"];
export const QUEUE_PAGE = 20;
const FIND_PAGE = 50;
/** How far the decision page looks for an application opened by its address alone. */
const FIND_MAX_PAGES = 20;

export function isReviewStatus(value: string | null): value is ReviewStatus {
  return value === "REFERRED" || value === "UNDER_REVIEW";
}

export function queueKey(status?: ReviewStatus) {
  return status ? ["agent", "queue", status] : ["agent", "queue"];
}

/** The queue, oldest first (the API's order), a page at a time. */
export function useReviewQueue(status: ReviewStatus) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: queueKey(status),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/admin/applications", {
          params: { query: { status, limit: QUEUE_PAGE, ...(pageParam ? { nextToken: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (last) => last.nextToken ?? undefined,
  });
}

/** An item already in the cached queue (opened from the list), if any. */
function cachedItem(queries: QueryClient, applicationId: string): ReviewItem | undefined {
  for (const [, data] of queries.getQueriesData<{ pages: { items: ReviewItem[] }[] }>({ queryKey: queueKey() })) {
    const found = data?.pages.flatMap((page) => page.items).find((i) => i.applicationId === applicationId);
    if (found) return found;
  }
  return undefined;
}

/** There is no staff read of one application: an address opened on its own pages the queue for it. */
async function findInQueue(api: Api, applicationId: string): Promise<ReviewItem | null> {
  for (const status of REVIEW_STATUSES) {
    let token: string | undefined;
    for (let n = 0; n < FIND_MAX_PAGES; n += 1) {
      const page = await unwrap(
        api.GET("/admin/applications", {
          params: { query: { status, limit: FIND_PAGE, ...(token ? { nextToken: token } : {}) } },
        }),
      );
      const found = page.items.find((i) => i.applicationId === applicationId);
      if (found) return found;
      if (!page.nextToken) break;
      token = page.nextToken;
    }
  }
  return null;
}

export function useReviewItem(applicationId: string, queries: QueryClient) {
  const api = useApi();
  return useQuery({
    queryKey: ["agent", "review", applicationId],
    queryFn: () => findInQueue(api, applicationId),
    initialData: () => cachedItem(queries, applicationId),
    staleTime: 30_000,
  });
}

/** Product names from the public catalogue; the id itself until (or unless) it answers. */
export function useProductNames(): (productId: string) => string {
  const api = useApi();
  const products = useQuery({
    queryKey: ["agent", "products"],
    queryFn: () => unwrap(api.GET("/products", { params: { query: { limit: 50 } } })),
    staleTime: 10 * 60_000,
  });
  return (productId) => products.data?.items.find((p) => p.productId === productId)?.name ?? productId;
}

const DECLARATION_KEYS: Record<keyof ReviewItem["declarations"], MessageKey> = {
  hospitalizedLast5Years: "agent.answers.hospitalized",
  chronicCondition: "agent.answers.chronic",
  hazardousActivities: "agent.answers.hazardous",
  previouslyDeclined: "agent.answers.declinedBefore",
};

function yesNo(value: boolean | null | undefined): string {
  if (value === null || value === undefined) return t("agent.unknown");
  return value ? t("form.yes") : t("form.no");
}

/** The facts of one application under review, as a description list and the reasons. */
export function ReviewFacts({ item, productName }: { item: ReviewItem; productName: string }) {
  const risk = item.risk;
  return (
    <>
      <dl className="facts">
        <dt>{t("agent.review.product")}</dt>
        <dd>{productName}</dd>
        <dt>{t("agent.review.coverage")}</dt>
        <dd>{item.coverageOptionCode}</dd>
        <dt>{t("agent.review.state")}</dt>
        <dd>{item.state}</dd>
        <dt>{t("agent.review.status")}</dt>
        <dd>{tMaybe(`agent.status.${item.status}`, item.status)}</dd>
        <dt>{t("agent.review.submitted")}</dt>
        <dd>{formatDateTime(item.submittedAt)}</dd>
        <dt>{t("agent.review.quoted")}</dt>
        <dd>
          {t("agent.review.quotedValue", {
            monthly: formatMoney(item.quotedMonthlyPremium),
            annual: formatMoney(item.quotedAnnualPremium),
          })}
        </dd>
        <dt>{t("agent.review.score")}</dt>
        <dd>{risk?.score ?? t("agent.unknown")}</dd>
        <dt>{t("agent.review.band")}</dt>
        <dd>{risk?.band ?? t("agent.unknown")}</dd>
        <dt>{t("agent.review.identity")}</dt>
        <dd>
          {risk?.identityVerified === true
            ? t("agent.review.identityVerified")
            : risk?.identityVerified === false
              ? t("agent.review.identityNotVerified")
              : t("agent.unknown")}
        </dd>
        {(Object.keys(DECLARATION_KEYS) as (keyof typeof DECLARATION_KEYS)[]).map((name) => (
          <Fragment key={name}>
            <dt>{t(DECLARATION_KEYS[name])}</dt>
            <dd>{yesNo(item.declarations[name])}</dd>
          </Fragment>
        ))}
      </dl>
      {risk ? (
        <>
          <h3 className="h3">{t("agent.review.reasons")}</h3>
          <ul>
            {risk.reasonCodes.length > 0 ? (
              risk.reasonCodes.map((code) => (
                <li key={code}>
                  {staffReason(code)}
                  {/* The code beside its words, to look up with the bureau; a code without words names itself. */}
                  {staffReasonKey(code) ? (
                    <>
                      {" "}
                      <code className="muted">{code}</code>
                    </>
                  ) : null}
                </li>
              ))
            ) : (
              <li>{t("agent.reason.none")}</li>
            )}
          </ul>
        </>
      ) : null}
      {item.reviewNote ? <p className="muted">{t("agent.review.note", { note: item.reviewNote })}</p> : null}
    </>
  );
}
