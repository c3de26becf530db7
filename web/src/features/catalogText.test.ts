import { afterEach, describe, expect, it } from "vitest";
import { setLanguage } from "../i18n";
import { coverageOptionsEs, productsEs } from "../i18n/catalog.es";
import { coverageName, planValue, productDescription, productName } from "./catalogText";

interface SeedProduct {
  productId: string;
  name: string;
  description: string;
  coverageOptions: { code: string; name: string }[];
}

// The catalogue the API serves is seeded from this file; each of its texts needs its Spanish.
const SEED = Object.values(
  import.meta.glob<SeedProduct[]>("../../../infrastructure/seed/products.json", { import: "default", eager: true }),
)[0]!;

afterEach(() => setLanguage("en"));

describe("the catalogue's words", () => {
  it("have Spanish for every seeded product and coverage option", () => {
    expect(SEED.length).toBeGreaterThan(0);
    const missing = [
      ...SEED.filter((p) => !productsEs[p.productId]?.name || !productsEs[p.productId]?.description).map((p) => p.productId),
      ...SEED.flatMap((p) => p.coverageOptions).filter((o) => !coverageOptionsEs[o.code]).map((o) => o.code),
    ];
    expect(missing).toEqual([]);
  });

  it("are the API's in English and the portal's in Spanish, the API's when unknown", async () => {
    const product = SEED.find((p) => p.productId === "term-life")!;
    const option = product.coverageOptions.find((o) => o.code === "TL-500K-20")!;
    expect([productName(product), coverageName(option)]).toEqual(["Term Life Insurance", "$500,000 for 20 years"]);
    await setLanguage("es");
    expect([productName(product), coverageName(option)]).toEqual(["Seguro de vida a plazo", "$500,000 por 20 años"]);
    expect(productDescription(product)).toMatch(/^Cobertura de vida a plazo/);
    expect(productName({ productId: "brand-new", name: "Brand New Cover" })).toBe("Brand New Cover");
  });

  it("say a drug plan's usual feature values in Spanish, others as the feed gives them", async () => {
    expect(planValue("$35 cap")).toBe("$35 cap");
    await setLanguage("es");
    expect(["yes", "generics only", "$35 cap", "24/7", "10%"].map(planValue)).toEqual([
      "sí",
      "solo genéricos",
      "tope de $35",
      "24/7",
      "10%",
    ]);
  });
});
