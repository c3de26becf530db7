import { afterEach, describe, expect, it } from "vitest";
import { setLanguage } from "../i18n";
import { en } from "../i18n/en";
import { es } from "../i18n/es";
import { errorText, fromBody } from "./errors";

describe("the API's error body", () => {
  const error = fromBody(422, {
    error: {
      code: "validation_error",
      message: "Invalid request",
      details: [
        { field: "identity.ssnLast4", message: "String should match pattern", type: "string_pattern_mismatch" },
        { field: "smoker", message: "smoker must be one of false, true", type: "value_error" },
      ],
    },
  });

  it("names the field a problem belongs to, by path or by its last part", async () => {
    expect(error.messageFor("identity.ssnLast4")).toBe("String should match pattern");
    expect(error.messageFor("riskFactors.smoker")).toBe("smoker must be one of false, true");
    expect(error.messageFor("identity.givenName")).toBeUndefined();
  });

  it("keeps the code, status and message", async () => {
    expect([error.status, error.code, error.message]).toEqual([422, "validation_error", "Invalid request"]);
  });

  it("reads API Gateway's own answers too", async () => {
    const gateway = fromBody(401, { message: "Unauthorized" });
    expect([gateway.code, gateway.message]).toEqual(["http_401", "Unauthorized"]);
  });
});

describe("what a person reads about an error", () => {
  afterEach(() => setLanguage("en"));

  it("is the catalogue's text for the code, in the chosen language", async () => {
    const busy = fromBody(409, { error: { code: "payment_processing", message: "A payment is being processed." } });
    expect(errorText(busy)).toBe("A payment for this policy is already being processed. Please wait for it.");
    await setLanguage("es");
    expect(errorText(busy)).toBe("Ya se está procesando un pago para esta póliza. Espere a que termine.");
    expect(errorText(fromBody(429, { error: { code: "too_many_attempts", message: "Too many attempts" } }))).toBe(
      "Demasiados intentos. Espere un rato y vuelva a intentarlo.",
    );
  });

  it("names a code the catalogue does not know, in a generic sentence", async () => {
    const odd = fromBody(400, { error: { code: "brand_new_rule", message: "Something new" } });
    expect(errorText(odd)).toBe("Something went wrong (code brand_new_rule). Please try again.");
    await setLanguage("es");
    expect(errorText(odd)).toBe("Algo salió mal (código brand_new_rule). Vuelva a intentarlo.");
  });

  it("reads API Gateway's bare answers by their status, and a network failure as such", async () => {
    expect(errorText(fromBody(429, { message: "Too Many Requests" }))).toBe(
      "Too many requests. Please wait a moment and try again.",
    );
    expect(errorText(new TypeError("Failed to fetch"))).toMatch(/could not reach the service/);
  });

  it("shows a field's problem in English as the API words it, in Spanish by its kind", async () => {
    const error = fromBody(422, {
      error: {
        code: "validation_error",
        message: "Invalid request",
        details: [
          { field: "identity.ssnLast4", message: "Enter exactly four digits", type: "string_pattern_mismatch" },
          { field: "phone", message: "Value error, odd", type: "something_else" },
        ],
      },
    });
    expect(error.messageFor("identity.ssnLast4")).toBe("Enter exactly four digits");
    await setLanguage("es");
    expect(error.messageFor("identity.ssnLast4")).toBe("Revise el formato.");
    expect(error.messageFor("phone")).toBe("Revise este valor.");
  });
});

// The backend's error codes, read from its source: each one the portal can receive has a text.
const BACKEND = import.meta.glob<string>(
  [
    "../../../layers/shared/python/salesportal/**/*.py",
    "../../../functions/*/handler.py",
    "../../../infrastructure/gateway_responses.py",
  ],
  { query: "?raw", import: "default", eager: true },
);

const CODE_PATTERNS = [
  /\bcode\s*=\s*"([a-z][a-z0-9_]*)"/g, // raise X("...", code="...") and class attributes
  /\bstatus, code = \d+, "([a-z][a-z0-9_]*)"/g, // the typed errors of salesportal.errors
  /ErrorResponse\(\s*(?:\d+|None),\s*"([a-z][a-z0-9_]*)"/g, // API Gateway's and the WAF's answers
  /_malformed\([^()]*?,\s*"([a-z][a-z0-9_]*)"\)/g, // the request body parser's refusals
];

export function backendCodes(sources: Record<string, string>): string[] {
  const codes = new Set<string>();
  for (const source of Object.values(sources)) {
    for (const pattern of CODE_PATTERNS) {
      for (const match of source.matchAll(pattern)) codes.add(match[1]!);
    }
  }
  return [...codes].sort();
}

describe("the backend's error codes", () => {
  it("are read from its source", async () => {
    const codes = backendCodes(BACKEND);
    expect(Object.keys(BACKEND).length).toBeGreaterThan(20);
    expect(codes).toEqual(expect.arrayContaining(["validation_error", "payment_processing", "too_many_attempts"]));
    expect(codes).toEqual(expect.arrayContaining(["payment_declined", "waf_blocked", "json_too_deep"]));
  });

  it("each have a text of their own in both languages", async () => {
    const missing = backendCodes(BACKEND).filter((code) => !(`error.${code}` in en) || !(`error.${code}` in es));
    expect(missing).toEqual([]);
  });
});
