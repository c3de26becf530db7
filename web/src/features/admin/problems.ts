// The API's refusals as an admin reads them: translated text chosen by the stable error code,
// the API's own (English) message kept beside it as the detail.
import { isApiError } from "../../api/errors";
import { t, type MessageKey } from "../../i18n";

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

export interface Problem {
  /** What the admin reads, in their language. */
  text: string;
  /** The API's message (or the failure's), for the record; null when there is none. */
  detail: string | null;
  /** The stable code, when the API gave one. */
  code: string | null;
}

export function problemOf(error: unknown): Problem {
  if (isApiError(error)) {
    const key = BY_CODE[error.code] ?? (error.status >= 500 ? "admin.problem.server" : "admin.problem.other");
    return { text: t(key), detail: error.message || null, code: error.code };
  }
  const detail = error instanceof Error ? error.message : error ? String(error) : null;
  return { text: t("admin.problem.network"), detail, code: null };
}

/** True when the API said the caller may not do this (the portal only hides what it shows). */
export function isRefusedAccess(error: unknown): boolean {
  return isApiError(error) && error.status === 403;
}
