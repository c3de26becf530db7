import { describe, expect, it } from "vitest";
import { customerName, sinceInstant } from "./customers";

describe("a customer's name in the lists", () => {
  it("is the given and family name, else the e-mail, else says it has none", () => {
    expect(customerName({ customerId: "c1", givenName: "Dana", familyName: "Rivera" })).toBe("Dana Rivera");
    expect(customerName({ customerId: "c1", givenName: " ", familyName: null, email: "d@x.com" })).toBe("d@x.com");
    expect(customerName({ customerId: "c1" })).toBe("Customer c1 (no name)");
  });
});

describe("changed since a day", () => {
  it("is that day's start in the agent's time zone, sent in UTC", () => {
    const sent = sinceInstant("2026-11-30");
    expect(sent).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(new Date(sent ?? "").getTime()).toBe(new Date(2026, 10, 30).getTime());
  });

  it("sends nothing for what is not a day", () => {
    expect(sinceInstant("30/11/2026")).toBeNull();
    expect(sinceInstant("")).toBeNull();
  });
});
