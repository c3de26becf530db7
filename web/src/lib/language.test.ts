import { afterEach, describe, expect, it } from "vitest";
import { currentLanguage, setLanguage } from "../i18n";
import { browserLanguage, chooseLanguage, chosenLanguage, initialLanguage, profileLanguageToApply } from "./language";

afterEach(() => {
  window.localStorage.clear();
  setLanguage("en");
});

describe("the portal's language", () => {
  it("follows the browser's first language the portal speaks, else English", async () => {
    expect(browserLanguage(["es-US", "en-US"])).toBe("es");
    expect(browserLanguage(["es"])).toBe("es");
    expect(browserLanguage(["fr-FR", "es-MX", "en"])).toBe("es");
    expect(browserLanguage(["en-GB", "es-ES"])).toBe("en");
    expect(browserLanguage(["de-DE"])).toBe("en");
    expect(browserLanguage([])).toBe("en");
  });

  it("is what was chosen in this browser, remembered over the browser's own", async () => {
    expect(chosenLanguage()).toBeNull();
    await chooseLanguage("es");
    expect(currentLanguage()).toBe("es");
    expect(window.localStorage.getItem("salesportal.language")).toBe("es");
    expect(chosenLanguage()).toBe("es");
    expect(initialLanguage()).toBe("es");
  });

  it("ignores a remembered value it does not speak", async () => {
    window.localStorage.setItem("salesportal.language", "klingon");
    expect(chosenLanguage()).toBeNull();
  });

  it("is marked on <html lang> with its US locale", async () => {
    await setLanguage("es");
    expect(document.documentElement.lang).toBe("es-US");
    setLanguage("en");
    expect(document.documentElement.lang).toBe("en-US");
  });

  it("takes the profile's language at sign-in only when none was chosen here", async () => {
    expect(profileLanguageToApply("es", null)).toBe("es");
    expect(profileLanguageToApply("es", "en")).toBeNull();
    // "en" is also what a profile that never chose reads as: it does not override the browser.
    expect(profileLanguageToApply("en", null)).toBeNull();
    expect(profileLanguageToApply(undefined, null)).toBeNull();
  });
});
