// Day ranges for the analytics page: UTC calendar days as YYYY-MM-DD, checked by the API's rules.
import type { MessageKey } from "../../i18n";

const DAY_MS = 86_400_000;
/** The longest range the API answers (functions/analytics: MAX_DAYS). */
export const MAX_RANGE_DAYS = 366;
/** What the page shows when the address names no range. */
export const DEFAULT_RANGE_DAYS = 30;

export interface DayRange {
  from: string;
  to: string;
}

export interface RangeProblem {
  field: "from" | "to";
  key: MessageKey;
}

/** Today as the API counts days: in UTC, whatever the viewer's time zone. */
export function utcToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** A real calendar day written YYYY-MM-DD (not 2026-02-30, not "2026-2-1"). */
export function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 10) === value;
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** How many days a range covers, both ends included. */
export function daysCovered(range: DayRange): number {
  return Math.round((Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** The last ``days`` days up to and including ``today``. */
export function lastDays(days: number, today: string): DayRange {
  return { from: addDays(today, -(days - 1)), to: today };
}

/** What the API would refuse in a range, named by its field, as the API names it. */
export function rangeProblem(range: DayRange): RangeProblem | null {
  if (!isDay(range.from)) return { field: "from", key: "admin.analytics.range.invalidDay" };
  if (!isDay(range.to)) return { field: "to", key: "admin.analytics.range.invalidDay" };
  if (range.from > range.to) return { field: "from", key: "admin.analytics.range.order" };
  if (daysCovered(range) > MAX_RANGE_DAYS) return { field: "to", key: "admin.analytics.range.tooLong" };
  return null;
}

/** The range in the address (?from=&to=), or the default one when either end is missing. */
export function rangeFromParams(params: URLSearchParams, today: string): DayRange {
  const from = params.get("from");
  const to = params.get("to");
  return from && to ? { from, to } : lastDays(DEFAULT_RANGE_DAYS, today);
}
