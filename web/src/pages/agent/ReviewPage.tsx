// One application under review and the decision: approve (the premium moved within the API's
// bounds, shown before sending) or decline, always with a reason the customer will read.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { unwrap } from "../../api/client";
import { isApiError } from "../../api/errors";
import { Choice, TextField } from "../../components/Field";
import { Page } from "../../components/Page";
import { Loading } from "../../components/States";
import { useApi } from "../../context";
import { AgentOnly, ProblemBox } from "../../features/agent/access";
import {
  ADJUSTMENT_MAX_BPS,
  ADJUSTMENT_MIN_BPS,
  REASON_MAX,
  adjustCents,
  checkDecision,
  percentToBps,
  toRequest,
  type DecisionDraft,
  type DecisionProblem,
  type DecisionProblems,
} from "../../features/agent/decision";
import { ReviewFacts, queueKey, useProductNames, useReviewItem, type ReviewItem } from "../../features/agent/review";
import { currentLocale, formatMoney, t, type MessageKey } from "../../i18n";
import type { DecidedNotice } from "./ReviewQueuePage";

export default function ReviewPage() {
  return (
    <AgentOnly>
      <Review />
    </AgentOnly>
  );
}

function Review() {
  const { applicationId = "" } = useParams();
  const queries = useQueryClient();
  const item = useReviewItem(applicationId, queries);
  const productName = useProductNames();
  return (
    <Page title={t("agent.decide.title")}>
      <p>
        <Link to="/agent/review">{t("agent.decide.back")}</Link>
      </p>
      {item.isPending ? <Loading /> : null}
      {item.isError ? <ProblemBox error={item.error} onRetry={() => void item.refetch()} /> : null}
      {item.isSuccess && item.data === null ? (
        <div className="card" role="alert">
          <p>{t("agent.decide.notInQueue")}</p>
        </div>
      ) : null}
      {item.isSuccess && item.data ? (
        <>
          <section className="card queue-item" aria-labelledby="facts-title">
            <h2 id="facts-title">{t("agent.decide.facts", { product: productName(item.data.productId) })}</h2>
            <ReviewFacts item={item.data} productName={productName(item.data.productId)} />
          </section>
          <DecisionForm item={item.data} label={`${productName(item.data.productId)} · ${item.data.coverageOptionCode}`} />
        </>
      ) : null}
    </Page>
  );
}

const PROBLEM_TEXT: Record<DecisionProblem, MessageKey> = {
  outcomeRequired: "agent.decide.outcomeRequired",
  adjustmentFormat: "agent.decide.adjustmentFormat",
  adjustmentRange: "agent.decide.adjustmentRange",
  adjustmentOnDecline: "agent.decide.adjustmentOnDecline",
  reasonRequired: "agent.decide.reasonRequired",
  reasonTooLong: "agent.decide.reasonTooLong",
};

function percent(bps: number, signed = false): string {
  return new Intl.NumberFormat(currentLocale(), {
    style: "percent",
    maximumFractionDigits: 2,
    ...(signed ? { signDisplay: "exceptZero" as const } : {}),
  }).format(bps / 10_000);
}

