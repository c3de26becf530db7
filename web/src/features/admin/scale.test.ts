import { describe, expect, it } from "vitest";
import { axisFor, columns, niceStep, share } from "./scale";

describe("chart scaling", () => {
  it("steps by 1, 2 or 5 times a power of ten, whole numbers for counts", () => {
    expect(niceStep(0.3)).toBe(1);
    expect(niceStep(1.2)).toBe(2);
    expect(niceStep(3)).toBe(5);
    expect(niceStep(7)).toBe(10);
    expect(niceStep(308)).toBe(500);
  });

  it("ends the axis on a round number at or above the largest value", () => {
    expect(axisFor([0, 3, 1])).toEqual({ max: 3, ticks: [0, 1, 2, 3] });
    expect(axisFor([1234])).toEqual({ max: 1500, ticks: [0, 500, 1000, 1500] });
    expect(axisFor([40_345, 0]).max).toBeGreaterThanOrEqual(40_345);
    // Money in cents steps by whole dollars at least: no "$0.01" axis for a day without sales.
    expect(axisFor([0], 4, 100)).toEqual({ max: 100, ticks: [0, 100] });
    expect(axisFor([80_690], 4, 100)).toEqual({ max: 100_000, ticks: [0, 50_000, 100_000] });
  });

  it("draws an empty range on an axis of one, not a division by zero", () => {
    expect(axisFor([])).toEqual({ max: 1, ticks: [0, 1] });
    expect(axisFor([0, 0])).toEqual({ max: 1, ticks: [0, 1] });
    const bars = columns([0, 0], axisFor([0, 0]), 100, 50);
    expect(bars.every((b) => b.height === 0 && b.y === 50)).toBe(true);
  });

  it("gives each day an equal slot and a height in proportion to its value", () => {
    const bars = columns([2, 4], { max: 4, ticks: [0, 2, 4] }, 200, 100, { gapRatio: 0.2 });
    expect(bars).toEqual([
      { x: 10, y: 50, width: 80, height: 50 },
      { x: 110, y: 0, width: 80, height: 100 },
    ]);
    // A single day fills its slot unless capped; capped, it stands in the middle.
    expect(columns([1], { max: 1, ticks: [0, 1] }, 200, 100)).toEqual([{ x: 0, y: 0, width: 200, height: 100 }]);
    expect(columns([1], { max: 1, ticks: [0, 1] }, 200, 100, { maxWidth: 40 })).toEqual([
      { x: 80, y: 0, width: 40, height: 100 },
    ]);
  });

  it("keeps a share between 0 and 1", () => {
    expect(share(3, 4)).toBe(0.75);
    expect(share(1, 0)).toBe(0);
    expect(share(5, 4)).toBe(1);
  });
});
