// The admin console as the staff pieces know it (features/staff/access.tsx): its role, its
// "not allowed" and problem texts, its scoped styles.
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { type StaffArea, StaffOnly, StaffProblem, StaffQueryState } from "../staff/access";
import { isRefusedAccess, problemOf } from "./problems";
import "./admin.css";

const AREA: StaffArea = {
  role: "admin",
  notAllowedTitle: "admin.notAllowed.title",
  notAllowedText: "admin.notAllowed.text",
  problemDetail: "admin.problem.detail",
  problemOf,
  isRefusedAccess,
  className: "admin-console",
};

export function AdminOnly({ children }: { children: ReactNode }) {
  return <StaffOnly area={AREA}>{children}</StaffOnly>;
}

export function ProblemBox({ error, onRetry }: { error: unknown; onRetry?: (() => void) | undefined }) {
  return <StaffProblem area={AREA} error={error} onRetry={onRetry} />;
}

export function AdminQueryState<T>(props: {
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
}) {
  return <StaffQueryState area={AREA} {...props} />;
}
