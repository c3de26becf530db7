// A quote's premium, step by step: base, each rating factor, tax, fee, the total.
import type { Quote } from "../api/types";
import { formatDateTime, formatMoney, t } from "../i18n";
import { RISK_QUESTIONS } from "./riskQuestions";

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
              <th scope="row">{t("quote.step", { name: stepName(quote.productId, step.name), factor: step.factor })}</th>
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

/**
 * A rating step in words. The API names a step "<factor> <level>" ("age 30-39", "state TX",
 * "smoker false"); the age band, the state and the product's questions are said from the
 * catalogue, anything else as the API names it.
 */
export function stepName(productId: string, name: string): string {
  const [factor = "", ...rest] = name.split(" ");
  const level = rest.join(" ");
  if (factor === "age" && level) return t("rating.age", { range: level });
  if (factor === "state" && level) return t("rating.state", { state: level });
  const question = (RISK_QUESTIONS[productId] ?? []).find((q) => q.name === factor);
  const answer = question?.options.find((o) => o.value === level);
  return question && answer ? t("rating.answer", { question: t(question.label), answer: t(answer.label) }) : name;
}
