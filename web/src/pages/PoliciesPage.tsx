import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { unwrap } from "../api/client";
import { Page } from "../components/Page";
import { QueryState } from "../components/States";
import { useApi } from "../context";
import { formatDate, formatMoney, t, tMaybe } from "../i18n";

export default function PoliciesPage() {
  const api = useApi();
  const policies = useQuery({
    queryKey: ["policies"],
    queryFn: () => unwrap(api.GET("/policies", { params: { query: { limit: 50 } } })),
  });
  return (
    <Page title={t("policies.title")}>
      <QueryState query={policies} isEmpty={(p) => p.items.length === 0} empty={t("policies.none")}>
        {(page) => (
          <ul className="list">
            {page.items.map((p) => (
              <li key={p.policyId} className="card">
                <Link to={`/policies/${p.policyId}`}>{t("policy.title", { number: p.policyNumber })}</Link>
                <p>
                  {tMaybe(`policy.status.${p.status}`, p.status)} ·{" "}
                  {t("quote.annual", { amount: formatMoney(p.annualPremium) })}
                </p>
                <p className="muted">
                  {t("policy.termRange", { start: formatDate(p.termStart), end: formatDate(p.termEnd) })}
                </p>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </Page>
  );
}
