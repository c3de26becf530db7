// The business for a range of days (UTC): totals, each metric drawn per day, the sales funnel
// and the approval rate, every chart with its numbers beside it and a table of the days.
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { TextField } from "../../components/Field";
import { Page } from "../../components/Page";
import { useApi } from "../../context";
import { AdminOnly, AdminQueryState } from "../../features/admin/access";
import { DayColumns, Funnel, Split } from "../../features/admin/charts";
import { lastDays, rangeFromParams, rangeProblem, utcToday, type DayRange } from "../../features/admin/dates";
import { formatCompactCents, formatCount, formatDecimal, formatRate } from "../../features/admin/format";
import { formatCents, formatDate, t, type MessageKey } from "../../i18n";

type Analytics = components["schemas"]["Analytics"];
type Totals = components["schemas"]["Totals"];
type Day = components["schemas"]["Day"];

export default function AnalyticsPage() {
  return (
    <AdminOnly>
      <AnalyticsView />
    </AdminOnly>
  );
}

const PRESETS: [number, MessageKey][] = [
  [1, "admin.analytics.today"],
  [7, "admin.analytics.last7"],
  [30, "admin.analytics.last30"],
  [90, "admin.analytics.last90"],
];

function AnalyticsView() {
  const api = useApi();
  const today = utcToday();
  const [params, setParams] = useSearchParams();
  const range = rangeFromParams(params, today);
  const problem = rangeProblem(range);
  const [draft, setDraft] = useState<DayRange>(range);
  const [draftProblem, setDraftProblem] = useState(problem);
  const analytics = useQuery({
    queryKey: ["admin", "analytics", range.from, range.to],
    enabled: problem === null,
    queryFn: () => unwrap(api.GET("/admin/analytics", { params: { query: { from: range.from, to: range.to } } })),
  });

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const found = rangeProblem(draft);
    setDraftProblem(found);
    if (!found) setParams({ from: draft.from, to: draft.to });
  }

  return (
    <Page title={t("admin.analytics.title")}>
      <form className="form search card filters" aria-label={t("admin.analytics.range")} onSubmit={onSubmit} noValidate>
        <TextField
          label={t("admin.analytics.from")}
          name="from"
          type="date"
          value={draft.from}
          onChange={(from) => setDraft({ ...draft, from })}
          error={draftProblem?.field === "from" ? t(draftProblem.key) : undefined}
          required
        />
        <TextField
          label={t("admin.analytics.to")}
          name="to"
          type="date"
          value={draft.to}
          onChange={(to) => setDraft({ ...draft, to })}
          error={draftProblem?.field === "to" ? t(draftProblem.key) : undefined}
          required
        />
        <div className="actions">
          <button type="submit">{t("admin.analytics.show")}</button>
        </div>
      </form>
      <div className="actions" role="group" aria-label={t("admin.analytics.presets")}>
        {PRESETS.map(([days, key]) => {
          const preset = lastDays(days, today);
          return (
            <Link key={days} to={`?from=${preset.from}&to=${preset.to}`} onClick={() => setDraft(preset)}>
              {t(key)}
            </Link>
          );
        })}
      </div>
      <p className="muted">{t("admin.analytics.utc")}</p>
      {problem ? (
        <p className="error-box" role="alert">
          {t(problem.key)}
        </p>
      ) : (
        <AdminQueryState query={analytics}>{(data) => <Report data={data} />}</AdminQueryState>
      )}
    </Page>
  );
}

function series(days: Day[], pick: (day: Day) => number) {
  return days.map((day) => ({ day: day.day, value: pick(day) }));
}

const none = () => t("admin.none");

