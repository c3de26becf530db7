// The API's error body, {"error": {"code", "message", "details"}}, as something a form can show.

export interface FieldProblem {
  field: string;
  message: string;
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
      const { field, message } = item as Record<string, unknown>;
      return typeof field === "string" && typeof message === "string" ? [{ field, message }] : [];
    });
  }

  /** The message for one form field: matched on its full path, else on its last segment. */
  messageFor(field: string): string | undefined {
    const last = field.split(".").pop();
    const problems = this.fieldProblems;
    return (
      problems.find((p) => p.field === field)?.message ??
      problems.find((p) => p.field.split(".").pop() === last && last !== undefined)?.message
    );
  }
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
