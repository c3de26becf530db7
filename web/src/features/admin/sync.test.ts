import { describe, expect, it } from "vitest";
import { syncRunPollMs } from "../polling";
import { isFinished, runTone, type SyncRun } from "./sync";

const run = (status: SyncRun["status"]) => ({ runId: "r", direction: "push", trigger: "manual", status }) as SyncRun;

describe("watching a sync run", () => {
  it("re-reads a run while it is queued, running or retrying, and stops once it has finished", () => {
    for (const status of ["QUEUED", "RUNNING", "RETRYING"] as const) {
      expect(syncRunPollMs(run(status))).toBe(2000);
      expect(isFinished(run(status))).toBe(false);
    }
    for (const status of [
      "SUCCEEDED",
      "COMPLETED_WITH_ERRORS",
      "STOPPED_AT_TIME_LIMIT",
      "STOPPED_AT_API_LIMIT",
      "FAILED",
    ] as const) {
      expect(syncRunPollMs(run(status))).toBe(false);
      expect(isFinished(run(status))).toBe(true);
    }
    expect(syncRunPollMs(undefined)).toBe(false);
  });

  it("tells a clean finish from one with something to read and from a failure", () => {
    expect(runTone("SUCCEEDED")).toBe("success");
    expect(runTone("COMPLETED_WITH_ERRORS")).toBe("warning");
    expect(runTone("STOPPED_AT_API_LIMIT")).toBe("warning");
    expect(runTone("FAILED")).toBe("error-box");
    expect(runTone("RUNNING")).toBe("moving");
  });
});
