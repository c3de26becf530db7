// Cancelling: the refund is shown before the customer confirms, then the API's own figure.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { unwrap } from "../api/client";
import { ApiError } from "../api/errors";
import type { CancellationRequest, Policy } from "../api/types";
import { SelectField, TextField } from "../components/Field";
import { FormError } from "../components/States";
import { useApi } from "../context";
import { formatCents, t, type MessageKey } from "../i18n";
import { estimateRefundCents, today } from "../lib/refund";

const REASONS: CancellationRequest["reason"][] = ["NO_LONGER_NEEDED", "FOUND_BETTER_PRICE", "AFFORDABILITY", "OTHER"];

export function CancelForm({ policy }: { policy: Policy }) {
  const api = useApi();
  const queries = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reviewing, setReviewing] = useState(false);
  const [reason, setReason] = useState<CancellationRequest["reason"]>("NO_LONGER_NEEDED");
  const [note, setNote] = useState("");
  const cancel = useMutation({
    mutationFn: (body: CancellationRequest) =>
      unwrap(api.POST("/policies/{policyId}/cancellation", { params: { path: { policyId: policy.policyId } }, body })),
    onSuccess: (updated) => {
      queries.setQueryData(["policy", policy.policyId], updated);
      void queries.invalidateQueries({ queryKey: ["policies"] });
    },
  });
  const error = cancel.error instanceof ApiError ? cancel.error : null;
  const refund = formatCents(estimateRefundCents(policy, today()), policy.annualPremium.currency ?? "USD");

  if (!open) {
    return (
      <button type="button" className="danger" onClick={() => setOpen(true)}>
        {t("policy.cancel")}
      </button>
    );
  }
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!reviewing) {
      setReviewing(true);
      return;
    }
    cancel.mutate({ reason, note: note || null });
  }
  return (
    <form className="form card" onSubmit={onSubmit} aria-labelledby="cancel-title">
      <h2 id="cancel-title">{t("cancel.title")}</h2>
      <SelectField label={t("cancel.reason")} name="reason" value={reason}
        onChange={(value) => setReason(value as CancellationRequest["reason"])}
        options={REASONS.map((r) => ({ value: r, label: t(`cancel.reason.${r}` as MessageKey) }))}
        error={error?.messageFor("reason")} />
      <TextField label={t("cancel.note")} name="note" value={note} onChange={setNote} maxLength={500}
        error={error?.messageFor("note")} />
      <p className="refund" aria-live="polite">
        <strong>{t("cancel.refund", { amount: refund })}</strong>
        <br />
        <span className="muted">{t("cancel.refundRule")}</span>
      </p>
      <FormError error={cancel.error} />
      <div className="actions">
        <button type="submit" className="danger" disabled={cancel.isPending}>
          {cancel.isPending ? t("form.submitting") : reviewing ? t("cancel.confirm") : t("cancel.review")}
        </button>
        <button type="button" className="secondary" onClick={() => { setOpen(false); setReviewing(false); }}>
          {t("cancel.back")}
        </button>
      </div>
    </form>
  );
}
