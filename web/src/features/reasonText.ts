// A decision's reason in the reader's language: underwriting's known sentences in Spanish when
// the portal speaks Spanish; a reviewer's own words, and English, as the API gives them.
import { currentLanguage } from "../i18n";
import { LOADING_REASON, loadingReasonEs, reasonsEs } from "../i18n/reasons.es";

export function reasonText(reason: string): string {
  if (currentLanguage() !== "es") return reason;
  const known = reasonsEs[reason];
  if (known) return known;
  const loading = LOADING_REASON.exec(reason);
  return loading?.[1] ? loadingReasonEs(loading[1]) : reason;
}
