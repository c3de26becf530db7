import { afterEach, describe, expect, it } from "vitest";
import { setLanguage } from "../i18n";
import { reasonsEs } from "../i18n/reasons.es";
import { reasonText } from "./reasonText";

// The sentences underwriting writes, read from its source (salesportal.domain.underwriting).
const UNDERWRITING = Object.values(
  import.meta.glob<string>("../../../layers/shared/python/salesportal/domain/underwriting.py", {
    query: "?raw",
    import: "default",
    eager: true,
  }),
)[0]!;

function underwritingSentences(source: string): string[] {
  const inTables = ["REASON_TEXT", "DECLARATION_TEXT"].flatMap((table) => {
    const block = new RegExp(`^${table}[^=]*= \\{\\n([\\s\\S]*?)^\\}`, "m").exec(source)?.[1] ?? "";
    return [...block.matchAll(/^\s+"[^"]+": "(.+)",$/gm)].map((m) => m[1]!);
  });
  const single = [...source.matchAll(/^(?:_DECLARED_GENERIC|_GENERIC|REFERRED_NOTE) = "(.+)"$/gm)].map((m) => m[1]!);
  return [...inTables, ...single];
}

afterEach(() => setLanguage("en"));

describe("underwriting's reasons", () => {
  it("each have their Spanish", () => {
    const sentences = underwritingSentences(UNDERWRITING);
    expect(sentences.length).toBeGreaterThanOrEqual(12);
    expect(sentences.filter((sentence) => !reasonsEs[sentence])).toEqual([]);
  });

  it("are said in Spanish, a loading with its percentage, a reviewer's words as written", async () => {
    const reason = "Your driving record shows minor violations.";
    expect(reasonText(reason)).toBe(reason);
    await setLanguage("es");
    expect(reasonText(reason)).toBe("Su historial de manejo muestra infracciones menores.");
    expect(reasonText("Approved with a 12.5% risk loading.")).toBe("Aprobada con un recargo por riesgo del 12.5 %.");
    expect(reasonText("Checked with the customer by phone")).toBe("Checked with the customer by phone");
  });
});
