// The API's error body, {"error": {"code", "message", "details"}}, as something a form can show.
// The API speaks English with stable codes; what a person reads comes from the catalogue, by code.
import { currentLanguage, hasKey, t, type MessageKey } from "../i18n";

export interface FieldProblem {
  field: string;
  message: string;
  type?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details: unknown = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Problems naming a field (validation details are a list of {field, message}). */
  get fieldProblems(): FieldProblem[] {
    if (!Array.isArray(this.details)) {
      return [];
    }
    return this.details.flatMap((item: unknown) => {
      if (typeof item !== "object" || item === null) return [];
      const { field, message, type } = item as Record<string, unknown>;
      if (typeof field !== "string" || typeof message !== "string") return [];
      return [{ field, message, ...(typeof type === "string" ? { type } : {}) }];
    });
  }

  /** The message for one form field: matched on its full path, else on its last segment. */
  messageFor(field: string): string | undefined {
    const last = field.split(".").pop();
    const problems = this.fieldProblems;
    const problem =
      problems.find((p) => p.field === field) ??
      problems.find((p) => p.field.split(".").pop() === last && last !== undefined);
    return problem ? fieldProblemText(problem) : undefined;
  }
}

/**
 * A field problem as the reader's language says it. The API words its messages in English and
 * often names the exact rule, so English shows them as they are; another language shows the
 * kind of problem (pydantic's error type) from the catalogue.
 */
export function fieldProblemText(problem: FieldProblem): string {
  if (currentLanguage() === "en") return problem.message;
  const key = `fieldError.${problem.type ?? ""}`;
  return hasKey(key) ? t(key) : t("fieldError.invalid");
}

// API Gateway's own refusals carry {"message"} only; their status says which they are.
const BY_STATUS: Record<number, MessageKey> = {
  401: "error.unauthorized",
  403: "error.forbidden",
  404: "error.not_found",
  413: "error.payload_too_large",
  429: "error.throttled",
  500: "error.internal_error",
  502: "error.dependency_failed",
  503: "error.service_unavailable",
  504: "error.timeout",
};

/** The text for an API error code, or a generic one naming a code the catalogue lacks. */
export function codeText(code: string, status?: number): string {
  const key = `error.${code}`;
  if (hasKey(key)) return t(key);
  const byStatus = /^http_\d{3}$/.test(code) && status !== undefined ? BY_STATUS[status] : undefined;
  if (byStatus) return t(byStatus);
  return t("error.generic", { code });
}

/** What to tell a person about any failure: an API error by its code, a network failure as such. */
export function errorText(error: unknown): string {
  if (isApiError(error)) return codeText(error.code, error.status);
  // fetch() rejects with a TypeError when the network or CORS fails.
  if (error instanceof TypeError) return t("error.network");
  if (error instanceof Error) return error.message;
  return String(error);
}

export function fromBody(status: number, body: unknown): ApiError {
  if (typeof body === "object" && body !== null && "error" in body) {
    const error = (body as { error: unknown }).error;
    if (typeof error === "object" && error !== null) {
      const { code, message, details } = error as Record<string, unknown>;
      return new ApiError(
        status,
        typeof code === "string" ? code : `http_${status}`,
        typeof message === "string" ? message : `HTTP ${status}`,
        details ?? null,
      );
    }
  }
  // API Gateway's own answers (401, 403, 429) carry {"message": ...}.
  const message =
    typeof body === "object" && body !== null && typeof (body as { message?: unknown }).message === "string"
      ? (body as { message: string }).message
      : `HTTP ${status}`;
  return new ApiError(status, `http_${status}`, message);
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}
