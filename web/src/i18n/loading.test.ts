import { describe, expect, it } from "vitest";
import { currentLanguage, setLanguage, t } from ".";

describe("a language whose catalogue is loaded on demand", () => {
  it("is switched to once its catalogue is here, and a later switch still wins", async () => {
    const toSpanish = setLanguage("es"); // its chunk is being fetched
    expect(currentLanguage()).toBe("en");
    const backToEnglish = setLanguage("en"); // chosen meanwhile: the last choice stands
    await Promise.all([toSpanish, backToEnglish]);
    expect(currentLanguage()).toBe("en");
    expect(t("plans.search")).toBe("Search plans");

    await setLanguage("es");
    expect(t("plans.search")).toBe("Buscar planes");
    await setLanguage("en");
  });
});
