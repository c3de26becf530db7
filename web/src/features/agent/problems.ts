// The API's refusals as an agent reads them: translated text chosen by the stable error code,
// the API's own (English) message kept beside it, since it often names the exact rule.
import { isApiError } from "../../api/errors";
import { t, type MessageKey } from "../../i18n";

const BY_CODE: Record<string, MessageKey> = {
  own_application: "agent.problem.ownApplication",
  application_not_found: "agent.problem.applicationNotFound",
  invalid_application_state: "agent.problem.alreadyDecided",
  customer_not_found: "agent.problem.customerNotFound",
  query_not_found: "agent.problem.queryNotFound",
  validation_error: "agent.problem.invalid",
  invalid_parameter: "agent.problem.invalid",
  invalid_next_token: "agent.problem.invalidNextToken",
  throttled: "agent.problem.throttled",
  http_429: "agent.problem.throttled",
  forbidden: "agent.problem.forbidden",
  http_403: "agent.problem.forbidden",
  waf_blocked: "agent.problem.blocked",
  unauthorized: "agent.problem.signIn",
  http_401: "agent.problem.signIn",
};

export interface Problem {
  /** What the agent reads, in their language. */
  text: string;
  /** The API's message (or the failure's), for the record; null when there is none. */
  detail: string | null;
  /** The stable code, when the API gave one. */
  code: string | null;
}

export function problemOf(error: unknown): Problem {
  if (isApiError(error)) {
    const key = BY_CODE[error.code] ?? (error.status >= 500 ? "agent.problem.server" : "agent.problem.other");
    return { text: t(key), detail: error.message || null, code: error.code };
  }
  const detail = error instanceof Error ? error.message : error ? String(error) : null;
  return { text: t("agent.problem.network"), detail, code: null };
}

/** True when the API said the caller may not do this (the portal only hides what it shows). */
export function isRefusedAccess(error: unknown): boolean {
  return isApiError(error) && error.status === 403 && error.code !== "own_application";
}
