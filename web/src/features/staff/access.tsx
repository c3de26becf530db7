// The staff consoles' gate and their refusals. The portal shows a console's pages only to the
// roles it is for, but the API decides: a refusal from it reads the same as the portal's own
// "not allowed". Each console describes itself once (a StaffArea) and uses these pieces.
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { hasRole, type Role } from "../../auth/roles";
import { Page } from "../../components/Page";
import { Empty, Loading } from "../../components/States";
import { useUser } from "../../context";
import { t, type MessageKey } from "../../i18n";
import type { Problem } from "./problems";

export interface StaffArea {
  role: Role;
  notAllowedTitle: MessageKey;
  notAllowedText: MessageKey;
  problemDetail: MessageKey; // "{message}": the API's own words beside the translated text
  problemOf(error: unknown): Problem;
  /** The API refused the caller (not a rule of the request): no point in retrying. */
  isRefusedAccess(error: unknown): boolean;
  className?: string;
}

export function NotAllowed({ area }: { area: StaffArea }) {
  return (
    <Page title={t(area.notAllowedTitle)}>
      <div className="card" role="alert">
        <p>{t(area.notAllowedText)}</p>
        <p>
          <Link to="/">{t("state.backHome")}</Link>
        </p>
      </div>
    </Page>
  );
}

/** The console's page, or "not allowed" for anyone whose token lacks the console's role. */
export function StaffOnly({ area, children }: { area: StaffArea; children: ReactNode }) {
  const user = useUser();
  if (!hasRole(user, area.role)) return <NotAllowed area={area} />;
  return area.className ? <div className={area.className}>{children}</div> : <>{children}</>;
}

/** A refusal or failure: the translated text by code, the API's message as its detail. */
export function StaffProblem({
  area,
  error,
  onRetry,
}: {
  area: StaffArea;
  error: unknown;
  onRetry?: (() => void) | undefined;
}) {
  if (!error) return null;
  const problem = area.problemOf(error);
  return (
    <div className="error-box" role="alert" data-code={problem.code ?? undefined}>
      <p>{problem.text}</p>
      {problem.detail ? <p className="problem-detail">{t(area.problemDetail, { message: problem.detail })}</p> : null}
      {onRetry && !area.isRefusedAccess(error) ? (
        <button type="button" className="secondary" onClick={onRetry}>
          {t("state.retry")}
        </button>
      ) : null}
    </div>
  );
}

export interface QueryStateProps<T> {
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
}

/** A query's loading, error and empty states around what its data renders. */
export function StaffQueryState<T>({ area, query, children, isEmpty, empty }: QueryStateProps<T> & { area: StaffArea }) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <StaffProblem area={area} error={query.error} onRetry={() => void query.refetch()} />;
  if (isEmpty?.(query.data)) return <Empty>{empty}</Empty>;
  return <>{children(query.data)}</>;
}
