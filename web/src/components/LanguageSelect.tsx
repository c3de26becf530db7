// The header's language switch: a labelled select, remembered in this browser and, when
// signed in, on the profile.
import { useId } from "react";
import { LANGUAGES, languageOf, t, useLanguage } from "../i18n";
import { useSaveLanguage } from "../features/profileLanguage";
import { chooseLanguage } from "../lib/language";

export function LanguageSelect() {
  const id = useId();
  const language = useLanguage();
  const saveToProfile = useSaveLanguage();
  return (
    <div className="language">
      <label htmlFor={id}>{t("app.language")}</label>
      <select
        id={id}
        value={language}
        onChange={(event) => {
          const next = languageOf(event.target.value);
          if (!next) return;
          void chooseLanguage(next);
          saveToProfile(next);
        }}
      >
        {LANGUAGES.map((option) => (
          <option key={option} value={option} lang={option}>
            {t(`language.${option}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
