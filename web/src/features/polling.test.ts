import { describe, expect, it } from "vitest";
import type { Application } from "../api/types";
import { applicationPollMs } from "./polling";

const application = (status: Application["status"]) => ({ status }) as Application;

describe("how often an application is re-read", () => {
  it("polls quickly while automated underwriting runs, slowly in review, not at all when decided", () => {
    expect(applicationPollMs(application("SUBMITTED"))).toBe(1500);
    expect(applicationPollMs(application("UNDER_REVIEW"))).toBe(10_000);
    for (const status of ["APPROVED", "DECLINED", "ACCEPTED"] as const) {
      expect(applicationPollMs(application(status))).toBe(false);
    }
  });
});
