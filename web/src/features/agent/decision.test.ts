import { describe, expect, it } from "vitest";
import {
  ADJUSTMENT_MAX_BPS,
  ADJUSTMENT_MIN_BPS,
  adjustCents,
  checkDecision,
  percentToBps,
  toRequest,
  type DecisionDraft,
} from "./decision";

const approve = (adjustmentPercent: string, reason = "Condition controlled."): DecisionDraft => ({
  outcome: "APPROVE",
  adjustmentPercent,
  reason,
});

describe("the premium adjustment a reviewer types", () => {
  it("reads percent as whole basis points", () => {
    expect(percentToBps("10")).toBe(1000);
    expect(percentToBps("+15")).toBe(1500);
    expect(percentToBps("-2.5")).toBe(-250);
    expect(percentToBps("-2,75")).toBe(-275); // a Spanish decimal comma
    expect(percentToBps(" 0.01 ")).toBe(1);
    expect(percentToBps("")).toBe(0);
  });

  it("refuses what is not a percent with at most two decimals", () => {
    for (const text of ["ten", "1.234", "1e3", "--5", "5%", "1000.5.1", "."]) {
      expect(percentToBps(text)).toBeNull();
    }
  });

  it("accepts exactly the API's bounds and nothing beyond them", () => {
    expect(ADJUSTMENT_MIN_BPS).toBe(-2500);
    expect(ADJUSTMENT_MAX_BPS).toBe(10_000);
    expect(checkDecision(approve("-25"))).toEqual({});
    expect(checkDecision(approve("100"))).toEqual({});
    expect(checkDecision(approve("-25.01"))).toEqual({ premiumAdjustmentBps: "adjustmentRange" });
    expect(checkDecision(approve("100.01"))).toEqual({ premiumAdjustmentBps: "adjustmentRange" });
    expect(checkDecision(approve("abc"))).toEqual({ premiumAdjustmentBps: "adjustmentFormat" });
  });
});

describe("a decision", () => {
  it("needs an outcome and a reason of 3 to 500 characters once trimmed", () => {
    expect(checkDecision({ outcome: "", adjustmentPercent: "", reason: "" })).toEqual({
      outcome: "outcomeRequired",
      reason: "reasonRequired",
    });
    expect(checkDecision(approve("", "  ok  "))).toEqual({ reason: "reasonRequired" });
    expect(checkDecision(approve("", "x".repeat(500)))).toEqual({});
    expect(checkDecision(approve("", "x".repeat(501)))).toEqual({ reason: "reasonTooLong" });
    expect(checkDecision(approve("", "é".repeat(500)))).toEqual({}); // counted in characters
  });

  it("moves no premium on a decline", () => {
    const decline: DecisionDraft = { outcome: "DECLINE", adjustmentPercent: "10", reason: "Too much risk." };
    expect(checkDecision(decline)).toEqual({ premiumAdjustmentBps: "adjustmentOnDecline" });
    expect(checkDecision({ ...decline, adjustmentPercent: "0" })).toEqual({});
    expect(toRequest({ ...decline, adjustmentPercent: "" })).toEqual({
      outcome: "DECLINE",
      reason: "Too much risk.",
      premiumAdjustmentBps: 0,
    });
  });

  it("is sent as the API's body, the reason trimmed", () => {
    expect(toRequest(approve("12.5", "  Controlled for five years. "))).toEqual({
      outcome: "APPROVE",
      reason: "Controlled for five years.",
      premiumAdjustmentBps: 1250,
    });
  });
});

describe("the adjusted premium shown before deciding", () => {
  it("rounds half up as the API does", () => {
    expect(adjustCents(3539, 1000)).toBe(3893); // 3892.9
    expect(adjustCents(40345, 1000)).toBe(44380); // 44379.5 → up
    expect(adjustCents(1001, -2500)).toBe(751); // 750.75
    expect(adjustCents(5000, 0)).toBe(5000);
    expect(adjustCents(2, 2500)).toBe(3); // 2.5 → up
  });
});
