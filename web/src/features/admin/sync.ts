// A Salesforce sync run: which states are still moving, and how the page names them.
import type { components } from "../../api/schema";
import { tMaybe } from "../../i18n";

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
