// An underwriting reason code as staff read it. The decision's reasons are the sentences the
// customer reads ("You told us…"); staff are shown the review item's stable codes (risk.reasonCodes)
// in their own wording instead, in the portal's language. The codes are those of
// salesportal.domain.underwriting; reasons.test.ts fails when it gains one missing here.
import { t, type MessageKey } from "../../i18n";

/** The bureau's and the identity check's own codes, as underwriting's REASON_TEXT names them. */
export const CODE_WORDING: Readonly<Record<string, MessageKey>> = {
  tobacco_use: "agent.reason.tobaccoUse",
  minor_violations: "agent.reason.minorViolations",
  major_violations: "agent.reason.majorViolations",
  identity_not_found: "agent.reason.identityNotFound",
  ssn_mismatch: "agent.reason.ssnMismatch",
};

/** A declaration the bureau weighed is ``declared_<question>``; keyed by the question folded as
 * underwriting folds it (lower case, no underscores), so either spelling of a question reads the same. */
export const DECLARATION_WORDING: Readonly<Record<string, MessageKey>> = {
  hospitalizedlast5years: "agent.reason.declaredHospitalized",
  chroniccondition: "agent.reason.declaredChronic",
  hazardousactivities: "agent.reason.declaredHazardous",
  previouslydeclined: "agent.reason.declaredDeclinedBefore",
};

export const DECLARED_PREFIX = "declared_";

const folded = (question: string) => question.replaceAll("_", "").toLowerCase();
// Own keys only: a code such as "constructor" is a code without words, not Object's property.
const own = (table: Readonly<Record<string, MessageKey>>, key: string) => (Object.hasOwn(table, key) ? table[key]! : null);

/** The catalogue key of a code's staff wording, or null for a code the portal has no words for. */
export function staffReasonKey(code: string): MessageKey | null {
  if (code.startsWith(DECLARED_PREFIX)) {
    return own(DECLARATION_WORDING, folded(code.slice(DECLARED_PREFIX.length)));
  }
  return own(CODE_WORDING, code);
}

/** A reason code in staff wording; a code without words is named as it came, never dropped. */
export function staffReason(code: string): string {
  const key = staffReasonKey(code);
  if (key) return t(key);
  if (code.startsWith(DECLARED_PREFIX)) {
    return t("agent.reason.declaredOther", { question: code.slice(DECLARED_PREFIX.length) });
  }
  return t("agent.reason.other", { code });
}
