// The admin pages' gate and their refusals. The portal shows admin pages to admins only, but
// the API decides: a refusal from it reads the same as the portal's own "not allowed".
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { hasRole } from "../../auth/roles";
import { Page } from "../../components/Page";
import { Empty, Loading } from "../../components/States";
import { useUser } from "../../context";
import { t } from "../../i18n";
import { isRefusedAccess, problemOf } from "./problems";
import "./admin.css";

export function NotAllowed() {
  return (
    <Page title={t("admin.notAllowed.title")}>
      <div className="card" role="alert">
        <p>{t("admin.notAllowed.text")}</p>
        <p>
          <Link to="/">{t("state.backHome")}</Link>
        </p>
      </div>
    </Page>
  );
}

/** An admin page, or "not allowed" for anyone whose token does not carry the admins group. */
export function AdminOnly({ children }: { children: ReactNode }) {
  const user = useUser();
  return hasRole(user, "admin") ? <div className="admin-console">{children}</div> : <NotAllowed />;
}

/** A refusal or failure: the translated text by code, the API's message as its detail. */
export function ProblemBox({ error, onRetry }: { error: unknown; onRetry?: (() => void) | undefined }) {
  if (!error) return null;
  const problem = problemOf(error);
  return (
    <div className="error-box" role="alert" data-code={problem.code ?? undefined}>
      <p>{problem.text}</p>
      {problem.detail ? (
        <p className="problem-detail">{t("admin.problem.detail", { message: problem.detail })}</p>
      ) : null}
      {onRetry && !isRefusedAccess(error) ? (
        <button type="button" className="secondary" onClick={onRetry}>
          {t("state.retry")}
        </button>
      ) : null}
    </div>
  );
}

/** A query's loading, error and empty states around what its data renders. */
export function AdminQueryState<T>({
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
