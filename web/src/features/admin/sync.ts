// A Salesforce sync run: which states are still moving, and how the page names them.
import type { components } from "../../api/schema";
import { t, tMaybe } from "../../i18n";
import { formatCount } from "./format";

export type SyncRun = components["schemas"]["SyncRun"];
export type Direction = SyncRun["direction"];
export const DIRECTIONS: Direction[] = ["pull", "push", "both"];
const MOVING = new Set<SyncRun["status"]>(["QUEUED", "RUNNING", "RETRYING"]);

export function isFinished(run: SyncRun | undefined): boolean {
  return run !== undefined && !MOVING.has(run.status);
}

export function runStatusLabel(status: string): string {
  return tMaybe(`admin.sync.status.${status}`, status);
}

/** The outcome as a tone: finished well, finished with something to read, or failed. */
export function runTone(status: SyncRun["status"]): "success" | "warning" | "error-box" | "moving" {
  if (status === "SUCCEEDED") return "success";
  if (status === "FAILED") return "error-box";
  if (MOVING.has(status)) return "moving";
  return "warning";
}

/** When a run began, as the list orders it: queued (an admin's run) or started (the schedule's). */
export function runMoment(run: SyncRun): string | null {
  return run.queuedAt ?? run.startedAt ?? null;
}

/** What a run did, one line per direction it ran, in the viewer's words and numbers. */
export function runChanges(run: SyncRun): string[] {
  const lines: string[] = [];
  if (run.pull) {
    const { records, created, updated, deleted, conflictCount } = run.pull;
    lines.push(
      t("admin.sync.runs.pull", {
        records: formatCount(records),
        created: formatCount(created),
        updated: formatCount(updated),
        deleted: formatCount(deleted),
        conflicts: formatCount(conflictCount),
      }),
    );
  }
  if (run.push) {
    const { sent, created, updated, failed } = run.push;
    lines.push(
      t("admin.sync.runs.push", {
        sent: formatCount(sent),
        created: formatCount(created),
        updated: formatCount(updated),
        failed: formatCount(failed),
      }),
    );
  }
  return lines;
}
