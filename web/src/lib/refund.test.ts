import { describe, expect, it } from "vitest";
import type { Policy } from "../api/types";
import { estimateRefundCents, proratedRefundCents } from "./refund";

describe("the refund shown before cancelling", () => {
  it("returns the unused days of the term, rounded down", () => {
    expect(proratedRefundCents(36500, "2026-01-01", "2027-01-01", "2026-01-01")).toBe(36500);
    expect(proratedRefundCents(36500, "2026-01-01", "2027-01-01", "2026-07-02")).toBe(18300);
    expect(proratedRefundCents(10000, "2026-01-01", "2027-01-01", "2026-01-02")).toBe(9972); // 9972.6 down
    expect(proratedRefundCents(10000, "2026-01-01", "2027-01-01", "2027-01-01")).toBe(0);
  });

  it("counts a paid renewal and nothing for an unpaid policy", () => {
    const policy = {
      status: "ACTIVE",
      termStart: "2026-01-01",
      termEnd: "2027-01-01",
      annualPremium: { amountCents: 36500, currency: "USD" },
      renewal: {
        status: "PAID",
        termStart: "2027-01-01",
        termEnd: "2028-01-01",
        annualPremium: { amountCents: 40000, currency: "USD" },
      },
    } as unknown as Policy;
    expect(estimateRefundCents(policy, "2026-12-31")).toBe(100 + 40000);
    expect(estimateRefundCents({ ...policy, status: "PENDING_PAYMENT", renewal: null }, "2026-06-01")).toBe(0);
  });
});
