// An application's status, updated without reloading; the decision's reasons; accepting it.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "react-router";
import { unwrap } from "../api/client";
import { Page } from "../components/Page";
import { FormError, QueryState } from "../components/States";
import { useApi } from "../context";
import { applicationPollMs } from "../features/polling";
import { reasonText } from "../features/reasonText";
import { formatDateTime, formatMoney, t, tMaybe } from "../i18n";

export default function ApplicationPage() {
  const { applicationId = "" } = useParams();
  const api = useApi();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const application = useQuery({
    queryKey: ["application", applicationId],
    queryFn: () => unwrap(api.GET("/applications/{applicationId}", { params: { path: { applicationId } } })),
    refetchInterval: (query) => applicationPollMs(query.state.data),
  });
  const accept = useMutation({
    mutationFn: () =>
      unwrap(api.POST("/applications/{applicationId}/acceptance", { params: { path: { applicationId } } })),
    onSuccess: (policy) => {
      void queries.invalidateQueries({ queryKey: ["policies"] });
      void queries.invalidateQueries({ queryKey: ["application", applicationId] });
      navigate(`/policies/${policy.policyId}`);
    },
  });
  return (
    <Page title={t("application.title")}>
      <QueryState query={application}>
        {(found) => (
          <div className="card">
            <p aria-live="polite" className="status" data-status={found.status}>
              {t("application.status", {
                status: tMaybe(`application.status.${found.status}`, found.status),
              })}
            </p>
            {applicationPollMs(found) ? <p className="muted">{t("application.watching")}</p> : null}
            <p className="muted">{formatDateTime(found.updatedAt)}</p>
            {found.decision && found.decision.reasons.length > 0 ? (
              <>
                <h2>{t("application.reasons")}</h2>
                <ul>
                  {found.decision.reasons.map((reason) => (
                    <li key={reason}>{reasonText(reason)}</li>
                  ))}
                </ul>
              </>
            ) : null}
            {found.status === "APPROVED" ? (
              <>
                <p className="price">
                  {t("application.offer", {
                    monthly: formatMoney(found.decision?.monthlyPremium ?? found.quotedMonthlyPremium),
                    annual: formatMoney(found.decision?.annualPremium ?? found.quotedAnnualPremium),
                  })}
                </p>
                <FormError error={accept.error} />
                <button type="button" onClick={() => accept.mutate()} disabled={accept.isPending}>
                  {accept.isPending ? t("form.submitting") : t("application.accept")}
                </button>
              </>
            ) : null}
            {found.status === "ACCEPTED" && found.policyId ? (
              <Link className="button" to={`/policies/${found.policyId}`}>
                {t("application.viewPolicy")}
              </Link>
            ) : null}
          </div>
        )}
      </QueryState>
    </Page>
  );
}
