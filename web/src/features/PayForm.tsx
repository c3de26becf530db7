// Paying a premium: the card is tokenized at the gateway, our API gets the token and one
// Idempotency-Key per attempt, the same key again when the attempt is retried.
import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorText, fromBody, type ApiError } from "../api/errors";
import type { Money, Payment, Policy } from "../api/types";
import { TextField } from "../components/Field";
import { Loading } from "../components/States";
import { useApi, useServices } from "../context";
import { currentLanguage, formatMoney, hasKey, t } from "../i18n";
import { endAttempt, newIdempotencyKey, saveAttempt, savedAttempt, type Attempt } from "../lib/attempt";
import { CardError, tokenizeCard, type Card } from "../lib/payments";

// Outcomes keep what happened (codes), not sentences, so a language switch rewords them.
type Outcome =
  | { kind: "idle" }
  | { kind: "working" }
  | { kind: "succeeded" }
  | { kind: "processing" }
  | { kind: "declined"; declineCode: string | null }
  | { kind: "outage"; error?: ApiError }
  | { kind: "failed"; error: ApiError };

function declineText(declineCode: string | null): string {
  const key = `decline.${declineCode ?? ""}`;
  return t("pay.declined", { reason: hasKey(key) ? t(key) : t("error.payment_declined") });
}

/** The gateway's word on a card field: translated by its code; its own English otherwise. */
export function cardErrorText(error: CardError): string {
  const key = `card.${error.code ?? ""}`;
  if (hasKey(key)) return t(key);
  return currentLanguage() === "en" && error.message ? error.message : t("card.invalid");
}

function outcomeText(outcome: Outcome): string | null {
  if (outcome.kind === "declined") return declineText(outcome.declineCode);
  if (outcome.kind === "outage") return outcome.error ? errorText(outcome.error) : t("pay.outage");
  if (outcome.kind === "failed") return errorText(outcome.error);
  return null;
}

interface PayFormProps {
  policy: Policy;
  due: Money;
  onProcessing: () => void;
  onPaid: () => void;
}

export function PayForm({ policy, due, onProcessing, onPaid }: PayFormProps) {
  const api = useApi();
  const { config } = useServices();
  const queries = useQueryClient();
  const [card, setCard] = useState<Card>({ number: "", expMonth: "", expYear: "", cvc: "" });
  const [cardErrors, setCardErrors] = useState<Partial<Record<keyof Card, CardError>>>({});
  const [outcome, setOutcome] = useState<Outcome>({ kind: "idle" });
  // An attempt cut short (outage, reload) is retried with its key and token, not a new card.
  const [pending, setPending] = useState<Attempt | null>(() => savedAttempt(policy.policyId));

  async function pay(attempt: Attempt) {
    let response: Response;
    let body: unknown;
    try {
      const result = await api.POST("/policies/{policyId}/payments", {
        params: { path: { policyId: policy.policyId }, header: { "Idempotency-Key": attempt.key } },
        body: { paymentMethod: attempt.paymentMethod },
      });
      response = result.response;
      body = result.error ?? result.data;
    } catch {
      setOutcome({ kind: "outage" });
      return;
    }
    if (response.status === 201 || response.status === 202) {
      endAttempt(policy.policyId);
      setPending(null);
      const payment = body as Payment;
      if (response.status === 202 || payment.status === "PROCESSING") {
        setOutcome({ kind: "processing" });
        onProcessing();
      } else {
        setOutcome({ kind: "succeeded" });
        onPaid();
      }
      await queries.invalidateQueries({ queryKey: ["policy", policy.policyId] });
      void queries.invalidateQueries({ queryKey: ["policies"] });
      return;
    }
    const error = fromBody(response.status, body);
    if (response.status === 503 || response.status === 504 || error.code === "payment_in_progress") {
      // The attempt stays: the retry sends the same key, so it cannot charge twice.
      setOutcome(error.code === "payment_in_progress" ? { kind: "outage", error } : { kind: "outage" });
      return;
    }
    endAttempt(policy.policyId);
    setPending(null);
    if (response.status === 402) {
      setOutcome({ kind: "declined", declineCode: declineCodeOf(error) });
    } else {
      setOutcome({ kind: "failed", error });
      if (error.code === "nothing_due") void queries.invalidateQueries({ queryKey: ["policy", policy.policyId] });
    }
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setOutcome({ kind: "working" });
    setCardErrors({});
    if (pending) {
      await pay(pending);
      return;
    }
    let token: string;
    try {
      token = await tokenizeCard(config, card);
    } catch (error) {
      if (error instanceof CardError && error.field) {
        setCardErrors({ [error.field]: error });
        setOutcome({ kind: "idle" });
      } else {
        setOutcome({ kind: "outage" });
      }
      return;
    }
    const attempt = { key: newIdempotencyKey(), paymentMethod: token };
    saveAttempt(policy.policyId, attempt);
    setPending(attempt);
    setCard({ number: "", expMonth: "", expYear: "", cvc: "" });
    await pay(attempt);
  }

  if (outcome.kind === "succeeded") {
    return null; // the policy page says so: it outlives this form
  }
  if (outcome.kind === "processing") {
    return <Loading label={t("pay.processing")} />;
  }
  const amount = formatMoney(due);
  const message = outcomeText(outcome);
  const cardError = (field: keyof Card) => {
    const error = cardErrors[field];
    return error ? cardErrorText(error) : undefined;
  };
  return (
    <form className="form card" onSubmit={(event) => void onSubmit(event)} noValidate aria-labelledby="pay-title">
      <h2 id="pay-title">{t("pay.title")}</h2>
      <p>{t("pay.amount", { amount })}</p>
      {pending ? null : (
        <>
          <p className="muted">{t("pay.cardSafe")}</p>
          <TextField label={t("pay.cardNumber")} name="cardnumber" required inputMode="numeric"
            autoComplete="cc-number" value={card.number} onChange={(number) => setCard({ ...card, number })}
            error={cardError("number")} />
          <div className="row">
            <TextField label={t("pay.expMonth")} name="exp-month" required inputMode="numeric" maxLength={2}
              autoComplete="cc-exp-month" value={card.expMonth} onChange={(expMonth) => setCard({ ...card, expMonth })}
              error={cardError("expMonth")} />
            <TextField label={t("pay.expYear")} name="exp-year" required inputMode="numeric" maxLength={4}
              autoComplete="cc-exp-year" value={card.expYear} onChange={(expYear) => setCard({ ...card, expYear })}
              error={cardError("expYear")} />
            <TextField label={t("pay.cvc")} name="cvc" required inputMode="numeric" maxLength={4}
              autoComplete="cc-csc" value={card.cvc} onChange={(cvc) => setCard({ ...card, cvc })}
              error={cardError("cvc")} />
          </div>
        </>
      )}
      <div aria-live="assertive">
        {message ? (
          <div className="error-box" role="alert" data-outcome={outcome.kind}>
            <p>{message}</p>
          </div>
        ) : null}
      </div>
      <button type="submit" disabled={outcome.kind === "working"}>
        {outcome.kind === "working" ? t("form.submitting") : pending ? t("pay.retry") : t("pay.submit", { amount })}
      </button>
    </form>
  );
}

function declineCodeOf(error: ApiError): string | null {
  const details = error.details;
  if (typeof details !== "object" || details === null) return null;
  const code = (details as { declineCode?: unknown }).declineCode;
  return typeof code === "string" ? code : null;
}
