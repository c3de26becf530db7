// Counts and rates in the viewer's locale (Intl), for the admin pages' figures and charts.
import { currentLocale } from "../../i18n";

export function formatCount(value: number): string {
  return new Intl.NumberFormat(currentLocale(), { maximumFractionDigits: 0 }).format(value);
}

/** A ratio (0.724) as a percentage ("72.4%"); a rate the API could not compute is null. */
export function formatRate(value: number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return new Intl.NumberFormat(currentLocale(), { style: "percent", maximumFractionDigits: 1 }).format(value);
}

export function formatDecimal(value: number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return new Intl.NumberFormat(currentLocale(), { maximumFractionDigits: 2 }).format(value);
}

/** A day of the range, short (no year) for axis labels. */
export function formatShortDay(day: string): string {
  return new Intl.DateTimeFormat(currentLocale(), { month: "short", day: "numeric", timeZone: "UTC" }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

/** Cents as short money for an axis ("$1K", "$250"). */
export function formatCompactCents(cents: number, currency = "USD"): string {
  return new Intl.NumberFormat(currentLocale(), {
    style: "currency",
    currency,
    notation: "compact",
    maximumFractionDigits: 1,
  }).format(cents / 100);
}
