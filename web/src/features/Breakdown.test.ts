import { afterEach, describe, expect, it } from "vitest";
import { setLanguage } from "../i18n";
import { stepName } from "./Breakdown";

afterEach(() => setLanguage("en"));

describe("a rating step's name", () => {
  it("is said from the catalogue: the age band, the state, the product's question and answer", async () => {
    expect(stepName("term-life", "age 30-39")).toBe("age 30-39");
    expect(stepName("term-life", "smoker false")).toBe("Do you smoke? No");
    await setLanguage("es");
    expect(stepName("term-life", "age 30-39")).toBe("edad 30-39");
    expect(stepName("term-life", "state TX")).toBe("estado TX");
    expect(stepName("term-life", "smoker true")).toBe("¿Fuma? Sí");
    expect(stepName("auto-standard", "drivingRecord minor")).toBe("Historial de manejo Infracciones menores");
  });

  it("is the API's own when the portal does not know the factor", async () => {
    await setLanguage("es");
    expect(stepName("term-life", "credit good")).toBe("credit good");
    expect(stepName("term-life", "smoker maybe")).toBe("smoker maybe");
  });
});
