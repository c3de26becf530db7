// The drug plan on the customer's Medicare record: link the record first, then see it.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { unwrap } from "../api/client";
import { ApiError } from "../api/errors";
import type { BeneficiaryLinkRequest } from "../api/types";
import { TextField } from "../components/Field";
import { Page } from "../components/Page";
import { Empty, ErrorMessage, FormError, Loading } from "../components/States";
import { useApi } from "../context";
import { PlanCard } from "../features/PlanCard";
import { formatDate, t } from "../i18n";

export default function EnrollmentPage() {
  const api = useApi();
  const enrollment = useQuery({
    queryKey: ["enrollment"],
    queryFn: () => unwrap(api.GET("/me/enrollment")),
    retry: false,
  });
  const notLinked = enrollment.error instanceof ApiError && enrollment.error.code === "beneficiary_not_linked";
  const none = enrollment.error instanceof ApiError && enrollment.error.code === "enrollment_not_found";
  return (
    <Page title={t("enrollment.title")}>
      {enrollment.isPending ? <Loading /> : null}
      {notLinked ? <LinkForm /> : null}
      {none ? <Empty>{t("enrollment.none")}</Empty> : null}
      {enrollment.isError && !notLinked && !none ? (
        <ErrorMessage error={enrollment.error} onRetry={() => void enrollment.refetch()} />
      ) : null}
      {enrollment.data ? (
        <>
          <h2>{t("enrollment.current")}</h2>
          <p>
            {t("enrollment.since", { date: formatDate(enrollment.data.startDate) })}
            {enrollment.data.endDate ? ` · ${t("enrollment.until", { date: formatDate(enrollment.data.endDate) })}` : ""}
          </p>
          <ul className="cards">
            <PlanCard plan={enrollment.data.plan} />
          </ul>
          <Link className="button" to="/plans">
            {t("enrollment.findPlans")}
          </Link>
        </>
      ) : null}
    </Page>
  );
}

function LinkForm() {
  const api = useApi();
  const queries = useQueryClient();
  const [form, setForm] = useState({ beneficiaryId: "", lastName: "", birthDate: "", ssnLast4: "" });
  const link = useMutation({
    mutationFn: (body: BeneficiaryLinkRequest) => unwrap(api.POST("/me/beneficiary-link", { body })),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ["enrollment"] }),
  });
  const error = link.error instanceof ApiError ? link.error : null;
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    link.mutate(form);
  }
  return (
    <form className="form card" onSubmit={onSubmit} noValidate aria-labelledby="link-title">
      <h2 id="link-title">{t("enrollment.link")}</h2>
      <p>{t("enrollment.linkHelp")}</p>
      <TextField label={t("enrollment.beneficiaryId")} name="beneficiaryId" required value={form.beneficiaryId}
        onChange={(beneficiaryId) => setForm({ ...form, beneficiaryId })} error={error?.messageFor("beneficiaryId")} />
      <TextField label={t("enrollment.lastName")} name="lastName" required autoComplete="family-name" value={form.lastName}
        onChange={(lastName) => setForm({ ...form, lastName })} error={error?.messageFor("lastName")} />
      <TextField label={t("enrollment.birthDate")} name="birthDate" type="date" required autoComplete="bday"
        value={form.birthDate} onChange={(birthDate) => setForm({ ...form, birthDate })} error={error?.messageFor("birthDate")} />
      <TextField label={t("enrollment.ssnLast4")} name="ssnLast4" required inputMode="numeric" maxLength={4}
        autoComplete="off" value={form.ssnLast4} onChange={(ssnLast4) => setForm({ ...form, ssnLast4 })}
        error={error?.messageFor("ssnLast4")} />
      <FormError error={link.error} />
      <button type="submit" disabled={link.isPending}>
        {link.isPending ? t("form.submitting") : t("enrollment.submit")}
      </button>
    </form>
  );
}
