import { describe, expect, it } from "vitest";
import { fromBody } from "./errors";

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

  it("names the field a problem belongs to, by path or by its last part", () => {
    expect(error.messageFor("identity.ssnLast4")).toBe("String should match pattern");
    expect(error.messageFor("riskFactors.smoker")).toBe("smoker must be one of false, true");
    expect(error.messageFor("identity.givenName")).toBeUndefined();
  });

  it("keeps the code, status and message", () => {
    expect([error.status, error.code, error.message]).toEqual([422, "validation_error", "Invalid request"]);
  });

  it("reads API Gateway's own answers too", () => {
    const gateway = fromBody(401, { message: "Unauthorized" });
    expect([gateway.code, gateway.message]).toEqual(["http_401", "Unauthorized"]);
  });
});
