// Chart scaling: an axis that ends on a round number, with whole-number steps for counts.

/** A round step (1, 2 or 5 times a power of ten) of at least ``minimum``, near ``rough``. */
export function niceStep(rough: number, minimum = 1): number {
  if (!(rough > minimum)) return minimum;
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return Math.max(minimum, nice * power);
}

export interface Axis {
  /** The value at the top of the chart (never below the largest value, never 0). */
  max: number;
  /** Where the grid lines go, from 0 to max. */
  ticks: number[];
}

/** An axis for non-negative values: about ``intervals`` round steps from 0 to past the largest,
 * none smaller than ``minimumStep`` (1 for counts; 100 for cents, so money steps by whole dollars). */
export function axisFor(values: number[], intervals = 4, minimumStep = 1): Axis {
  const largest = Math.max(0, ...values.filter((v) => Number.isFinite(v)));
  const step = niceStep(largest / intervals, minimumStep);
  const max = Math.max(step, Math.ceil(largest / step) * step);
  const ticks: number[] = [];
  for (let tick = 0; tick <= max + step / 2; tick += step) ticks.push(tick);
  return { max, ticks };
}

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Columns for ``values`` in a plot of ``width`` x ``height`` (origin top left, as SVG's), each
 * centred in an equal slot and no wider than ``maxWidth`` (a few days must not be slabs). */
export function columns(
  values: number[],
  axis: Axis,
  width: number,
  height: number,
  { gapRatio = 0.2, maxWidth = Infinity }: { gapRatio?: number; maxWidth?: number } = {},
): Bar[] {
  if (values.length === 0) return [];
  const slot = width / values.length;
  const barWidth = Math.min(maxWidth, values.length > 1 ? slot * (1 - gapRatio) : slot);
  return values.map((value, index) => {
    const barHeight = (Math.max(0, value) / axis.max) * height;
    return { x: index * slot + (slot - barWidth) / 2, y: height - barHeight, width: barWidth, height: barHeight };
  });
}

/** ``part`` as a share of ``whole`` in [0, 1]; 0 when there is no whole to share. */
export function share(part: number, whole: number): number {
  if (!(whole > 0)) return 0;
  return Math.min(1, Math.max(0, part / whole));
}
