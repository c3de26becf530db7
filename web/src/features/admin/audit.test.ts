import { afterEach, describe, expect, it } from "vitest";
import { setLocale } from "../../i18n";
import {
  ENTITY_ID_MAX,
  ENTITY_TYPES,
  actorParts,
  entityName,
  idShape,
  isEntityId,
  isMasked,
  parseEntity,
  valueText,
} from "./audit";

const POLICY = "01M8T7AK1CZCQYZGMPBKPGS5RE";

afterEach(async () => {
  await setLocale("en-US");
});

describe("audit values and entities", () => {
  it("reads an entity as the API names it, and nothing else", () => {
    expect(parseEntity("policy#01J0ABC")).toEqual({ type: "policy", id: "01J0ABC" });
    expect(parseEntity(entityName("ai_query", "01J.q-1_2"))).toEqual({ type: "ai_query", id: "01J.q-1_2" });
    for (const bad of [null, "", "policy", "Policy#1", "policy#", "policy#a b", "payment#p1:c1", `policy#${"x".repeat(65)}`]) {
      expect(parseEntity(bad)).toBeNull();
    }
  });

  it("keeps a payment's, a refund's and a reminder's whole ID, '#' and all", () => {
    const reminder = `${POLICY}:2027-12-02#7`;
    expect(entityName("renewal_reminder", reminder)).toBe(`renewal_reminder#${POLICY}:2027-12-02#7`);
    expect(parseEntity(entityName("renewal_reminder", reminder))).toEqual({ type: "renewal_reminder", id: reminder });
    for (const [type, id] of [
      ["payment", `${POLICY}:pi_3cd735be491163382b58bbe7`],
      ["refund", `${POLICY}:re_3cd735be491163382b58bbe7`],
      // A charge the gateway declined without an ID of its own: declined-<Idempotency-Key>.
      ["payment", `${POLICY}:declined-${"k".repeat(64)}`],
    ] as const) {
      expect(parseEntity(entityName(type, id))).toEqual({ type, id });
      expect(isEntityId(type, id)).toBe(true);
    }
    expect(`${POLICY}:declined-${"k".repeat(64)}`).toHaveLength(ENTITY_ID_MAX);
  });

  it("refuses what the API refuses for those types", () => {
    const refused = [
      "payment#x:y/../",
      `payment#${POLICY}:pi_1/../`,
      `payment#${POLICY}:${"x".repeat(500)}`,
      `payment#${POLICY}:declined-${"k".repeat(65)}`,
      `payment#${POLICY}:pi_é`,
      `payment#${POLICY}:pi_1\n`,
      `payment#${POLICY.toLowerCase()}:pi_1`,
      `payment#${POLICY}:`,
      `payment#${POLICY}:2027-12-02#7`,
      `policy#${POLICY}:pi_1`,
      `renewal_reminder#${POLICY}:pi_1`,
      `renewal_reminder#${POLICY}:2027-12-02`, // cut at its second '#'
      `renewal_reminder#${POLICY}:2027-12-02#7#7`,
      `renewal_reminder#${POLICY}:\uff12\uff10\uff12\uff17-12-02#7`, // full-width digits
      `renewal_reminder#${POLICY}:2027-12-02#\u0667`, // an Arabic-Indic seven
      `renewal_reminder#${POLICY}:2027-12-02#1000`,
    ];
    for (const bad of refused) {
      expect(parseEntity(bad), bad).toBeNull();
    }
    expect(isEntityId("payment", `${POLICY}:2027-12-02#7`)).toBe(false); // a reminder's ID
    expect(isEntityId("policy", `${POLICY}:pi_1`)).toBe(false);
  });

  it("offers every audited type the API can name, each with its ID's shape", () => {
    expect(ENTITY_TYPES).toEqual(expect.arrayContaining(["payment", "refund", "renewal_reminder"]));
    expect(ENTITY_TYPES.map((type) => [type, idShape(type)])).toEqual([
      ["user", "plain"],
      ["customer", "plain"],
      ["quote", "plain"],
      ["application", "plain"],
      ["policy", "plain"],
      ["payment", "money"],
      ["refund", "money"],
      ["renewal_reminder", "reminder"],
      ["ai_query", "plain"],
      ["plan", "plain"],
    ]);
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
