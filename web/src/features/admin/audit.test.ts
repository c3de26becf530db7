import { afterEach, describe, expect, it } from "vitest";
import { setLocale } from "../../i18n";
import { actorParts, entityName, isMasked, parseEntity, valueText } from "./audit";

afterEach(async () => {
  await setLocale("en-US");
});

describe("audit values and entities", () => {
  it("reads an entity as the API names it, and nothing else", () => {
    expect(parseEntity("policy#01J0ABC")).toEqual({ type: "policy", id: "01J0ABC" });
    expect(parseEntity(entityName("ai_query", "01J.q-1_2"))).toEqual({ type: "ai_query", id: "01J.q-1_2" });
    // As the API's pattern: a payment's "<policy>:<child>" ID is refused there, so here too.
    for (const bad of [null, "", "policy", "Policy#1", "policy#", "policy#a b", "payment#p1:c1", `policy#${"x".repeat(65)}`]) {
      expect(parseEntity(bad)).toBeNull();
    }
  });

  it("says values in words, the API's mask as masked wherever it sits", () => {
    expect(isMasked("***")).toBe(true);
    expect(isMasked("****")).toBe(false);
    expect(valueText(null)).toBe("—");
    expect(valueText(["agents", "customers"])).toBe("agents, customers");
    expect(valueText([])).toBe("(none)");
    expect(valueText(true)).toBe("Yes");
    expect(valueText({ email: true, sms: false })).toBe("email: Yes, sms: No");
    expect(valueText({ line1: "***" })).toBe("line1: •••• masked");
    expect(valueText(40345)).toBe("40345");
  });

  it("names the actor's role in the reader's language", async () => {
    expect(actorParts("admin:abc")).toEqual({ role: "Admin", who: "abc" });
    expect(actorParts("system:post_confirmation")).toEqual({ role: "System", who: "post_confirmation" });
    expect(actorParts("stream")).toEqual({ role: "stream", who: "" });
    await setLocale("es-US");
    expect(actorParts("customer:c1")).toEqual({ role: "Cliente", who: "c1" });
    expect(valueText({ sms: true })).toBe("sms: Sí");
  });
});
