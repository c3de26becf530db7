// Applying from a quote: identity, the declarations and consent to the checks.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useNavigate, useParams } from "react-router";
import { unwrap } from "../api/client";
import { ApiError } from "../api/errors";
import type { ApplicationRequest, Quote } from "../api/types";
import { Checkbox, SelectField, TextField, YesNo } from "../components/Field";
import { Page } from "../components/Page";
import { FormError, QueryState } from "../components/States";
import { useApi } from "../context";
import { US_STATES } from "../features/riskQuestions";
import { formatMoney, t, type MessageKey } from "../i18n";
import { useDraft } from "../lib/draft";

const DECLARATIONS = [
  "hospitalizedLast5Years",
  "chronicCondition",
  "hazardousActivities",
  "previouslyDeclined",
] as const;
type Declaration = (typeof DECLARATIONS)[number];

interface Draft {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  line1: string;
  line2: string;
  city: string;
  state: string;
  postalCode: string;
  declarations: Partial<Record<Declaration, boolean>>;
  consent: boolean;
}

export default function ApplyPage() {
  const { quoteId = "" } = useParams();
  const api = useApi();
  const quote = useQuery({
    queryKey: ["quote", quoteId],
    queryFn: () => unwrap(api.GET("/quotes/{quoteId}", { params: { path: { quoteId } } })),
  });
  return (
    <Page title={t("apply.title")}>
      <QueryState query={quote}>{(found) => <ApplyForm quote={found} />}</QueryState>
    </Page>
  );
}

function ApplyForm({ quote }: { quote: Quote }) {
  const api = useApi();
  const navigate = useNavigate();
  const [draft, setDraft, clearDraft] = useDraft<Draft>(`apply.${quote.quoteId}`, {
    givenName: "",
    familyName: "",
    dateOfBirth: "",
    line1: "",
    line2: "",
    city: "",
    state: quote.state,
    postalCode: "",
    declarations: {},
    consent: false,
  });
  // Not kept in the draft: the SSN digits stay in memory only.
  const [ssnLast4, setSsnLast4] = useState("");
  const submit = useMutation({
    mutationFn: (body: ApplicationRequest) => unwrap(api.POST("/applications", { body })),
    onSuccess: (application) => {
      clearDraft();
      navigate(`/applications/${application.applicationId}`);
    },
  });
  const error = submit.error instanceof ApiError ? submit.error : null;
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    submit.mutate({
      quoteId: quote.quoteId,
      identity: {
        givenName: draft.givenName,
        familyName: draft.familyName,
        dateOfBirth: draft.dateOfBirth,
        ssnLast4,
        address: {
          line1: draft.line1,
          line2: draft.line2 || null,
          city: draft.city,
          state: draft.state,
          postalCode: draft.postalCode,
        },
      },
      declarations: draft.declarations as ApplicationRequest["declarations"],
      consentToChecks: draft.consent as true,
    });
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <p className="muted">
        {t("quote.monthly", { amount: formatMoney(quote.monthlyPremium) })} · {t("apply.draftKept")}
      </p>
      <fieldset>
        <legend>{t("apply.identity")}</legend>
        <TextField label={t("apply.givenName")} name="givenName" required autoComplete="given-name"
          value={draft.givenName} onChange={(v) => set({ givenName: v })} error={error?.messageFor("identity.givenName")} />
        <TextField label={t("apply.familyName")} name="familyName" required autoComplete="family-name"
          value={draft.familyName} onChange={(v) => set({ familyName: v })} error={error?.messageFor("identity.familyName")} />
        <TextField label={t("quote.dateOfBirth")} name="dateOfBirth" type="date" required autoComplete="bday"
          value={draft.dateOfBirth} onChange={(v) => set({ dateOfBirth: v })} error={error?.messageFor("identity.dateOfBirth")} />
        <TextField label={t("apply.ssnLast4")} name="ssnLast4" required inputMode="numeric" maxLength={4}
          pattern="\d{4}" autoComplete="off" value={ssnLast4} onChange={setSsnLast4}
          error={error?.messageFor("identity.ssnLast4")} />
      </fieldset>
      <fieldset>
        <legend>{t("apply.address")}</legend>
        <TextField label={t("apply.line1")} name="line1" required autoComplete="address-line1"
          value={draft.line1} onChange={(v) => set({ line1: v })} error={error?.messageFor("identity.address.line1")} />
        <TextField label={t("apply.line2")} name="line2" autoComplete="address-line2"
          value={draft.line2} onChange={(v) => set({ line2: v })} error={error?.messageFor("identity.address.line2")} />
        <TextField label={t("apply.city")} name="city" required autoComplete="address-level2"
          value={draft.city} onChange={(v) => set({ city: v })} error={error?.messageFor("identity.address.city")} />
        <SelectField label={t("quote.state")} name="state" value={draft.state} onChange={(v) => set({ state: v })}
          options={US_STATES.map((s) => ({ value: s, label: s }))} error={error?.messageFor("identity.address.state")} />
        <TextField label={t("apply.postalCode")} name="postalCode" required inputMode="numeric"
          autoComplete="postal-code" value={draft.postalCode} onChange={(v) => set({ postalCode: v })}
          error={error?.messageFor("identity.address.postalCode")} />
      </fieldset>
      <fieldset>
        <legend>{t("apply.declarations")}</legend>
        {DECLARATIONS.map((name) => (
          <YesNo
            key={name}
            legend={t(`apply.${name}` as MessageKey)}
            name={name}
            value={draft.declarations[name] === undefined ? null : String(draft.declarations[name])}
            onChange={(value) => set({ declarations: { ...draft.declarations, [name]: value === "true" } })}
            error={error?.messageFor(`declarations.${name}`)}
          />
        ))}
      </fieldset>
      <Checkbox
        label={t("apply.consent")}
        name="consentToChecks"
        required
        checked={draft.consent}
        onChange={(consent) => set({ consent })}
        error={error?.messageFor("consentToChecks")}
      />
      <FormError error={submit.error} />
      <button type="submit" disabled={submit.isPending}>
        {submit.isPending ? t("form.submitting") : t("apply.submit")}
      </button>
    </form>
  );
}
