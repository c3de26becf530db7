// One drug plan: costs, features, "mail me this plan" (no account needed), compare.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";
import { unwrap } from "../api/client";
import { ApiError } from "../api/errors";
import type { MailRequest } from "../api/types";
import { SelectField, TextField } from "../components/Field";
import { Page } from "../components/Page";
import { FormError, QueryState } from "../components/States";
import { useApi } from "../context";
import { planValue } from "../features/catalogText";
import { US_STATES } from "../features/riskQuestions";
import { formatMoney, t, tMaybe } from "../i18n";
import { useDraft } from "../lib/draft";

export default function PlanPage() {
  const { planId = "" } = useParams();
  const api = useApi();
  const plan = useQuery({
    queryKey: ["plan", planId],
    queryFn: () => unwrap(api.GET("/plans/{planId}", { params: { path: { planId } } })),
  });
  return (
    <QueryState query={plan}>
      {(found) => (
        <Page title={found.planName}>
          <div className="card">
            <p className="muted">{found.insurerName}</p>
            {found.description ? <p>{found.description}</p> : null}
            <p className="price">{t("plans.monthly", { amount: formatMoney(found.monthlyCost) })}</p>
            <p>
              {t("plans.copay", { amount: formatMoney(found.copay) })} ·{" "}
              {t("plans.deductible", { amount: formatMoney(found.annualDeductible) })}
            </p>
            <p>{t("plan.estimated", { amount: formatMoney(found.estimatedAnnualCost) })}</p>
            <p>{t("plan.ages", { min: found.minAge, max: found.maxAge })}</p>
            <h2>{t("plan.features")}</h2>
            <ul>
              {Object.entries(found.features).map(([key, value]) => (
                <li key={key}>
                  {tMaybe(`feature.${key}`, key)}: {planValue(value)}
                </li>
              ))}
            </ul>
            <Link className="button" to={`/plans/${found.planId}/compare`}>
              {t("plan.compare")}
            </Link>
          </div>
          <MailForm planId={found.planId} />
        </Page>
      )}
    </QueryState>
  );
}

function MailForm({ planId }: { planId: string }) {
  const api = useApi();
  const [form, setForm] = useDraft("mail", { name: "", line1: "", city: "", state: "TX", postalCode: "" });
  const [sent, setSent] = useState<string | null>(null);
  const mail = useMutation({
    mutationFn: (body: MailRequest) =>
      unwrap(api.POST("/plans/{planId}/mail-requests", { params: { path: { planId } }, body })),
    onSuccess: (accepted) => setSent(accepted.requestId),
  });
  const error = mail.error instanceof ApiError ? mail.error : null;
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    mail.mutate({
      name: form.name,
      address: { line1: form.line1, city: form.city, state: form.state, postalCode: form.postalCode },
    });
  }
  return (
    <form className="form card" onSubmit={onSubmit} noValidate aria-labelledby="mail-title">
      <h2 id="mail-title">{t("plan.mail.title")}</h2>
      <TextField label={t("plan.mail.name")} name="name" required autoComplete="name" value={form.name}
        onChange={(name) => setForm({ ...form, name })} error={error?.messageFor("name")} />
      <TextField label={t("apply.line1")} name="line1" required autoComplete="address-line1" value={form.line1}
        onChange={(line1) => setForm({ ...form, line1 })} error={error?.messageFor("address.line1")} />
      <TextField label={t("apply.city")} name="city" required autoComplete="address-level2" value={form.city}
        onChange={(city) => setForm({ ...form, city })} error={error?.messageFor("address.city")} />
      <SelectField label={t("quote.state")} name="state" value={form.state} onChange={(state) => setForm({ ...form, state })}
        options={US_STATES.map((s) => ({ value: s, label: s }))} error={error?.messageFor("address.state")} />
      <TextField label={t("apply.postalCode")} name="postalCode" required inputMode="numeric" autoComplete="postal-code"
        value={form.postalCode} onChange={(postalCode) => setForm({ ...form, postalCode })}
        error={error?.messageFor("address.postalCode")} />
      <FormError error={mail.error} />
      {sent ? <p className="success" role="status">{t("plan.mail.sent", { id: sent })}</p> : null}
      <button type="submit" disabled={mail.isPending}>
        {mail.isPending ? t("form.submitting") : t("plan.mail.submit")}
      </button>
    </form>
  );
}
