// A plan beside the customer's current one: costs and features, side by side.
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { unwrap } from "../api/client";
import { ApiError, errorText } from "../api/errors";
import type { Comparison } from "../api/types";
import { Page } from "../components/Page";
import { QueryState } from "../components/States";
import { useApi } from "../context";
import { planValue } from "../features/catalogText";
import { formatCents, formatMoney, t, tMaybe, type MessageKey } from "../i18n";

const COSTS = ["monthlyCost", "copay", "annualDeductible", "estimatedAnnualCost"] as const;

export default function ComparePage() {
  const { planId = "" } = useParams();
  const api = useApi();
  const comparison = useQuery({
    queryKey: ["comparison", planId],
    queryFn: () => unwrap(api.GET("/plans/{planId}/comparison", { params: { path: { planId } } })),
    retry: false,
  });
  const error = comparison.error instanceof ApiError ? comparison.error : null;
  const notLinked = error?.code === "beneficiary_not_linked";
  return (
    <Page title={t("compare.title")}>
      {notLinked ? (
        <div className="error-box" role="alert">
          <p>{errorText(error)}</p>
          <p>
            <Link to="/enrollment">{t("enrollment.link")}</Link>
          </p>
        </div>
      ) : (
        <QueryState query={comparison}>{(found) => <ComparisonTable comparison={found} />}</QueryState>
      )}
    </Page>
  );
}

function signed(cents: number, currency: string | undefined): string {
  return `${cents > 0 ? "+" : ""}${formatCents(cents, currency ?? "USD")}`;
}

export function ComparisonTable({ comparison }: { comparison: Comparison }) {
  return (
    <div className="table-scroll" role="region" aria-labelledby="compare-caption" tabIndex={0}>
      {!comparison.ageInBand ? <p className="warning">{t("compare.notInBand")}</p> : null}
      <table className="compare">
        <caption id="compare-caption">
          {t("compare.current", { name: comparison.currentPlanId })} · {t("compare.other", { name: comparison.otherPlanId })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t("compare.item")}</th>
            <th scope="col">{comparison.currentPlanId}</th>
            <th scope="col">{comparison.otherPlanId}</th>
            <th scope="col">{t("compare.difference")}</th>
          </tr>
        </thead>
        <tbody>
          {COSTS.map((key) => (
            <tr key={key}>
              <th scope="row">{t(`compare.${key}` as MessageKey)}</th>
              <td>{formatMoney(comparison[key].current)}</td>
              <td>{formatMoney(comparison[key].other)}</td>
              <td>{signed(comparison[key].deltaCents, comparison[key].current.currency)}</td>
            </tr>
          ))}
          {comparison.features.map((feature) => (
            <tr key={feature.key} data-status={feature.status}>
              <th scope="row">{tMaybe(`feature.${feature.key}`, feature.key)}</th>
              <td>{feature.current ? planValue(feature.current) : t("compare.none")}</td>
              <td>{feature.other ? planValue(feature.other) : t("compare.none")}</td>
              <td>{tMaybe(`compare.status.${feature.status}`, feature.status)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
