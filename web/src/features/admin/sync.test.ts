import { describe, expect, it } from "vitest";
import { syncRunPollMs } from "../polling";
import { isFinished, runChanges, runMoment, runTone, type SyncRun } from "./sync";

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

describe("a run in the list", () => {
  it("sits at the time an admin queued it, or the schedule started it", () => {
    const queued = { ...run("RUNNING"), queuedAt: "2026-12-01T12:00:00+00:00", startedAt: "2026-12-01T12:00:09+00:00" };
    expect(runMoment(queued)).toBe("2026-12-01T12:00:00+00:00");
    expect(runMoment({ ...run("RUNNING"), trigger: "schedule", startedAt: "2026-12-01T12:15:00+00:00" })).toBe(
      "2026-12-01T12:15:00+00:00",
    );
    expect(runMoment(run("QUEUED"))).toBeNull();
  });

  it("says what each direction it ran did, and nothing for a run that has not reported", () => {
    expect(runChanges(run("QUEUED"))).toEqual([]);
    const both = {
      ...run("SUCCEEDED"),
      pull: { records: 3, created: 1, updated: 1, deleted: 1, conflictCount: 0 },
      push: { sent: 2, created: 2, updated: 0, failed: 0 },
    } as SyncRun;
    expect(runChanges(both)).toEqual([
      "Pull: 3 read, 1 created, 1 updated, 1 marked deleted, 0 conflicts",
      "Push: 2 sent, 2 created, 0 updated, 0 refused",
    ]);
  });
});
