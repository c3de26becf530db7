// A small i18n layer: a typed catalogue per language, {name} interpolation, Intl for money,
// numbers and dates. The language is a tiny store React subscribes to (useLanguage), so a
// switch re-renders every page; t() stays a plain function that reads the current catalogue.
// English is in the initial bundle; another language's catalogue is its own chunk, loaded
// before the switch to it (the initial JavaScript has a budget, see make web).
import { useSyncExternalStore } from "react";
import type { Money } from "../api/types";
import { en, type MessageKey } from "./en";

export type Catalogue = Record<MessageKey, string>;
export type Language = "en" | "es";

export const LANGUAGES: readonly Language[] = ["en", "es"];
export const DEFAULT_LANGUAGE: Language = "en";
/** The US market's locales: es-US writes money and numbers as the US does, in Spanish words. */
export const LOCALES: Record<Language, string> = { en: "en-US", es: "es-US" };
const LOADERS: Record<Language, () => Promise<Catalogue>> = {
  en: async () => en,
  es: async () => (await import("./es")).es,
};
const loaded: Partial<Record<Language, Catalogue>> = { en };

let language: Language = DEFAULT_LANGUAGE;
let catalogue: Catalogue = en;
let requested = 0;
const listeners = new Set<() => void>();

/** The language a BCP 47 tag asks for, when we speak it ("es-MX" is Spanish, "fr" is none). */
export function languageOf(tag: string | null | undefined): Language | null {
  const primary = (tag ?? "").trim().toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.find((known) => known === primary) ?? null;
}

/**
 * Switch to a language once its catalogue is here (at once when it already is). Of switches
 * made in quick succession the last one wins, whichever catalogue arrives first.
 */
export async function setLanguage(next: Language): Promise<void> {
  const ticket = ++requested;
  const found = loaded[next] ?? (loaded[next] = await LOADERS[next]());
  if (ticket !== requested) return;
  if (typeof document !== "undefined") document.documentElement.lang = LOCALES[next];
  if (next === language) return;
  language = next;
  catalogue = found;
  listeners.forEach((listener) => listener());
}

/** A locale tag in, its language (or English when we do not speak it) set. */
export function setLocale(tag: string): Promise<void> {
  return setLanguage(languageOf(tag) ?? DEFAULT_LANGUAGE);
}

export function currentLanguage(): Language {
  return language;
}

export function currentLocale(): string {
  return LOCALES[language];
}

export function subscribeLanguage(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current language; the calling component renders again when it changes. */
export function useLanguage(): Language {
  return useSyncExternalStore(subscribeLanguage, currentLanguage, currentLanguage);
}

export type Vars = Record<string, string | number>;

export function interpolate(text: string, vars: Vars): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function t(key: MessageKey, vars: Vars = {}): string {
  return interpolate(catalogue[key], vars);
}

export function hasKey(key: string): key is MessageKey {
  return key in catalogue;
}

/** A key built at run time (a status, a feature), or the raw value when it is not in the catalogue. */
export function tMaybe(key: string, fallback: string, vars: Vars = {}): string {
  return hasKey(key) ? t(key, vars) : fallback;
}

/** Integer cents and an ISO currency, never floats: the API's money. */
export function formatMoney(money: Money | { amountCents: number; currency?: string }): string {
  return new Intl.NumberFormat(currentLocale(), {
    style: "currency",
    currency: money.currency ?? "USD",
  }).format(money.amountCents / 100);
}

export function formatCents(cents: number, currency = "USD"): string {
  return formatMoney({ amountCents: cents, currency });
}

export function formatNumber(value: number): string {
  return new Intl.NumberFormat(currentLocale()).format(value);
}

/** A calendar date (YYYY-MM-DD) shown as that day, whatever the viewer's time zone. */
export function formatDate(value: string): string {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const date = day ? new Date(`${value}T00:00:00Z`) : new Date(value);
  return new Intl.DateTimeFormat(currentLocale(), {
    dateStyle: "medium",
    ...(day ? { timeZone: "UTC" } : {}),
  }).format(date);
}

export function formatDateTime(value: string): string {
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: "medium", timeStyle: "short" }).format(new Date(value));
}

export type { MessageKey };
