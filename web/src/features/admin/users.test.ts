import { describe, expect, it } from "vitest";
import { EMAIL_PREFIX_MAX, emailPrefix } from "./users";

describe("the start of an e-mail the users search sends", () => {
  it("is trimmed, keeps its case, and may be nothing (no search)", () => {
    expect(emailPrefix("  Rosa@Example ")).toBe("Rosa@Example");
    expect(emailPrefix("")).toBe("");
    expect(emailPrefix("   ")).toBe("");
    expect(emailPrefix("o'brien+sales_1.x-y!#$%&*/=?^`{|}~@")).toBe("o'brien+sales_1.x-y!#$%&*/=?^`{|}~@");
    expect(emailPrefix("josé@")).toBe("josé@");
    expect(emailPrefix("r".repeat(EMAIL_PREFIX_MAX))).toBe("r".repeat(EMAIL_PREFIX_MAX));
  });

  it("is refused when the API would refuse it: quotes, backslashes, spaces, controls, too long", () => {
    for (const bad of ['a" or email ^= "', '"', "rosa\\", '\\"', "rosa example", "rosa\u0000", "ro\nsa", "rosa\u007f", "rosa\u0085", "r".repeat(EMAIL_PREFIX_MAX + 1)]) {
      expect(emailPrefix(bad)).toBeNull();
    }
  });
});
