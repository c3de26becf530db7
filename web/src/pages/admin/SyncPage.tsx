// Start a Salesforce sync: pull (Salesforce → portal), push (portal → Salesforce) or both.
// The API queues the run and answers at once; the run's own page watches it finish.
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { unwrap } from "../../api/client";
import { Choice } from "../../components/Field";
import { Page } from "../../components/Page";
import { useApi } from "../../context";
import { AdminOnly, ProblemBox } from "../../features/admin/access";
import { DIRECTIONS, type Direction } from "../../features/admin/sync";
import { t, tMaybe } from "../../i18n";

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
    </Page>
  );
}
