// The API's refusals as an agent reads them (features/staff/problems.ts): the agent console's texts.
import { isApiError } from "../../api/errors";
import type { MessageKey } from "../../i18n";
import { problemFrom, type Problem } from "../staff/problems";

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

export function problemOf(error: unknown): Problem {
  return problemFrom(
    {
      byCode: BY_CODE,
      server: "agent.problem.server",
      other: "agent.problem.other",
      network: "agent.problem.network",
    },
    error,
  );
}

/** True when the API said the caller may not do this (the portal only hides what it shows). */
export function isRefusedAccess(error: unknown): boolean {
  return isApiError(error) && error.status === 403 && error.code !== "own_application";
}
