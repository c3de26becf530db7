// A reviewer's decision as the API states its rules (DecisionRequest in the OpenAPI): the
// premium adjustment in basis points within fixed bounds, a reason of 3 to 500 characters
// once trimmed, and no adjustment on a decline. The API checks again (a deployment may allow
// a narrower range): what it refuses is shown too.
import type { components } from "../../api/schema";

export type DecisionRequest = components["schemas"]["DecisionRequest"];
export type Outcome = DecisionRequest["outcome"];

/** DecisionRequest.premiumAdjustmentBps's minimum and maximum (domain/underwriting.py). */
export const ADJUSTMENT_MIN_BPS = -2500;
export const ADJUSTMENT_MAX_BPS = 10_000;
export const REASON_MIN = 3;
export const REASON_MAX = 500;

export interface DecisionDraft {
  outcome: Outcome | "";
  /** Percent as typed ("10", "-2.5", "+15"); empty means no change. */
  adjustmentPercent: string;
  reason: string;
}

export type DecisionProblem =
  | "outcomeRequired"
  | "adjustmentFormat"
  | "adjustmentRange"
  | "adjustmentOnDecline"
  | "reasonRequired"
  | "reasonTooLong";

export type DecisionProblems = Partial<Record<"outcome" | "premiumAdjustmentBps" | "reason", DecisionProblem>>;

const PERCENT = /^[+-]?\d{1,3}(?:[.,]\d{1,2})?$/;

/** Percent text to basis points (2 decimals at most, so always whole bps), or null if not a number. */
export function percentToBps(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === "") return 0;
  if (!PERCENT.test(trimmed)) return null;
  const negative = trimmed.startsWith("-");
  const [whole = "0", fraction = ""] = trimmed.replace(/^[+-]/, "").split(/[.,]/);
  const bps = Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
  return negative ? -bps : bps;
}

/** What is wrong with a draft, by the API's field names; empty when it can be sent. */
export function checkDecision(draft: DecisionDraft): DecisionProblems {
  const problems: DecisionProblems = {};
  if (draft.outcome === "") problems.outcome = "outcomeRequired";
  const bps = percentToBps(draft.adjustmentPercent);
  if (bps === null) problems.premiumAdjustmentBps = "adjustmentFormat";
  else if (draft.outcome === "DECLINE" && bps !== 0) problems.premiumAdjustmentBps = "adjustmentOnDecline";
  else if (bps < ADJUSTMENT_MIN_BPS || bps > ADJUSTMENT_MAX_BPS) problems.premiumAdjustmentBps = "adjustmentRange";
  const reason = draft.reason.trim();
  // Counted as the API counts (code points), not UTF-16 units.
  const length = [...reason].length;
  if (length < REASON_MIN) problems.reason = "reasonRequired";
  else if (length > REASON_MAX) problems.reason = "reasonTooLong";
  return problems;
}

/** The body to send for a draft that passed checkDecision. */
export function toRequest(draft: DecisionDraft): DecisionRequest {
  const outcome = draft.outcome === "" ? "DECLINE" : draft.outcome;
  const bps = outcome === "APPROVE" ? (percentToBps(draft.adjustmentPercent) ?? 0) : 0;
  return { outcome, reason: draft.reason.trim(), premiumAdjustmentBps: bps };
}

/** ``cents`` moved by ``bps`` basis points, rounded half up: the API's arithmetic (adjust()). */
export function adjustCents(cents: number, bps: number): number {
  return Math.floor((cents * (10_000 + bps) + 5_000) / 10_000);
}

/** A basis-point amount as a signed percent number (+10, -2.5) for the reader's locale. */
export function bpsToPercent(bps: number): number {
  return bps / 100;
}