function Report({ data }: { data: Analytics }) {
  const totals = data.totals;
  const approved = totals.applicationsByStatus["APPROVED"] ?? 0;
  const declined = totals.applicationsByStatus["DECLINED"] ?? 0;
  const dayCharts: { id: string; title: MessageKey; pick: (d: Day | Totals) => number; money?: boolean }[] = [
    { id: "sign-ups", title: "admin.analytics.signUps", pick: (d) => d.signUps },
    { id: "sign-ins", title: "admin.analytics.signIns", pick: (d) => d.signIns },
    { id: "active-users", title: "admin.analytics.activeUsers", pick: (d) => d.activeUsers },
    { id: "ai-queries", title: "admin.analytics.aiQueries", pick: (d) => d.aiQueries },
    { id: "premium", title: "admin.analytics.premium", pick: (d) => d.premiumWrittenCents, money: true },
  ];
  const range = t("admin.analytics.rangeLabel", { from: formatDate(data.from), to: formatDate(data.to) });
  return (
    <>
      <h2>{range}</h2>
      <TotalsTable totals={totals} />
      <div className="chart-grid">
        {dayCharts.map((chart) => {
          const format = chart.money ? (cents: number) => formatCents(cents) : formatCount;
          const title = t(chart.title);
          return (
            <section key={chart.id} className="card" aria-labelledby={`${chart.id}-heading`}>
              <h3 className="h3" id={`${chart.id}-heading`}>
                {t("admin.analytics.perDay", { metric: title })}
              </h3>
              <div className="chart-row">
                <DayColumns
                  id={`${chart.id}-chart`}
                  title={t("admin.analytics.perDay", { metric: title })}
                  points={series(data.days, chart.pick)}
                  format={format}
                  {...(chart.money ? { tickFormat: (cents: number) => formatCompactCents(cents), minimumStep: 100 } : {})}
                />
                <dl className="figures">
                  <dt>{t("admin.analytics.total")}</dt>
                  <dd data-metric={chart.id}>{format(chart.pick(totals))}</dd>
                </dl>
              </div>
            </section>
          );
        })}
        <section className="card" aria-labelledby="funnel-heading">
          <h3 className="h3" id="funnel-heading">
            {t("admin.analytics.funnel")}
          </h3>
          <div className="chart-row">
            <Funnel
              id="funnel-chart"
              title={t("admin.analytics.funnel")}
              steps={[
                { label: t("admin.analytics.quotes"), value: totals.quotes },
                { label: t("admin.analytics.applications"), value: totals.applications },
                { label: t("admin.analytics.policies"), value: totals.policies },
              ]}
            />
            <dl className="figures">
              <dt>{t("admin.analytics.quotes")}</dt>
              <dd>{formatCount(totals.quotes)}</dd>
              <dt>{t("admin.analytics.applications")}</dt>
              <dd>{formatCount(totals.applications)}</dd>
              <dt>{t("admin.analytics.policies")}</dt>
              <dd>{formatCount(totals.policies)}</dd>
              <dt>{t("admin.analytics.conversion")}</dt>
              <dd>{formatRate(totals.quoteToPolicyConversion) ?? none()}</dd>
            </dl>
          </div>
        </section>
        <section className="card" aria-labelledby="approval-heading">
          <h3 className="h3" id="approval-heading">
            {t("admin.analytics.approvalRate")}
          </h3>
          <div className="chart-row">
            <Split
              id="approval-chart"
              title={t("admin.analytics.approvalRate")}
              parts={[
                { label: t("admin.analytics.approved"), value: approved },
                { label: t("admin.analytics.declined"), value: declined },
              ]}
            />
            <dl className="figures">
              <dt>{t("admin.analytics.approvalRate")}</dt>
              <dd>{formatRate(totals.approvalRate) ?? none()}</dd>
              <dt>
                <span className="swatch part-a" aria-hidden="true" />
                {t("admin.analytics.approved")}
              </dt>
              <dd>{formatCount(approved)}</dd>
              <dt>
                <span className="swatch part-b" aria-hidden="true" />
                {t("admin.analytics.declined")}
              </dt>
              <dd>{formatCount(declined)}</dd>
            </dl>
          </div>
        </section>
      </div>
      <DaysTable days={data.days} />
    </>
  );
}

function TotalsTable({ totals }: { totals: Totals }) {
  const rows: [MessageKey, string][] = [
    ["admin.analytics.signUps", formatCount(totals.signUps)],
    ["admin.analytics.signIns", formatCount(totals.signIns)],
    ["admin.analytics.activeUsers", formatCount(totals.activeUsers)],
    ["admin.analytics.signInsPerUser", formatDecimal(totals.signInsPerUser) ?? none()],
    ["admin.analytics.quotes", formatCount(totals.quotes)],
    ["admin.analytics.applications", formatCount(totals.applications)],
    ["admin.analytics.policies", formatCount(totals.policies)],
    ["admin.analytics.conversion", formatRate(totals.quoteToPolicyConversion) ?? none()],
    ["admin.analytics.approvalRate", formatRate(totals.approvalRate) ?? none()],
    ["admin.analytics.premium", formatCents(totals.premiumWrittenCents)],
    ["admin.analytics.paymentsSucceeded", formatCount(totals.paymentsSucceeded)],
    ["admin.analytics.paymentsFailed", formatCount(totals.paymentsFailed)],
    ["admin.analytics.aiQueries", formatCount(totals.aiQueries)],
  ];
  return (
    <div className="card table-scroll">
      <table className="numbers">
        <caption>{t("admin.analytics.totals")}</caption>
        <tbody>
          {rows.map(([key, value]) => (
            <tr key={key}>
              <th scope="row">{t(key)}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DaysTable({ days }: { days: Day[] }) {
  return (
    <div className="card table-scroll">
      <table className="numbers">
        <caption>{t("admin.analytics.byDay")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("admin.analytics.day")}</th>
            <th scope="col">{t("admin.analytics.signUps")}</th>
            <th scope="col">{t("admin.analytics.signIns")}</th>
            <th scope="col">{t("admin.analytics.activeUsers")}</th>
            <th scope="col">{t("admin.analytics.quotes")}</th>
            <th scope="col">{t("admin.analytics.applications")}</th>
            <th scope="col">{t("admin.analytics.policies")}</th>
            <th scope="col">{t("admin.analytics.approvalRate")}</th>
            <th scope="col">{t("admin.analytics.premium")}</th>
            <th scope="col">{t("admin.analytics.aiQueries")}</th>
          </tr>
        </thead>
        <tbody>
          {[...days].reverse().map((day) => (
            <tr key={day.day}>
              <th scope="row">{formatDate(day.day)}</th>
              <td>{formatCount(day.signUps)}</td>
              <td>{formatCount(day.signIns)}</td>
              <td>{formatCount(day.activeUsers)}</td>
              <td>{formatCount(day.quotes)}</td>
              <td>{formatCount(day.applications)}</td>
              <td>{formatCount(day.policies)}</td>
              <td>{formatRate(day.approvalRate) ?? none()}</td>
              <td>{formatCents(day.premiumWrittenCents)}</td>
              <td>{formatCount(day.aiQueries)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
