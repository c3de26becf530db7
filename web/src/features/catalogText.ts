// A product's name, description and coverage options in the reader's language: the API's
// English, or the Spanish of i18n/catalog.es.ts when the portal speaks Spanish.
import { currentLanguage } from "../i18n";
import { coverageOptionsEs, PLAN_CAP, planCapEs, planValuesEs, productsEs } from "../i18n/catalog.es";

interface Named {
  productId: string;
  name: string;
  description: string;
}

export function productName(product: Pick<Named, "productId" | "name">): string {
  return (currentLanguage() === "es" && productsEs[product.productId]?.name) || product.name;
}

export function productDescription(product: Pick<Named, "productId" | "description">): string {
  return (currentLanguage() === "es" && productsEs[product.productId]?.description) || product.description;
}

export function coverageName(option: { code: string; name: string }): string {
  return (currentLanguage() === "es" && coverageOptionsEs[option.code]) || option.name;
}

/** A drug plan's feature value ("yes", "$35 cap") in the reader's language. */
export function planValue(value: string): string {
  if (currentLanguage() !== "es") return value;
  const known = planValuesEs[value.trim().toLowerCase()];
  if (known) return known;
  const cap = PLAN_CAP.exec(value.trim());
  return cap?.[1] ? planCapEs(cap[1]) : value;
}
