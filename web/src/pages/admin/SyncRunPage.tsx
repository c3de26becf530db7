// One Salesforce sync run, re-read until it finishes: its outcome, the pull's conflicts and
// the push's refused records, as the API reports them.
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { Page } from "../../components/Page";
import { Empty } from "../../components/States";
import { useApi } from "../../context";
import { AdminOnly, AdminQueryState } from "../../features/admin/access";
import { formatCount } from "../../features/admin/format";
import { isFinished, runStatusLabel, runTone, type SyncRun } from "../../features/admin/sync";
import { syncRunPollMs } from "../../features/polling";
import { formatDateTime, t, tMaybe, type MessageKey } from "../../i18n";

type PullReport = components["schemas"]["PullReport"];
type PushReport = components["schemas"]["PushReport"];

export default function SyncRunPage() {
  return (
    <AdminOnly>
      <RunView />
    </AdminOnly>
  );
}

function RunView() {
  const { runId = "" } = useParams();
  const api = useApi();
  const run = useQuery({
    queryKey: ["admin", "sync", runId],
    queryFn: () => unwrap(api.GET("/salesforce/sync/{runId}", { params: { path: { runId } } })),
    refetchInterval: (query) => syncRunPollMs(query.state.data),
  });
  return (
    <Page title={t("admin.sync.runTitle")}>
      <p>
        <Link to="/admin/salesforce">{t("admin.sync.another")}</Link>
      </p>
      <AdminQueryState query={run}>{(found) => <Run run={found} />}</AdminQueryState>
    </Page>
  );
}

function when(value: string | null | undefined): string {
  return value ? formatDateTime(value) : t("admin.none");
}

/** A watermark is a moment in ISO 8601; anything else is shown as the API gave it. */
function moment(value: string | null | undefined): string | null {
  if (!value) return null;
  return Number.isNaN(Date.parse(value)) ? value : formatDateTime(value);
}

function Run({ run }: { run: SyncRun }) {
  const tone = runTone(run.status);
  return (
    <>
      <p className={tone === "moving" ? "warning" : tone} role="status" aria-live="polite" data-status={run.status}>
        {t("admin.sync.statusLine", { status: runStatusLabel(run.status) })}
        {!isFinished(run) ? ` ${t("admin.sync.watching")}` : ""}
      </p>
      <dl className="card facts">
        <dt>{t("admin.sync.runId")}</dt>
        <dd className="change-value">{run.runId}</dd>
        <dt>{t("admin.sync.direction")}</dt>
        <dd>{tMaybe(`admin.sync.direction.${run.direction}`, run.direction)}</dd>
        <dt>{t("admin.sync.trigger")}</dt>
        <dd>{tMaybe(`admin.sync.trigger.${run.trigger}`, run.trigger)}</dd>
        <dt>{t("admin.sync.queuedAt")}</dt>
        <dd>{when(run.queuedAt)}</dd>
        <dt>{t("admin.sync.startedAt")}</dt>
        <dd>{when(run.startedAt)}</dd>
        <dt>{t("admin.sync.finishedAt")}</dt>
        <dd>{when(run.finishedAt)}</dd>
        {run.attempts ? (
          <>
            <dt>{t("admin.sync.attempts")}</dt>
            <dd>{formatCount(run.attempts)}</dd>
          </>
        ) : null}
        {run.error ? (
          <>
            <dt>{t("admin.sync.error")}</dt>
            <dd>{run.error}</dd>
          </>
        ) : null}
      </dl>
      {run.pull ? <Pull report={run.pull} /> : null}
      {run.push ? <Push report={run.push} /> : null}
    </>
  );
}

