// One payment attempt: its Idempotency-Key and card token, kept in this tab until it ends, so
// a retry after an outage or a reload sends the same key and can never charge twice.

export interface Attempt {
  key: string;
  paymentMethod: string;
}

const PREFIX = "salesportal.payment.";

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export function savedAttempt(policyId: string): Attempt | null {
  const raw = window.sessionStorage.getItem(PREFIX + policyId);
  return raw ? (JSON.parse(raw) as Attempt) : null;
}

export function saveAttempt(policyId: string, attempt: Attempt): void {
  window.sessionStorage.setItem(PREFIX + policyId, JSON.stringify(attempt));
}

export function endAttempt(policyId: string): void {
  window.sessionStorage.removeItem(PREFIX + policyId);
}
