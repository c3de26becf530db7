// The API's refusals as an admin reads them (features/staff/problems.ts): the admin console's texts.
import { isApiError } from "../../api/errors";
import type { MessageKey } from "../../i18n";
import { problemFrom, type Problem } from "../staff/problems";

const BY_CODE: Record<string, MessageKey> = {
  own_admin_role: "admin.problem.ownAdminRole",
  own_account: "admin.problem.ownAccount",
  user_not_found: "admin.problem.userNotFound",
  sync_run_not_found: "admin.problem.syncRunNotFound",
  invalid_parameter: "admin.problem.invalidParameter",
  validation_error: "admin.problem.invalidParameter",
  invalid_next_token: "admin.problem.invalidNextToken",
  service_unavailable: "admin.problem.unavailable",
  throttled: "admin.problem.throttled",
  http_429: "admin.problem.throttled",
  forbidden: "admin.problem.forbidden",
  http_403: "admin.problem.forbidden",
  waf_blocked: "admin.problem.blocked",
  unauthorized: "admin.problem.signIn",
  http_401: "admin.problem.signIn",
};

export function problemOf(error: unknown): Problem {
  return problemFrom(
    {
      byCode: BY_CODE,
      server: "admin.problem.server",
      other: "admin.problem.other",
      network: "admin.problem.network",
    },
    error,
  );
}

/** True when the API said the caller may not do this (the portal only hides what it shows). */
export function isRefusedAccess(error: unknown): boolean {
  return isApiError(error) && error.status === 403;
}
