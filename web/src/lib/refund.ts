// The refund a cancellation would give, shown before the customer confirms. The same rule
// as the API's (salesportal.domain.proration): paid x unused days / term days, rounded down.
import type { Policy } from "../api/types";

const DAY_MS = 86_400_000;

function days(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function proratedRefundCents(paidCents: number, termStart: string, termEnd: string, effective: string): number {
  const termDays = days(termStart, termEnd);
  if (paidCents <= 0 || termDays <= 0) return 0;
  const start = effective > termStart ? effective : termStart;
  const unused = Math.max(0, days(start, termEnd));
  return Math.floor((paidCents * unused) / termDays);
}

/** Every paid term's unused part: the current term if active, a paid renewal too. */
export function estimateRefundCents(policy: Policy, effective: string): number {
  let total = 0;
  if (policy.status === "ACTIVE") {
    total += proratedRefundCents(policy.annualPremium.amountCents, policy.termStart, policy.termEnd, effective);
  }
  const renewal = policy.renewal;
  if (renewal && renewal.status === "PAID") {
    total += proratedRefundCents(renewal.annualPremium.amountCents, renewal.termStart, renewal.termEnd, effective);
  }
  return total;
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
