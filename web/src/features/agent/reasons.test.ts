import { afterEach, describe, expect, it } from "vitest";
import { setLanguage } from "../../i18n";
import { agentEn } from "../../i18n/agent.en";
import { agentEs } from "../../i18n/agent.es";
import { reasonsEs } from "../../i18n/reasons.es";
import { staffReason, staffReasonKey } from "./reasons";

// The codes underwriting gives words to, read from its source (salesportal.domain.underwriting).
const UNDERWRITING = Object.values(
  import.meta.glob<string>("../../../../layers/shared/python/salesportal/domain/underwriting.py", {
    query: "?raw",
    import: "default",
    eager: true,
  }),
)[0]!;

function tableKeys(source: string, table: string): string[] {
  const block = new RegExp(`^${table}[^=]*= \\{\\n([\\s\\S]*?)^\\}`, "m").exec(source)?.[1] ?? "";
  return [...block.matchAll(/^\s+"([^"]+)":/gm)].map((m) => m[1]!);
}

/** Every code underwriting reads out: its own codes, and a declaration as the bureau names it. */
function underwritingCodes(source: string): string[] {
  const prefix = /^DECLARED_PREFIX = "(.+)"$/m.exec(source)?.[1] ?? "";
  return [
    ...tableKeys(source, "REASON_TEXT"),
    ...tableKeys(source, "DECLARATION_TEXT").map((question) => `${prefix}${question}`),
  ];
}

type Strings = Record<string, string>;
const english: Strings = agentEn;
const spanish: Strings = agentEs;
const customerSentences = new Set([...Object.keys(reasonsEs), ...Object.values(reasonsEs)]);

afterEach(() => setLanguage("en"));

describe("underwriting's reason codes", () => {
  it("each have staff wording in English and in Spanish", () => {
    const codes = underwritingCodes(UNDERWRITING);
    expect(codes.length).toBeGreaterThanOrEqual(9);
    expect(codes).toContain("declared_chroniccondition");
    const missing = codes.flatMap((code) => {
      const key = staffReasonKey(code);
      if (!key) return [`${code}: no wording`];
      return [
        ...(english[key]?.trim() ? [] : [`${code}: no English (${key})`]),
        ...(spanish[key]?.trim() && spanish[key] !== english[key] ? [] : [`${code}: no Spanish (${key})`]),
      ];
    });
    expect(missing).toEqual([]);
  });

  it("are worded for staff, not as the sentences the customer reads", () => {
    const keys = underwritingCodes(UNDERWRITING).map((code) => staffReasonKey(code)!);
    const texts = keys.flatMap((key) => [english[key]!, spanish[key]!]);
    expect(texts.filter((text) => customerSentences.has(text))).toEqual([]);
    expect(texts.filter((text) => /\b(you|your|we|us|our|nos|usted)\b/i.test(text))).toEqual([]);
  });
});

describe("a reason code in staff wording", () => {
  it("is chosen by the code, a declaration by its question however the bureau spells it", async () => {
    expect(staffReason("major_violations")).toBe("Major driving violations on record");
    expect(staffReason("declared_chronicCondition")).toBe("Declared a chronic condition");
    expect(staffReason("declared_chronic_condition")).toBe("Declared a chronic condition");
    await setLanguage("es");
    expect(staffReason("declared_chronicCondition")).toBe("Declaró una afección crónica");
    expect(staffReason("ssn_mismatch")).toBe("El SSN no coincide con los demás datos de identidad");
  });

  it("names a code without words as it came, in either language", async () => {
    expect(staffReasonKey("R12")).toBeNull();
    expect(staffReasonKey("constructor")).toBeNull();
    expect(staffReasonKey("declared_toString")).toBeNull();
    expect(staffReason("R12")).toBe("Bureau reason code R12: no description on file");
    expect(staffReason("declared_skydiving")).toBe("Declared answer skydiving: no description on file");
    await setLanguage("es");
    expect(staffReason("R12")).toBe("Código de motivo de la agencia R12: sin descripción registrada");
  });

  it("is never chosen by matching the customer's English sentence", () => {
    expect(staffReasonKey("Your driving record shows minor violations.")).toBeNull();
  });
});