function DecisionForm({ item, label }: { item: ReviewItem; label: string }) {
  const api = useApi();
  const queries = useQueryClient();
  const navigate = useNavigate();
  const reasonId = useId();
  const [draft, setDraft] = useState<DecisionDraft>({ outcome: "", adjustmentPercent: "", reason: "" });
  const [shown, setShown] = useState<DecisionProblems>({});
  const decide = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT("/admin/applications/{applicationId}/decision", {
          params: { path: { applicationId: item.applicationId } },
          body: toRequest(draft),
        }),
      ),
    onSuccess: (decided) => {
      // Decided: it leaves the queue (both statuses' lists are read again).
      void queries.invalidateQueries({ queryKey: queueKey() });
      queries.removeQueries({ queryKey: ["agent", "review", item.applicationId] });
      const state: DecidedNotice = {
        decided: { outcome: decided.status === "APPROVED" ? "APPROVED" : "DECLINED", label },
      };
      navigate("/agent/review", { state });
    },
  });

  function problem(field: keyof DecisionProblems): string | undefined {
    const local = shown[field];
    if (local) {
      return t(PROBLEM_TEXT[local], { min: percent(ADJUSTMENT_MIN_BPS, true), max: percent(ADJUSTMENT_MAX_BPS, true), most: REASON_MAX });
    }
    return isApiError(decide.error) ? decide.error.messageFor(field) : undefined;
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const problems = checkDecision(draft);
    setShown(problems);
    if (Object.keys(problems).length === 0) decide.mutate();
  }

  const bps = percentToBps(draft.adjustmentPercent);
  const inRange = bps !== null && bps >= ADJUSTMENT_MIN_BPS && bps <= ADJUSTMENT_MAX_BPS;
  const reasonError = problem("reason");
  const approving = draft.outcome === "APPROVE";

  return (
    <form className="form card" noValidate onSubmit={onSubmit} aria-labelledby="decide-title">
      <h2 id="decide-title">{t("agent.decide.heading")}</h2>
      <Choice
        legend={t("agent.decide.outcome")}
        name="outcome"
        value={draft.outcome || null}
        onChange={(value) =>
          setDraft({ ...draft, outcome: value as DecisionDraft["outcome"], ...(value === "DECLINE" ? { adjustmentPercent: "" } : {}) })
        }
        options={[
          { value: "APPROVE", label: t("agent.decide.approve") },
          { value: "DECLINE", label: t("agent.decide.decline") },
        ]}
        error={problem("outcome")}
      />
      {approving ? (
        <>
          <TextField
            label={t("agent.decide.adjustment")}
            name="premiumAdjustment"
            value={draft.adjustmentPercent}
            onChange={(value) => setDraft({ ...draft, adjustmentPercent: value })}
            hint={t("agent.decide.adjustmentHint", {
              min: percent(ADJUSTMENT_MIN_BPS, true),
              max: percent(ADJUSTMENT_MAX_BPS, true),
            })}
            inputMode="decimal"
            error={problem("premiumAdjustmentBps")}
          />
          <p className={inRange ? "price" : "muted"} aria-live="polite">
            {inRange
              ? t("agent.decide.newPremium", {
                  monthly: formatMoney({
                    ...item.quotedMonthlyPremium,
                    amountCents: adjustCents(item.quotedMonthlyPremium.amountCents, bps),
                  }),
                  annual: formatMoney({
                    ...item.quotedAnnualPremium,
                    amountCents: adjustCents(item.quotedAnnualPremium.amountCents, bps),
                  }),
                  change: percent(bps, true),
                })
              : t("agent.decide.newPremiumUnknown")}
          </p>
        </>
      ) : null}
      <div className="field">
        <label htmlFor={reasonId}>
          {t("agent.decide.reason")}
          <span className="required"> ({t("form.required")})</span>
        </label>
        <p className="hint" id={`${reasonId}-hint`}>
          {t("agent.decide.reasonHint", { most: REASON_MAX })}
        </p>
        <textarea
          id={reasonId}
          name="reason"
          className="agent-textarea"
          value={draft.reason}
          required
          maxLength={REASON_MAX * 2}
          aria-invalid={reasonError ? true : undefined}
          aria-describedby={[`${reasonId}-hint`, reasonError ? `${reasonId}-error` : null].filter(Boolean).join(" ")}
          onChange={(event) => setDraft({ ...draft, reason: event.target.value })}
        />
        {reasonError ? (
          <p className="field-error" id={`${reasonId}-error`}>
            {reasonError}
          </p>
        ) : null}
      </div>
      <ProblemBox error={decide.error} />
      <div className="actions">
        <button type="submit" disabled={decide.isPending}>
          {decide.isPending
            ? t("form.submitting")
            : draft.outcome === "DECLINE"
              ? t("agent.decide.submitDecline")
              : draft.outcome === "APPROVE"
                ? t("agent.decide.submitApprove")
                : t("agent.decide.submit")}
        </button>
      </div>
    </form>
  );
}
