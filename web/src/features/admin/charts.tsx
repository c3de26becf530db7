// Plain SVG charts for the analytics page. Each is an image with a title and a description a
// screen reader reads; the numbers it draws are also printed beside it as text.
import { formatDate, t } from "../../i18n";
import { formatCount, formatShortDay } from "./format";
import { axisFor, columns, share } from "./scale";

// Drawn small and scaled up to the card's width, so 12-unit text reads at about 12-14 px.
const WIDTH = 400;
const HEIGHT = 180;
const LEFT = 56; // room for the value labels
const BOTTOM = 24; // room for the day labels
const TOP = 8;
const RIGHT = 8;

export interface DayValue {
  day: string;
  value: number;
}

/** One column per day, an axis that ends on a round number. */
export function DayColumns({
  id,
  title,
  points,
  format = formatCount,
  tickFormat = format,
  minimumStep = 1,
}: {
  id: string;
  title: string;
  points: DayValue[];
  format?: (value: number) => string;
  /** The axis labels' shorter form (money: "$1K"). */
  tickFormat?: (value: number) => string;
  /** The axis's smallest step, in the values' unit (100 for cents: whole dollars). */
  minimumStep?: number;
}) {
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const values = points.map((p) => p.value);
  const axis = axisFor(values, 4, minimumStep);
  const bars = columns(values, axis, plotWidth, plotHeight, { maxWidth: 48 });
  const peak = points.reduce<DayValue | null>((best, p) => (best === null || p.value > best.value ? p : best), null);
  const first = points[0];
  const last = points[points.length - 1];
  const labelled = new Set([0, points.length - 1, Math.floor((points.length - 1) / 2)]);
  const description =
    first && last && peak
      ? t("admin.chart.columnsSummary", {
          from: formatDate(first.day),
          to: formatDate(last.day),
          days: formatCount(points.length),
          peak: format(peak.value),
          peakDay: formatDate(peak.day),
        })
      : t("admin.chart.noDays");
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      preserveAspectRatio="xMidYMid meet"
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      <g transform={`translate(${LEFT} ${TOP})`}>
        {axis.ticks.map((tick) => {
          const y = plotHeight - (tick / axis.max) * plotHeight;
          return (
            <g key={tick} className="tick">
              <line x1={0} x2={plotWidth} y1={y} y2={y} />
              <text x={-6} y={y} dy="0.32em" textAnchor="end">
                {tickFormat(tick)}
              </text>
            </g>
          );
        })}
        {bars.map((bar, index) => {
          const point = points[index]!;
          return (
            <rect
              key={point.day}
              className="bar"
              data-day={point.day}
              data-value={point.value}
              x={bar.x}
              y={bar.y}
              width={Math.max(bar.width, 1)}
              height={bar.height}
            >
              <title>{`${formatDate(point.day)}: ${format(point.value)}`}</title>
            </rect>
          );
        })}
        {points.map((point, index) =>
          labelled.has(index) ? (
            <text
              key={point.day}
              className="day-label"
              x={(bars[index]?.x ?? 0) + (bars[index]?.width ?? 0) / 2}
              y={plotHeight + 16}
              textAnchor={points.length === 1 ? "middle" : index === 0 ? "start" : index === points.length - 1 ? "end" : "middle"}
            >
              {formatShortDay(point.day)}
            </text>
          ) : null,
        )}
      </g>
    </svg>
  );
}

export interface Step {
  label: string;
  value: number;
}

/** Horizontal bars, each step's length a share of the first step's (a funnel). */
export function Funnel({ id, title, steps }: { id: string; title: string; steps: Step[] }) {
  const rowHeight = 32;
  const labelWidth = 104;
  const barRoom = WIDTH - labelWidth - 56;
  const top = steps[0]?.value ?? 0;
  const height = steps.length * rowHeight + 8;
  const description = steps.map((s) => `${s.label}: ${formatCount(s.value)}`).join(" → ");
  return (
    <svg className="chart" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      {steps.map((step, index) => {
        const y = index * rowHeight + 4;
        const length = share(step.value, Math.max(top, ...steps.map((s) => s.value))) * barRoom;
        return (
          <g key={step.label}>
            <text className="step-label" x={labelWidth - 8} y={y + rowHeight / 2 - 2} dy="0.32em" textAnchor="end">
              {step.label}
            </text>
            <rect className={`bar step-${index}`} x={labelWidth} y={y} width={Math.max(length, 1)} height={rowHeight - 12} />
            <text className="value-label" x={labelWidth + Math.max(length, 1) + 6} y={y + rowHeight / 2 - 2} dy="0.32em">
              {formatCount(step.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** One bar split in two: e.g. approved against declined. */
export function Split({
  id,
  title,
  parts,
}: {
  id: string;
  title: string;
  parts: [Step, Step];
}) {
  const [a, b] = parts;
  const whole = a.value + b.value;
  const aWidth = share(a.value, whole) * WIDTH;
  const description = `${a.label}: ${formatCount(a.value)}, ${b.label}: ${formatCount(b.value)}`;
  return (
    <svg className="chart split" viewBox={`0 0 ${WIDTH} 32`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      {whole === 0 ? (
        <rect className="empty-bar" x={0} y={4} width={WIDTH} height={24} />
      ) : (
        <>
          <rect className="bar part-a" x={0} y={4} width={aWidth} height={24} />
          <rect className="bar part-b" x={aWidth} y={4} width={WIDTH - aWidth} height={24} />
        </>
      )}
    </svg>
  );
}
