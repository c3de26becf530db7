import { Link } from "react-router";
import type { PlanSummary } from "../api/types";
import { formatMoney, t, tMaybe } from "../i18n";
import { planValue } from "./catalogText";

export function PlanCard({ plan }: { plan: PlanSummary }) {
  return (
    <li className="card">
      <h2 className="h3">
        <Link to={`/plans/${plan.planId}`}>{plan.planName}</Link>
      </h2>
      <p className="muted">{plan.insurerName}</p>
      <p className="price">{t("plans.monthly", { amount: formatMoney(plan.monthlyCost) })}</p>
      <p>
        {t("plans.copay", { amount: formatMoney(plan.copay) })} ·{" "}
        {t("plans.deductible", { amount: formatMoney(plan.annualDeductible) })}
      </p>
      {Object.keys(plan.features).length > 0 ? (
        <ul className="tags">
          {Object.entries(plan.features).map(([key, value]) => (
            <li key={key}>
              {tMaybe(`feature.${key}`, key)}: {planValue(value)}
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}
