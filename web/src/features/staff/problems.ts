// The API's refusals as staff read them: translated text chosen by the stable error code, the
// API's own (English) message kept beside it as the detail, since it often names the exact rule.
import { isApiError } from "../../api/errors";
import { t, type MessageKey } from "../../i18n";

export interface Problem {
  /** What the reader reads, in their language. */
  text: string;
  /** The API's message (or the failure's), for the record; null when there is none. */
  detail: string | null;
  /** The stable code, when the API gave one. */
  code: string | null;
}

/** A console's texts for problems: one per known code, and the three fallbacks. */
export interface ProblemTexts {
  byCode: Record<string, MessageKey>;
  server: MessageKey;
  other: MessageKey;
  network: MessageKey;
}

export function problemFrom(texts: ProblemTexts, error: unknown): Problem {
  if (isApiError(error)) {
    const key = texts.byCode[error.code] ?? (error.status >= 500 ? texts.server : texts.other);
    return { text: t(key), detail: error.message || null, code: error.code };
  }
  const detail = error instanceof Error ? error.message : error ? String(error) : null;
  return { text: t(texts.network), detail, code: null };
}
