import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ADMIN_SUB, renderAs } from "../../features/admin/testing";
import { fakeFetch } from "../../test/harness";
import UserPage from "./UserPage";

const ME = {
  userId: ADMIN_SUB,
  username: "admin@example.com",
  email: "admin@example.com",
  status: "CONFIRMED",
  enabled: true,
  groups: ["admins", "customers"],
  createdAt: "2026-11-01T10:00:00Z",
};
const OTHER_ID = "22222222-2222-4222-8222-222222222222";
const OTHER = { ...ME, userId: OTHER_ID, username: "ana@example.com", email: "ana@example.com", groups: ["customers"] };

describe("a user's roles and access", () => {
  it("grants a role with the groups the API wants: distinct and sorted", async () => {
    const api = fakeFetch({
      [`GET /v1/admin/users/${OTHER_ID}`]: [{ status: 200, body: OTHER }],
      [`PUT /v1/admin/users/${OTHER_ID}/roles`]: [(call) => ({ status: 200, body: { ...OTHER, groups: JSON.parse(call.body).groups } })],
    });
    renderAs(["admins"], `/admin/users/${OTHER_ID}`, "/admin/users/:userId", <UserPage />, api.fetch);
    const user = userEvent.setup();
    const save = await screen.findByRole("button", { name: "Save roles" });
    expect(save).toBeDisabled(); // nothing changed yet
    await user.click(screen.getByRole("checkbox", { name: "Agent" }));
    await user.click(save);
    expect(await screen.findByRole("status")).toHaveTextContent("Roles saved: Agent, Customer.");
    const put = api.calls.find((c) => c.method === "PUT");
    expect(JSON.parse(put!.body)).toEqual({ groups: ["agents", "customers"] });
  });

  it("shows the API's guard when an admin removes their own admin role, in words and with its detail", async () => {
    const api = fakeFetch({
      [`GET /v1/admin/users/${ADMIN_SUB}`]: [{ status: 200, body: ME }],
      [`PUT /v1/admin/users/${ADMIN_SUB}/roles`]: [
        {
          status: 409,
          body: { error: { code: "own_admin_role", message: "You cannot remove your own admin role; ask another admin.", details: null } },
        },
      ],
    });
    renderAs(["admins"], `/admin/users/${ADMIN_SUB}`, "/admin/users/:userId", <UserPage />, api.fetch);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("checkbox", { name: "Admin" }));
    await user.click(screen.getByRole("button", { name: "Save roles" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("You cannot remove your own admin role. Ask another administrator to do it.");
    expect(alert).toHaveTextContent("Details: You cannot remove your own admin role; ask another admin.");
    // Nothing changed: the boxes show the roles as they stand.
    expect(screen.getByRole("checkbox", { name: "Admin" })).toBeChecked();
  });

  it("asks before disabling, then shows the API's guard for one's own account", async () => {
    const api = fakeFetch({
      [`GET /v1/admin/users/${ADMIN_SUB}`]: [{ status: 200, body: ME }],
      [`POST /v1/admin/users/${ADMIN_SUB}/disable`]: [
        { status: 409, body: { error: { code: "own_account", message: "You cannot disable your own account.", details: null } } },
      ],
    });
    renderAs(["admins"], `/admin/users/${ADMIN_SUB}`, "/admin/users/:userId", <UserPage />, api.fetch);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Disable account" }));
    expect(api.calls.some((c) => c.method === "POST")).toBe(false);
    await user.click(screen.getByRole("button", { name: "Yes, disable account" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("You cannot disable your own account. Ask another administrator");
  });

  it("refuses a role-less save before asking the API", async () => {
    const api = fakeFetch({ [`GET /v1/admin/users/${OTHER_ID}`]: [{ status: 200, body: OTHER }] });
    renderAs(["admins"], `/admin/users/${OTHER_ID}`, "/admin/users/:userId", <UserPage />, api.fetch);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("checkbox", { name: "Customer" }));
    await user.click(screen.getByRole("button", { name: "Save roles" }));
    expect(await screen.findByText("Choose at least one role.")).toBeInTheDocument();
    expect(api.calls.some((c) => c.method === "PUT")).toBe(false);
  });

  it("shows a non-admin 'not allowed' without calling the API", async () => {
    const api = fakeFetch({});
    renderAs(["agents"], `/admin/users/${OTHER_ID}`, "/admin/users/:userId", <UserPage />, api.fetch);
    expect(await screen.findByRole("heading", { name: "Not allowed" })).toBeInTheDocument();
    expect(api.calls).toHaveLength(0);
  });

  it("says 'not allowed' when the API refuses a token that still claims admin", async () => {
    const api = fakeFetch({
      [`GET /v1/admin/users/${OTHER_ID}`]: [
        { status: 403, body: { error: { code: "forbidden", message: "This resource needs the admin role.", details: null } } },
      ],
    });
    renderAs(["admins"], `/admin/users/${OTHER_ID}`, "/admin/users/:userId", <UserPage />, api.fetch);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("You are not allowed to do this: it needs the admin role.");
    expect(screen.queryByRole("button", { name: "Try again" })).toBeNull();
  });
});
