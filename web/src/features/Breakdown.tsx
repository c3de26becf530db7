// A quote's premium, step by step: base, each rating factor, tax, fee, the total.
import type { Quote } from "../api/types";
import { formatDateTime, formatMoney, t } from "../i18n";

export function Breakdown({ quote }: { quote: Quote }) {
  const { breakdown } = quote;
  return (
    <div className="card">
      <h2>{t("quote.result")}</h2>
      <p className="price">
        <strong>{t("quote.monthly", { amount: formatMoney(quote.monthlyPremium) })}</strong>{" "}
        <span>({t("quote.annual", { amount: formatMoney(quote.annualPremium) })})</span>
      </p>
      <table className="breakdown">
        <caption>{t("quote.breakdown")}</caption>
        <tbody>
          <tr>
            <th scope="row">{t("quote.base")}</th>
            <td>{formatMoney(breakdown.baseMonthly)}</td>
          </tr>
          {breakdown.steps.map((step) => (
            <tr key={step.name}>
              <th scope="row">{t("quote.step", { name: step.name, factor: step.factor })}</th>
              <td>{formatMoney(step.monthly)}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">{t("quote.tax")}</th>
            <td>{formatMoney(breakdown.premiumTaxMonthly)}</td>
          </tr>
          <tr>
            <th scope="row">{t("quote.fee")}</th>
            <td>{formatMoney(breakdown.feeMonthly)}</td>
          </tr>
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t("quote.result")}</th>
            <td>{formatMoney(quote.monthlyPremium)}</td>
          </tr>
        </tfoot>
      </table>
      <p className="muted">{t("quote.expires", { date: formatDateTime(quote.expiresAt) })}</p>
    </div>
  );
}
