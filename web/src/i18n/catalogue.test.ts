import { describe, expect, it } from "vitest";
import { adminEn } from "./admin.en";
import { adminEs } from "./admin.es";
import { agentEn } from "./agent.en";
import { agentEs } from "./agent.es";
import { en } from "./en";
import { es } from "./es";

type Strings = Record<string, string>;

// Modules compared key by key: the whole catalogues, and each staff console's pair on its own
// (a key missing from a staff module would otherwise hide behind a customer key of that name).
const PAIRS: [string, Strings, Strings][] = [
  ["portal", en, es],
  ["agent console", agentEn, agentEs],
  ["admin console", adminEn, adminEs],
];

// Words a Spanish text rightly shares with the English: names, and the few words both languages
// spell alike. Acronyms (CRM, PDF, ID) and symbols ("—", "{name} × {factor}") pass as they are.
const SAME_IN_BOTH = new Set([
  "salesportal",
  "Salesforce",
  "OpenAI",
  "Medicare",
  "English",
  "Español",
  "No",
  "Error",
  "Total",
  "Roles",
  "tokens",
]);

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const words = (text: string) => text.replace(/\{\w+\}/g, "").match(/\p{L}+/gu) ?? [];
const hasWords = (text: string) => words(text).length > 0;
const sameInBoth = (text: string) => words(text).every((word) => SAME_IN_BOTH.has(word) || /^\p{Lu}{2,}$/u.test(word));

describe.each(PAIRS)("the %s catalogues", (_name, english, spanish) => {
  it("have the same keys", () => {
    const missingInSpanish = Object.keys(english).filter((key) => !(key in spanish));
    const missingInEnglish = Object.keys(spanish).filter((key) => !(key in english));
    expect({ missingInSpanish, missingInEnglish }).toEqual({ missingInSpanish: [], missingInEnglish: [] });
  });

  it("have no empty text", () => {
    const empty = [
      ...Object.entries(english).filter(([, text]) => !text.trim()).map(([key]) => `en ${key}`),
      ...Object.entries(spanish).filter(([, text]) => !text.trim()).map(([key]) => `es ${key}`),
    ];
    expect(empty).toEqual([]);
  });

  it("translate every text but names and symbols", () => {
    const untranslated = Object.entries(english)
      .filter(([key, text]) => spanish[key] === text && !sameInBoth(text))
      .map(([key, text]) => `${key}: ${text}`);
    expect(untranslated).toEqual([]);
  });

  it("keep the same {placeholders} in both languages", () => {
    const differing = Object.entries(english)
      .filter(([key, text]) => key in spanish && placeholders(text).join() !== placeholders(spanish[key] ?? "").join())
      .map(([key, text]) => `${key}: ${text} | ${spanish[key]}`);
    expect(differing).toEqual([]);
  });
});

describe("the checks themselves", () => {
  it("see a placeholder renamed, an English leftover and a symbol apart", () => {
    expect(placeholders("Pay {amount} by {date}")).toEqual(["amount", "date"]);
    expect(placeholders("Pagar {monto}")).not.toEqual(placeholders("Pay {amount}"));
    expect(hasWords("{name} × {factor}")).toBe(false);
    expect(hasWords("—")).toBe(false);
    expect(hasWords("{amount} a month")).toBe(true);
    expect(sameInBoth("CRM (Salesforce)")).toBe(true);
    expect(sameInBoth("Search plans")).toBe(false);
  });
});
