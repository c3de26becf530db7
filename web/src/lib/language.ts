// Which language the portal speaks: the one chosen in this browser (kept in localStorage), else
// the browser's own preference; a signed-in customer's profile may set it on sign-in.
import { DEFAULT_LANGUAGE, languageOf, setLanguage, type Language } from "../i18n";

const STORAGE_KEY = "salesportal.language";

/** The first of the browser's preferred languages that the portal speaks, else English. */
export function browserLanguage(preferred: readonly string[] = navigatorLanguages()): Language {
  for (const tag of preferred) {
    const language = languageOf(tag);
    if (language) return language;
  }
  return DEFAULT_LANGUAGE;
}

function navigatorLanguages(): readonly string[] {
  if (typeof navigator === "undefined") return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

/** The language a person picked in this browser, or null when they never picked one. */
export function chosenLanguage(storage: Storage = window.localStorage): Language | null {
  try {
    return languageOf(storage.getItem(STORAGE_KEY));
  } catch {
    return null; // storage can be refused (privacy modes): then nothing was chosen here
  }
}

export function initialLanguage(storage: Storage = window.localStorage): Language {
  return chosenLanguage(storage) ?? browserLanguage();
}

/** A person's own pick: shown as soon as its catalogue is here, and remembered in this browser. */
export function chooseLanguage(language: Language, storage: Storage = window.localStorage): Promise<void> {
  try {
    storage.setItem(STORAGE_KEY, language);
  } catch {
    // not remembered, still shown
  }
  return setLanguage(language);
}

/**
 * The language a profile asks for at sign-in, or null to keep the current one. A pick made in
 * this browser wins. The API reads a profile that never chose as "en", so "en" there cannot
 * tell an English choice from no choice: only another language overrides the browser's.
 */
export function profileLanguageToApply(
  profileLanguage: string | null | undefined,
  chosenHere: Language | null,
): Language | null {
  if (chosenHere) return null;
  const language = languageOf(profileLanguage);
  return language && language !== DEFAULT_LANGUAGE ? language : null;
}
