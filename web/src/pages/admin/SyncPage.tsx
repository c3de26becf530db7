// Start a Salesforce sync: pull (Salesforce → portal), push (portal → Salesforce) or both.
// The API queues the run and answers at once; the run's own page watches it finish. Below,
// the runs so far (an admin's and the hourly schedule's), the latest first, each linking to
// its page.
import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { unwrap } from "../../api/client";
import { Choice } from "../../components/Field";
import { Page } from "../../components/Page";
import { Empty, Loading } from "../../components/States";
import { useApi } from "../../context";
import { AdminOnly, ProblemBox } from "../../features/admin/access";
import {
  DIRECTIONS,
  runChanges,
  runMoment,
  runStatusLabel,
  type Direction,
  type SyncRun,
} from "../../features/admin/sync";
import { formatDateTime, t, tMaybe } from "../../i18n";

const PAGE_SIZE = 20;

export default function SyncPage() {
  return (
    <AdminOnly>
      <StartSync />
    </AdminOnly>
  );
}

function StartSync() {
  const api = useApi();
  const navigate = useNavigate();
  const [direction, setDirection] = useState<Direction | null>(null);
  const [missing, setMissing] = useState(false);
  const start = useMutation({
    mutationFn: (chosen: Direction) => unwrap(api.POST("/salesforce/sync", { body: { direction: chosen } })),
    onSuccess: (run) => navigate(`/admin/salesforce/runs/${encodeURIComponent(run.runId)}`),
  });

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!direction) {
      setMissing(true);
      return;
    }
    start.mutate(direction);
  }

  return (
    <Page title={t("admin.sync.title")}>
      <p>{t("admin.sync.intro")}</p>
      <form className="card form" onSubmit={onSubmit} aria-labelledby="sync-start-title" noValidate>
        <h2 id="sync-start-title">{t("admin.sync.start")}</h2>
        <Choice
          legend={t("admin.sync.direction")}
          name="direction"
          value={direction}
          onChange={(value) => {
            setMissing(false);
            setDirection(value as Direction);
          }}
          options={DIRECTIONS.map((d) => ({ value: d, label: tMaybe(`admin.sync.direction.${d}`, d) }))}
          error={missing ? t("admin.sync.directionMissing") : undefined}
        />
        <ProblemBox error={start.error} />
        <div className="actions">
          <button type="submit" disabled={start.isPending}>
            {start.isPending ? t("form.submitting") : t("admin.sync.submit")}
          </button>
        </div>
      </form>
      <p className="muted">{t("admin.sync.schedule")}</p>
      <RecentRuns />
    </Page>
  );
}

function runPath(run: SyncRun): string {
  return `/admin/salesforce/runs/${encodeURIComponent(run.runId)}`;
}

function when(value: string | null | undefined): string {
  return value ? formatDateTime(value) : t("admin.none");
}

function RecentRuns() {
  const api = useApi();
  const runs = useInfiniteQuery({
    queryKey: ["admin", "sync", "runs"],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/salesforce/sync", { params: { query: { limit: PAGE_SIZE, nextToken: pageParam } } })),
    getNextPageParam: (last) => last.nextToken ?? undefined,
  });
  // As the API orders them: the latest first.
  const items = runs.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="sync-runs-title">
      <h2 id="sync-runs-title">{t("admin.sync.runs.title")}</h2>
      <div className="actions">
        <button type="button" className="secondary" disabled={runs.isFetching} onClick={() => void runs.refetch()}>
          {runs.isFetching && !runs.isPending ? t("state.loading") : t("admin.sync.runs.refresh")}
        </button>
      </div>
      {runs.isPending ? <Loading /> : null}
      {runs.isError ? <ProblemBox error={runs.error} onRetry={() => void runs.refetch()} /> : null}
      {runs.isSuccess && items.length === 0 ? <Empty>{t("admin.sync.runs.none")}</Empty> : null}
      {items.length > 0 ? (
        <div className="table-scroll">
          <table className="sync-runs">
            <caption>{t("admin.sync.runs.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("admin.sync.runs.run")}</th>
                <th scope="col">{t("admin.sync.runs.status")}</th>
                <th scope="col">{t("admin.sync.direction")}</th>
                <th scope="col">{t("admin.sync.trigger")}</th>
                <th scope="col">{t("admin.sync.startedAt")}</th>
                <th scope="col">{t("admin.sync.finishedAt")}</th>
                <th scope="col">{t("admin.sync.runs.changes")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((run) => (
                <RunRow key={run.runId} run={run} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {runs.hasNextPage ? (
        <div className="pager">
          <button
            type="button"
            className="secondary"
            disabled={runs.isFetchingNextPage}
            onClick={() => void runs.fetchNextPage()}
          >
            {runs.isFetchingNextPage ? t("state.loading") : t("admin.sync.runs.more")}
          </button>
        </div>
      ) : null}
    </section>
  );
}

function RunRow({ run }: { run: SyncRun }) {
  const moment = runMoment(run);
  const changes = runChanges(run);
  return (
    <tr data-run={run.runId}>
      <th scope="row">
        <Link to={runPath(run)}>{moment ? formatDateTime(moment) : run.runId}</Link>
      </th>
      <td data-status={run.status}>{runStatusLabel(run.status)}</td>
      <td>{tMaybe(`admin.sync.direction.${run.direction}`, run.direction)}</td>
      <td>{tMaybe(`admin.sync.trigger.${run.trigger}`, run.trigger)}</td>
      <td>{when(run.startedAt)}</td>
      <td>{when(run.finishedAt)}</td>
      <td>
        {changes.length ? (
          <ul className="plain">
            {changes.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        ) : (
          t("admin.none")
        )}
      </td>
    </tr>
  );
}
