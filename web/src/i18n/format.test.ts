import { afterEach, describe, expect, it } from "vitest";
import { currentLocale, formatCents, formatDate, formatMoney, formatNumber, setLocale, t } from ".";

describe("money and dates through Intl", () => {
  it("shows integer cents as currency without float drift", async () => {
    await setLocale("en-US");
    expect(formatMoney({ amountCents: 123456, currency: "USD" })).toBe("$1,234.56");
    expect(formatMoney({ amountCents: 10, currency: "USD" })).toBe("$0.10");
    expect(formatCents(40345)).toBe("$403.45");
  });

  it("shows a calendar date as that day in any time zone", async () => {
    await setLocale("en-US");
    // 2026-12-01 is 1 Dec everywhere; new Date("2026-12-01") west of UTC would be 30 Nov.
    expect(formatDate("2026-12-01")).toBe("Dec 1, 2026");
  });

  it("falls back to English for a language without a catalogue", async () => {
    await setLocale("fr-FR");
    expect(t("plans.search")).toBe("Search plans");
    expect(formatMoney({ amountCents: 500, currency: "USD" })).toBe("$5.00");
  });

  it("fills in named values and leaves unknown ones visible", async () => {
    expect(t("quote.monthly", { amount: "$5.00" })).toBe("$5.00 a month");
    expect(t("quote.monthly")).toBe("{amount} a month");
  });
});

describe("Spanish for the US market (es-US)", () => {
  afterEach(() => setLocale("en-US"));

  it("writes dollars as the US does and dates in Spanish", async () => {
    await setLocale("es-US");
    expect(currentLocale()).toBe("es-US");
    expect(t("plans.search")).toBe("Buscar planes");
    // Node's ICU; the browser test asserts what Chromium's gives.
    expect(formatMoney({ amountCents: 123456, currency: "USD" })).toBe("$1,234.56");
    expect(formatDate("2026-12-01")).toMatch(/^1 dic\.? 2026$/);
    expect(formatNumber(1234567.5)).toBe("1,234,567.5");
  });

  it("takes any Spanish-speaking region's tag as Spanish for the US", async () => {
    await setLocale("es-MX");
    expect(currentLocale()).toBe("es-US");
    expect(t("quote.monthly", { amount: "$5.00" })).toBe("$5.00 al mes");
  });
});
