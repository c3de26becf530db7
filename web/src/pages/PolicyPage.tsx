// One policy: its term and premium, the PDF, paying what is due, renewing, cancelling.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useParams } from "react-router";
import { unwrap } from "../api/client";
import type { Money, Policy } from "../api/types";
import { Page } from "../components/Page";
import { FormError, Loading, QueryState } from "../components/States";
import { useApi } from "../context";
import { CancelForm } from "../features/CancelForm";
import { PayForm } from "../features/PayForm";
import { policyPollMs } from "../features/polling";
import { formatDate, formatMoney, t, tMaybe } from "../i18n";
import { today } from "../lib/refund";

const ASYNC_PAYMENT_WAIT_MS = 60_000;
const RENEWAL_WINDOW_DAYS = 60; // as the API's renewal window (salesportal.domain.policies)

export default function PolicyPage() {
  const { policyId = "" } = useParams();
  const api = useApi();
  const [awaitingPayment, setAwaitingPayment] = useState(false);
  const [paid, setPaid] = useState(false);
  const policy = useQuery({
    queryKey: ["policy", policyId],
    queryFn: () => unwrap(api.GET("/policies/{policyId}", { params: { path: { policyId } } })),
    refetchInterval: (query) => policyPollMs(query.state.data, awaitingPayment),
  });
  const [unconfirmed, setUnconfirmed] = useState(false);
  useEffect(() => {
    if (!awaitingPayment) return;
    // The bank's confirmation comes by webhook; past a minute, stop polling and say so.
    const timer = window.setTimeout(() => {
      setAwaitingPayment(false);
      setUnconfirmed(true);
    }, ASYNC_PAYMENT_WAIT_MS);
    return () => window.clearTimeout(timer);
  }, [awaitingPayment]);
  useEffect(() => {
    if (policy.data && !due(policy.data) && awaitingPayment) {
      setAwaitingPayment(false); // settled by the gateway's webhook
      setPaid(true);
    }
  }, [policy.data, awaitingPayment]);
  const title = policy.data ? t("policy.title", { number: policy.data.policyNumber }) : t("policies.title");
  return (
    <Page title={title}>
      <QueryState query={policy}>
        {(found) => (
<>
            {unconfirmed && !paid ? (
              <p className="warning" role="status">
                {t("pay.unconfirmed")}
              </p>
            ) : null}
            {paid ? (
              <p className="success" role="status">
                {t("pay.succeeded")}
              </p>
            ) : null}
            <PolicyDetail
              policy={found}
              onProcessing={() => setAwaitingPayment(true)}
              onPaid={() => setPaid(true)}
              payFormKey={unconfirmed ? "after-unconfirmed" : "first"}
            />
          </>
        )}
      </QueryState>
    </Page>
  );
}

function due(policy: Policy): Money | null {
  if (policy.status === "PENDING_PAYMENT") return policy.annualPremium;
  if (policy.status === "ACTIVE" && policy.renewal?.status === "PENDING_PAYMENT") return policy.renewal.annualPremium;
  return null;
}

function inRenewalWindow(policy: Policy): boolean {
  const opens = new Date(Date.parse(`${policy.termEnd}T00:00:00Z`) - RENEWAL_WINDOW_DAYS * 86_400_000);
  return policy.status === "ACTIVE" && !policy.renewal && today() >= opens.toISOString().slice(0, 10);
}

function PolicyDetail({
  policy,
  onProcessing,
  onPaid,
  payFormKey,
}: {
  policy: Policy;
  onProcessing: () => void;
  onPaid: () => void;
  payFormKey: string;
}) {
  const amountDue = due(policy);
  return (
    <>
      <dl className="card facts">
        <dt>{t("policy.status")}</dt>
        <dd data-status={policy.status}>{tMaybe(`policy.status.${policy.status}`, policy.status)}</dd>
        <dt>{t("policy.term")}</dt>
        <dd>{t("policy.termRange", { start: formatDate(policy.termStart), end: formatDate(policy.termEnd) })}</dd>
        <dt>{t("policy.premium")}</dt>
        <dd>
          {t("quote.annual", { amount: formatMoney(policy.annualPremium) })} ·{" "}
          {t("quote.monthly", { amount: formatMoney(policy.monthlyPremium) })}
        </dd>
        {policy.renewal ? (
          <>
            <dt>{t("policy.renewalTerm")}</dt>
            <dd>
              {t("policy.renewal", {
                start: formatDate(policy.renewal.termStart),
                end: formatDate(policy.renewal.termEnd),
                amount: formatMoney(policy.renewal.annualPremium),
                status: tMaybe(`renewal.status.${policy.renewal.status}`, policy.renewal.status),
              })}
            </dd>
          </>
        ) : null}
        {policy.cancellation ? (
          <>
            <dt>{t("policy.cancellation")}</dt>
            <dd className="refund-result">
              {t("policy.cancelled", {
                date: formatDate(policy.cancellation.effectiveDate),
                amount: formatMoney(policy.cancellation.refund),
              })}
            </dd>
          </>
        ) : null}
      </dl>
      {policy.status === "ACTIVE" || policy.status === "CANCELLED" ? <Document policy={policy} /> : null}
      {amountDue ? <PayForm key={payFormKey} policy={policy} due={amountDue} onProcessing={onProcessing} onPaid={onPaid} /> : null}
      {inRenewalWindow(policy) ? <Renew policy={policy} /> : null}
      {policy.status === "ACTIVE" || policy.status === "PENDING_PAYMENT" ? <CancelForm policy={policy} /> : null}
    </>
  );
}

function Document({ policy }: { policy: Policy }) {
  const api = useApi();
  const ready = policy.documentStatus === "READY";
  // The link is presigned for five minutes: fetched when shown, renewed before it lapses.
  const link = useQuery({
    queryKey: ["policy-document", policy.policyId],
    enabled: ready,
    staleTime: 4 * 60_000,
    refetchInterval: 4 * 60_000,
    queryFn: () =>
      unwrap(api.GET("/policies/{policyId}/document", { params: { path: { policyId: policy.policyId } } })),
  });
  return (
    <section className="card" aria-labelledby="document-title">
      <h2 id="document-title">{t("policy.document")}</h2>
      {!ready ? <Loading label={t("policy.documentPending")} /> : null}
      {ready && link.isPending ? <Loading /> : null}
      {link.error ? <FormError error={link.error} /> : null}
      {link.data ? (
        <a className="button" href={link.data.url} download={`${policy.policyNumber}.pdf`}>
          {t("policy.download")}
        </a>
      ) : null}
    </section>
  );
}

function Renew({ policy }: { policy: Policy }) {
  const api = useApi();
  const queries = useQueryClient();
  const renew = useMutation({
    mutationFn: () =>
      unwrap(api.POST("/policies/{policyId}/renewal", { params: { path: { policyId: policy.policyId } } })),
    onSuccess: (updated) => queries.setQueryData(["policy", policy.policyId], updated),
  });
  return (
    <div className="card">
      <FormError error={renew.error} />
      <button type="button" onClick={() => renew.mutate()} disabled={renew.isPending}>
        {renew.isPending ? t("form.submitting") : t("policy.renew")}
      </button>
    </div>
  );
}
