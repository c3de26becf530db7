// The insurance catalogue's own words in Spanish. The API publishes products in English (its
// seed, infrastructure/seed/products.json); a product or option missing here is shown as the
// API names it. catalogText.test.ts fails when the seed has one this file does not.
export interface ProductText {
  name: string;
  description: string;
}

export const productsEs: Record<string, ProductText> = {
  "term-life": {
    name: "Seguro de vida a plazo",
    description:
      "Cobertura de vida a plazo con prima nivelada por 10, 20 o 30 años. Paga una suma global libre de impuestos a sus beneficiarios.",
  },
  "health-ppo": {
    name: "Plan de salud PPO individual",
    description:
      "Plan de salud de proveedores preferidos con acceso a una red nacional, atención preventiva sin costo y deducibles a elegir.",
  },
  "auto-standard": {
    name: "Seguro de auto personal",
    description:
      "Cobertura de responsabilidad civil, choque y cobertura amplia para vehículos particulares, con asistencia en el camino.",
  },
  "whole-life": {
    name: "Seguro de vida entera",
    description: "Cobertura de vida permanente con crecimiento garantizado del valor en efectivo y primas fijas de por vida.",
  },
};

export const coverageOptionsEs: Record<string, string> = {
  "TL-250K-10": "$250,000 por 10 años",
  "TL-500K-20": "$500,000 por 20 años",
  "TL-1M-30": "$1,000,000 por 30 años",
  "PPO-BRONZE": "Bronce: deducible de $7,000",
  "PPO-SILVER": "Plata: deducible de $4,000",
  "PPO-GOLD": "Oro: deducible de $1,500",
  "AUTO-LIAB": "Solo responsabilidad civil 50/100/50",
  "AUTO-FULL-500": "Cobertura total, deducible de $500",
  "AUTO-FULL-1000": "Cobertura total, deducible de $1,000",
  "WL-100K": "$100,000 permanente",
  "WL-250K": "$250,000 permanente",
};

// Drug plans' feature values come from the plan feed in English: its usual words in Spanish
// (any other value, such as "24/7" or "10%", is shown as the feed gives it).
export const planValuesEs: Record<string, string> = {
  yes: "sí",
  no: "no",
  full: "completa",
  "generics only": "solo genéricos",
  national: "nacional",
  "90-day": "90 días",
};
export const PLAN_CAP = /^\$(\d+(?:\.\d{2})?) cap$/;
export const planCapEs = (amount: string) => `tope de $${amount}`;
