// The agent pages' gate and their refusals. The portal shows agent pages to agents and admins
// only, but the API decides: its refusal reads the same as the portal's own "not allowed".
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { hasRole } from "../../auth/roles";
import { Page } from "../../components/Page";
import { Empty, Loading } from "../../components/States";
import { useUser } from "../../context";
import { t } from "../../i18n";
import { isRefusedAccess, problemOf } from "./problems";
import "./agent.css";

export function NotAllowed() {
  return (
    <Page title={t("agent.notAllowed.title")}>
      <div className="card" role="alert">
        <p>{t("agent.notAllowed.text")}</p>
        <p>
          <Link to="/">{t("state.backHome")}</Link>
        </p>
      </div>
    </Page>
  );
}

/** An agent page, or "not allowed" for anyone whose token carries neither agents nor admins. */
export function AgentOnly({ children }: { children: ReactNode }) {
  const user = useUser();
  return hasRole(user, "agent") ? <>{children}</> : <NotAllowed />;
}

/** A refusal or failure: the translated text by code, the API's own message beside it. */
export function ProblemBox({ error, onRetry }: { error: unknown; onRetry?: (() => void) | undefined }) {
  if (!error) return null;
  const problem = problemOf(error);
  return (
    <div className="error-box" role="alert" data-code={problem.code ?? undefined}>
      <p>{problem.text}</p>
      {problem.detail ? <p className="problem-detail">{t("agent.problem.detail", { message: problem.detail })}</p> : null}
      {onRetry && !isRefusedAccess(error) ? (
        <button type="button" className="secondary" onClick={onRetry}>
          {t("state.retry")}
        </button>
      ) : null}
    </div>
  );
}

/** A query's loading, error and empty states around what its data renders. */
export function AgentQueryState<T>({
  query,
  children,
  isEmpty,
  empty,
}: {
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <ProblemBox error={query.error} onRetry={() => void query.refetch()} />;
  if (isEmpty?.(query.data)) return <Empty>{empty}</Empty>;
  return <>{children(query.data)}</>;
}

/** "Load more" under a paginated list, while the API says there is more. */
export function LoadMore({
  hasMore,
  loading,
  onMore,
}: {
  hasMore: boolean;
  loading: boolean;
  onMore: () => void;
}) {
  if (!hasMore) return null;
  return (
    <div className="pager">
      <button type="button" className="secondary" disabled={loading} onClick={onMore}>
        {loading ? t("state.loading") : t("agent.loadMore")}
      </button>
    </div>
  );
}
