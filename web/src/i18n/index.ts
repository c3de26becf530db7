// A small i18n layer: a catalogue per language, {name} interpolation, Intl for money and dates.
import { en, type MessageKey } from "./en";
import type { Money } from "../api/types";

type Catalogue = Record<MessageKey, string>;
const catalogues: Record<string, Catalogue> = { en };

let locale = "en-US";
let catalogue: Catalogue = en;

export function setLocale(next: string): void {
  const language = next.split("-")[0] ?? "en";
  catalogue = catalogues[language] ?? en;
  locale = catalogues[language] ? next : "en-US";
}

export function currentLocale(): string {
  return locale;
}

export type Vars = Record<string, string | number>;

export function t(key: MessageKey, vars: Vars = {}): string {
  return catalogue[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

/** A key built at run time (a status, a feature), or the raw value when it is not in the catalogue. */
export function tMaybe(key: string, fallback: string): string {
  return key in catalogue ? catalogue[key as MessageKey] : fallback;
}

/** Integer cents and an ISO currency, never floats: the API's money. */
export function formatMoney(money: Money | { amountCents: number; currency?: string }): string {
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency: money.currency ?? "USD",
  }).format(money.amountCents / 100);
}

export function formatCents(cents: number, currency = "USD"): string {
  return formatMoney({ amountCents: cents, currency });
}

/** A calendar date (YYYY-MM-DD) shown as that day, whatever the viewer's time zone. */
export function formatDate(value: string): string {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const date = day ? new Date(`${value}T00:00:00Z`) : new Date(value);
  return new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    ...(day ? { timeZone: "UTC" } : {}),
  }).format(date);
}

export function formatDateTime(value: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(value));
}

export type { MessageKey };