function Counts({ caption, rows }: { caption: string; rows: [MessageKey, number | string | null | undefined][] }) {
  return (
    <table className="numbers">
      <caption>{caption}</caption>
      <tbody>
        {rows.map(([key, value]) => (
          <tr key={key}>
            <th scope="row">{t(key)}</th>
            <td>{typeof value === "number" ? formatCount(value) : value || t("admin.none")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Pull({ report }: { report: PullReport }) {
  return (
    <section className="card" aria-labelledby="pull-title">
      <h2 id="pull-title">{t("admin.sync.pullTitle")}</h2>
      <p data-status={report.status}>{t("admin.sync.statusLine", { status: runStatusLabel(report.status) })}</p>
      <div className="table-scroll">
        <Counts
          caption={t("admin.sync.pullCounts")}
          rows={[
            ["admin.sync.pages", report.pages],
            ["admin.sync.records", report.records],
            ["admin.sync.created", report.created],
            ["admin.sync.updated", report.updated],
            ["admin.sync.unchanged", report.unchanged],
            ["admin.sync.deleted", report.deleted],
            ["admin.sync.conflictCount", report.conflictCount],
            ["admin.sync.watermarkBefore", moment(report.watermarkBefore)],
            ["admin.sync.watermarkAfter", moment(report.watermarkAfter)],
          ]}
        />
      </div>
      <h3 className="h3">{t("admin.sync.conflicts")}</h3>
      {report.conflicts.length === 0 ? (
        <Empty>{t("admin.sync.noConflicts")}</Empty>
      ) : (
        <div className="table-scroll">
          <table>
            <caption>
              {t("admin.sync.conflictsShown", {
                shown: formatCount(report.conflicts.length),
                total: formatCount(report.conflictCount),
              })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("admin.sync.salesforceId")}</th>
                <th scope="col">{t("admin.sync.field")}</th>
                <th scope="col">{t("admin.sync.kept")}</th>
                <th scope="col">{t("admin.sync.lost")}</th>
              </tr>
            </thead>
            <tbody>
              {report.conflicts.map((conflict, index) => (
                <tr key={`${conflict.salesforceId}-${conflict.field}-${index}`}>
                  <td>{conflict.salesforceId}</td>
                  <td>{conflict.field}</td>
                  <td>{tMaybe(`admin.sync.side.${conflict.kept}`, conflict.kept)}</td>
                  <td>{tMaybe(`admin.sync.side.${conflict.lost}`, conflict.lost)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Push({ report }: { report: PushReport }) {
  return (
    <section className="card" aria-labelledby="push-title">
      <h2 id="push-title">{t("admin.sync.pushTitle")}</h2>
      <p data-status={report.status}>{t("admin.sync.statusLine", { status: runStatusLabel(report.status) })}</p>
      <div className="table-scroll">
        <Counts
          caption={t("admin.sync.pushCounts")}
          rows={[
            ["admin.sync.considered", report.considered],
            ["admin.sync.sent", report.sent],
            ["admin.sync.created", report.created],
            ["admin.sync.updated", report.updated],
            ["admin.sync.skipped", report.skipped],
            ["admin.sync.failed", report.failed],
            ["admin.sync.watermarkBefore", moment(report.watermarkBefore)],
            ["admin.sync.watermarkAfter", moment(report.watermarkAfter)],
          ]}
        />
      </div>
      <h3 className="h3">{t("admin.sync.refused")}</h3>
      {report.errors.length === 0 ? (
        <Empty>{t("admin.sync.noneRefused")}</Empty>
      ) : (
        <div className="table-scroll">
          <table>
            <caption>
              {t("admin.sync.refusedShown", {
                shown: formatCount(report.errors.length),
                total: formatCount(report.failed),
              })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("admin.sync.customerId")}</th>
                <th scope="col">{t("admin.sync.why")}</th>
              </tr>
            </thead>
            <tbody>
              {report.errors.map((failure, index) => (
                <tr key={`${failure.customerId}-${index}`}>
                  <td>{failure.customerId}</td>
                  <td>
                    <ul className="plain">
                      {failure.errors.map((error, n) => (
                        <li key={n}>
                          {[error.statusCode, error.message].filter(Boolean).join(": ") || t("admin.none")}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
