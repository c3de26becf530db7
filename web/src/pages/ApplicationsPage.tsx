import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { unwrap } from "../api/client";
import { Page } from "../components/Page";
import { QueryState } from "../components/States";
import { useApi } from "../context";
import { formatDateTime, formatMoney, t, tMaybe } from "../i18n";

export default function ApplicationsPage() {
  const api = useApi();
  const applications = useQuery({
    queryKey: ["applications"],
    queryFn: () => unwrap(api.GET("/applications", { params: { query: { limit: 50 } } })),
  });
  return (
    <Page title={t("applications.title")}>
      <QueryState query={applications} isEmpty={(p) => p.items.length === 0} empty={t("applications.none")}>
        {(page) => (
          <ul className="list">
            {page.items.map((a) => (
              <li key={a.applicationId} className="card">
                <Link to={`/applications/${a.applicationId}`}>
                  {a.productId} · {a.coverageOptionCode}
                </Link>
                <p>
                  {tMaybe(`application.status.${a.status}`, a.status)} ·{" "}
                  {t("quote.monthly", { amount: formatMoney(a.quotedMonthlyPremium) })}
                </p>
                <p className="muted">{formatDateTime(a.submittedAt)}</p>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </Page>
  );
}
