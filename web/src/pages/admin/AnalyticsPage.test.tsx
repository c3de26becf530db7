import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderAs } from "../../features/admin/testing";
import { fakeFetch } from "../../test/harness";
import AnalyticsPage from "./AnalyticsPage";

const zero = {
  signUps: 0,
  signIns: 0,
  activeUsers: 0,
  quotes: 0,
  applications: 0,
  applicationsByStatus: {},
  policies: 0,
  premiumWrittenCents: 0,
  paymentsSucceeded: 0,
  paymentsFailed: 0,
  aiQueries: 0,
};
const BODY = {
  from: "2026-11-30",
  to: "2026-12-01",
  totals: {
    ...zero,
    signUps: 3,
    signIns: 7,
    activeUsers: 4,
    signInsPerUser: 1.75,
    quotes: 10,
    applications: 6,
    applicationsByStatus: { SUBMITTED: 6, APPROVED: 3, DECLINED: 1 },
    approvalRate: 0.75,
    policies: 2,
    quoteToPolicyConversion: 0.2,
    premiumWrittenCents: 80690,
    aiQueries: 5,
  },
  days: [
    { ...zero, day: "2026-11-30", signUps: 1, signIns: 2, activeUsers: 1, quotes: 4 },
    { ...zero, day: "2026-12-01", signUps: 2, signIns: 5, activeUsers: 3, quotes: 6, premiumWrittenCents: 80690, aiQueries: 5 },
  ],
};

describe("analytics for a range of days", () => {
  it("asks for the range in the address and draws each metric with its numbers beside it", async () => {
    const api = fakeFetch({ "GET /v1/admin/analytics": [{ status: 200, body: BODY }] });
    renderAs(["admins"], "/admin/analytics?from=2026-11-30&to=2026-12-01", "/admin/analytics", <AnalyticsPage />, api.fetch);
    const totals = await screen.findByRole("table", { name: "Totals for the range" });
    expect(api.calls[0]!.url).toMatch(/from=2026-11-30&to=2026-12-01/);
    expect(within(totals).getByRole("row", { name: /^Sign-ups/ })).toHaveTextContent("3");
    expect(within(totals).getByRole("row", { name: /^Approval rate/ })).toHaveTextContent("75%");
    expect(within(totals).getByRole("row", { name: /^Premium written/ })).toHaveTextContent("$806.90");

    const signUps = screen.getByRole("img", { name: /^Sign-ups per day/ });
    const bars = signUps.querySelectorAll("rect.bar");
    expect([...bars].map((b) => b.getAttribute("data-value"))).toEqual(["1", "2"]);
    // The taller day's column fills the plot (axis max 2), the other half of it.
    expect(Number(bars[1]!.getAttribute("height"))).toBeCloseTo(2 * Number(bars[0]!.getAttribute("height")));
    expect(signUps).toHaveAccessibleName(/highest 2 on Dec 1, 2026/);

    const funnel = screen.getByRole("img", { name: /^Quotes → applications → policies/ });
    expect(funnel).toHaveAccessibleName(/Quotes: 10 → Applications: 6 → Policies: 2/);
    expect(screen.getByRole("img", { name: /^Approval rate/ })).toHaveAccessibleName(/Approved: 3, Declined: 1/);

    const byDay = screen.getByRole("table", { name: "By day, newest first" });
    const rows = within(byDay).getAllByRole("row").slice(1);
    expect(rows[0]).toHaveTextContent(/^Dec 1, 2026/);
  });

  it("refuses a backwards range as the API would, without asking it", async () => {
    const api = fakeFetch({});
    renderAs(["admins"], "/admin/analytics?from=2026-12-02&to=2026-12-01", "/admin/analytics", <AnalyticsPage />, api.fetch);
    expect(await screen.findByRole("alert")).toHaveTextContent("The first day must not be after the last.");
    expect(api.calls).toHaveLength(0);
  });
});
