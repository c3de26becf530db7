import { describe, expect, it } from "vitest";
import { addDays, daysCovered, isDay, lastDays, rangeFromParams, rangeProblem, utcToday } from "./dates";

describe("analytics day ranges", () => {
  it("takes today in UTC, as the API counts days, not in the viewer's zone", () => {
    // 23:30 in Chicago on 30 Nov is already 1 Dec in UTC.
    expect(utcToday(new Date("2026-12-01T05:30:00Z"))).toBe("2026-12-01");
    expect(utcToday(new Date("2026-11-30T23:59:59Z"))).toBe("2026-11-30");
  });

  it("counts both ends and crosses months, years and leap days", () => {
    expect(daysCovered({ from: "2026-12-01", to: "2026-12-01" })).toBe(1);
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
    expect(lastDays(7, "2026-12-03")).toEqual({ from: "2026-11-27", to: "2026-12-03" });
    expect(daysCovered(lastDays(30, "2026-03-10"))).toBe(30);
  });

  it("refuses what the API refuses, naming the same field", () => {
    expect(rangeProblem({ from: "2026-11-02", to: "2026-11-01" })).toEqual({
      field: "from",
      key: "admin.analytics.range.order",
    });
    // 2025-01-01 to 2026-01-01 is 366 days, the most the API answers; one more is too many.
    expect(rangeProblem({ from: "2025-01-01", to: "2026-01-01" })).toBeNull();
    expect(rangeProblem({ from: "2024-12-31", to: "2026-01-01" })).toEqual({
      field: "to",
      key: "admin.analytics.range.tooLong",
    });
    expect(rangeProblem({ from: "2026-02-30", to: "2026-03-01" })?.field).toBe("from");
    expect(rangeProblem({ from: "2026-03-01", to: "" })?.field).toBe("to");
  });

  it("knows a real day from text that only looks like one", () => {
    expect(isDay("2028-02-29")).toBe(true);
    expect(isDay("2026-02-29")).toBe(false);
    expect(isDay("2026-2-1")).toBe(false);
    expect(isDay("86400")).toBe(false);
  });

  it("reads the range from the address, else the last 30 days", () => {
    const today = "2026-12-01";
    expect(rangeFromParams(new URLSearchParams("from=2026-11-01&to=2026-11-05"), today)).toEqual({
      from: "2026-11-01",
      to: "2026-11-05",
    });
    expect(rangeFromParams(new URLSearchParams("from=2026-11-01"), today)).toEqual({ from: "2026-11-02", to: today });
  });
});
