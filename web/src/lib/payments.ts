// Card tokenization the way a payment gateway's browser SDK does it: the card goes from the
// browser to the gateway with the publishable key, and only the token reaches our API.
import type { PortalConfig } from "../config";

export interface Card {
  number: string;
  expMonth: string;
  expYear: string;
  cvc: string;
}

export class CardError extends Error {
  readonly field: keyof Card | null;
  /** The gateway's code (incorrect_number, invalid_cvc, ...), shown translated. */
  readonly code: string | null;
  constructor(message: string, field: keyof Card | null, code: string | null = null) {
    super(message);
    this.name = "CardError";
    this.field = field;
    this.code = code;
  }
}

const PARAM_TO_FIELD: Record<string, keyof Card> = {
  "card[number]": "number",
  "card[exp_month]": "expMonth",
  "card[exp_year]": "expYear",
  "card[cvc]": "cvc",
};

export async function tokenizeCard(config: PortalConfig, card: Card): Promise<string> {
  const form = new URLSearchParams({
    key: config.paymentsPublishableKey,
    "card[number]": card.number.replace(/[\s-]/g, ""),
    "card[exp_month]": card.expMonth,
    "card[exp_year]": card.expYear,
    "card[cvc]": card.cvc,
  });
  let response: Response;
  try {
    // A form post, as the gateways' SDKs send it: a simple CORS request, no preflight.
    response = await fetch(`${config.paymentsUrl}/v1/tokens`, { method: "POST", body: form });
  } catch {
    throw new CardError("offline", null);
  }
  const body = (await response.json().catch(() => ({}))) as {
    id?: string;
    error?: { message?: string; param?: string; code?: string };
  };
  if (!response.ok || !body.id) {
    const param = body.error?.param ?? "";
    throw new CardError(
      body.error?.message ?? `HTTP ${response.status}`,
      PARAM_TO_FIELD[param] ?? null,
      body.error?.code ?? null,
    );
  }
  return body.id;
}
