// The agent console as the staff pieces know it (features/staff/access.tsx): its role, its
// "not allowed" and problem texts.
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { t } from "../../i18n";
import { type StaffArea, StaffOnly, StaffProblem, StaffQueryState } from "../staff/access";
import { isRefusedAccess, problemOf } from "./problems";
import "./agent.css";

const AREA: StaffArea = {
  role: "agent",
  notAllowedTitle: "agent.notAllowed.title",
  notAllowedText: "agent.notAllowed.text",
  problemDetail: "agent.problem.detail",
  problemOf,
  isRefusedAccess,
};

export function AgentOnly({ children }: { children: ReactNode }) {
  return <StaffOnly area={AREA}>{children}</StaffOnly>;
}

export function ProblemBox({ error, onRetry }: { error: unknown; onRetry?: (() => void) | undefined }) {
  return <StaffProblem area={AREA} error={error} onRetry={onRetry} />;
}

export function AgentQueryState<T>(props: {
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
}) {
  return <StaffQueryState area={AREA} {...props} />;
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
