import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { renderAs } from "../../features/admin/testing";
import { fakeFetch } from "../../test/harness";
import AuditPage from "./AuditPage";

const CUSTOMER = "01J00000000000000000000CUS";
const TRAIL = {
  items: [
    {
      entity: `customer#${CUSTOMER}`,
      action: "updated",
      actor: `customer:${CUSTOMER}`,
      at: "2026-12-01T10:05:00Z",
      eventId: "e2",
      changes: [
        { field: "givenName", before: null, after: "***" },
        { field: "contactPreferences", before: ["email"], after: ["email", "sms"] },
      ],
    },
    {
      entity: `customer#${CUSTOMER}`,
      action: "created",
      actor: "system:post_confirmation",
      at: "2026-12-01T10:00:00Z",
      eventId: "e1",
      changes: [{ field: "email", before: null, after: "***" }],
    },
  ],
  nextToken: null,
};

describe("the audit trail", () => {
  it("lists an entity's changes as the API orders them, personal data shown as masked", async () => {
    const api = fakeFetch({ "GET /v1/admin/audit": [{ status: 200, body: TRAIL }] });
    renderAs(["admins"], `/admin/audit?entity=customer%23${CUSTOMER}`, "/admin/audit", <AuditPage />, api.fetch);
    const list = await screen.findByRole("list", { name: "Changes" });
    const entries = within(list).getAllByRole("listitem");
    expect(entries.map((e) => within(e).getByRole("heading").textContent)).toEqual([
      expect.stringMatching(/^Updated · /),
      expect.stringMatching(/^Created · /),
    ]);
    const newest = within(entries[0]!).getByRole("table");
    const given = within(newest).getByRole("row", { name: /givenName/ });
    expect(given).toHaveTextContent("givenName—•••• masked");
    expect(within(newest).getByRole("row", { name: /contactPreferences/ })).toHaveTextContent("email, sms");
    expect(entries[0]).toHaveTextContent(`By Customer ${CUSTOMER}`);
    expect(entries[1]).toHaveTextContent("By System post_confirmation");
    expect(api.calls[0]!.url).toContain(`entity=customer%23${CUSTOMER}`);
  });

  it("checks the ID as the API does before asking, and puts the entity in the address", async () => {
    const api = fakeFetch({ "GET /v1/admin/audit": [{ status: 200, body: { items: [], nextToken: null } }] });
    renderAs(["admins"], "/admin/audit", "/admin/audit", <AuditPage />, api.fetch);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/^ID/), "no spaces allowed");
    await user.click(screen.getByRole("button", { name: "Show its trail" }));
    expect(await screen.findByText(/Enter an ID of 1 to 64/)).toBeInTheDocument();
    expect(api.calls).toHaveLength(0);
    await user.clear(screen.getByLabelText(/^ID/));
    await user.type(screen.getByLabelText(/^ID/), "22222222-2222-4222-8222-222222222222");
    await user.click(screen.getByRole("button", { name: "Show its trail" }));
    expect(await screen.findByText("No changes recorded for this entity.")).toBeInTheDocument();
    expect(api.calls[0]!.url).toContain("entity=user%2322222222-2222-4222-8222-222222222222");
  });

  it("offers payments, refunds and renewal reminders, and asks for a reminder's whole ID", async () => {
    const policy = "01M8T7AK1CZCQYZGMPBKPGS5RE";
    const api = fakeFetch({ "GET /v1/admin/audit": [{ status: 200, body: { items: [], nextToken: null } }] });
    renderAs(["admins"], "/admin/audit", "/admin/audit", <AuditPage />, api.fetch);
    const user = userEvent.setup();
    const type = screen.getByRole("combobox", { name: "Entity type" });
    const offered = within(type).getAllByRole("option").map((option) => option.textContent);
    expect(offered).toEqual(expect.arrayContaining(["Payment", "Refund", "Renewal reminder"]));
    await user.selectOptions(type, "Renewal reminder");
    expect(screen.getByText(/the term's end date, # and the days before/)).toBeInTheDocument();
    await user.type(screen.getByLabelText(/^ID/), `${policy}:2027-12-02`);
    await user.click(screen.getByRole("button", { name: "Show its trail" }));
    expect(await screen.findByText(/YYYY-MM-DD/)).toBeInTheDocument();
    expect(api.calls).toHaveLength(0);
    await user.type(screen.getByLabelText(/^ID/), "#7");
    await user.click(screen.getByRole("button", { name: "Show its trail" }));
    expect(await screen.findByText("No changes recorded for this entity.")).toBeInTheDocument();
    const asked = new URL(api.calls[0]!.url).searchParams.get("entity");
    expect(asked).toBe(`renewal_reminder#${policy}:2027-12-02#7`);
    expect(screen.getByRole("heading", { name: `History of renewal_reminder#${policy}:2027-12-02#7, newest first` })).toBeInTheDocument();
  });

  it("opens a payment's trail from its address with the type chosen and the whole ID filled in", async () => {
    const id = "01M8T7AK1CZCQYZGMPBKPGS5RE:pi_3cd735be491163382b58bbe7";
    const api = fakeFetch({ "GET /v1/admin/audit": [{ status: 200, body: { items: [], nextToken: null } }] });
    renderAs(["admins"], `/admin/audit?entity=${encodeURIComponent(`payment#${id}`)}`, "/admin/audit", <AuditPage />, api.fetch);
    expect(await screen.findByText("No changes recorded for this entity.")).toBeInTheDocument();
    expect(screen.getByRole("combobox", { name: "Entity type" })).toHaveDisplayValue("Payment");
    expect(screen.getByLabelText(/^ID/)).toHaveValue(id);
    expect(new URL(api.calls[0]!.url).searchParams.get("entity")).toBe(`payment#${id}`);
  });
});
