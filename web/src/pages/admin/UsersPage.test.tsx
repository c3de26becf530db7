import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { renderAs } from "../../features/admin/testing";
import { fakeFetch } from "../../test/harness";
import UsersPage from "./UsersPage";

const user = (n: number, groups = ["customers"]) => ({
  userId: `0000000${n}-0000-4000-8000-000000000000`,
  username: `u${n}`,
  email: `u${n}@example.com`,
  status: "CONFIRMED",
  enabled: n !== 2,
  groups,
  createdAt: "2026-11-01T10:00:00Z",
});

describe("the users list", () => {
  it("sends the chosen filters, pages on with the API's token, and links each user", async () => {
    const api = fakeFetch({
      "GET /v1/admin/users": [
        (call) =>
          new URL(call.url).searchParams.get("nextToken")
            ? { status: 200, body: { items: [user(2)], nextToken: null } }
            : { status: 200, body: { items: [user(1, ["admins", "customers"])], nextToken: "page-2" } },
      ],
    });
    renderAs(["admins"], "/admin/users", "/admin/users", <UsersPage />, api.fetch);
    const ui = userEvent.setup();
    await screen.findByRole("link", { name: "u1@example.com" });
    await ui.selectOptions(screen.getByLabelText("Role"), "customers");
    await ui.selectOptions(screen.getByLabelText("Account"), "DISABLED");
    await ui.click(screen.getByRole("button", { name: "Show users" }));
    await ui.click(await screen.findByRole("button", { name: "Show more users" }));
    expect(await screen.findByRole("link", { name: "u2@example.com" })).toHaveAttribute(
      "href",
      "/admin/users/00000002-0000-4000-8000-000000000000",
    );
    expect(screen.getByRole("row", { name: /u1@example.com/ })).toHaveTextContent("AdminCustomer");
    expect(screen.getByRole("row", { name: /u2@example.com/ })).toHaveTextContent("Disabled");
    expect(screen.queryByRole("button", { name: "Show more users" })).toBeNull();
    const queries = api.calls.map((c) => Object.fromEntries(new URL(c.url).searchParams));
    expect(queries.at(-2)).toEqual({ limit: "20", group: "customers", status: "DISABLED" });
    expect(queries.at(-1)).toEqual({ limit: "20", group: "customers", status: "DISABLED", nextToken: "page-2" });
  });

  it("says when a filtered page holds no match but more pages remain", async () => {
    // A group's pages are filtered by state after reading: a page can be empty mid-list.
    const api = fakeFetch({ "GET /v1/admin/users": [{ status: 200, body: { items: [], nextToken: "more" } }] });
    renderAs(["admins"], "/admin/users?group=agents&status=DISABLED", "/admin/users", <UsersPage />, api.fetch);
    expect(await screen.findByText(/No matching users on this page/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Show more users" })).toBeInTheDocument();
    expect(screen.queryByText("No users match these filters.")).toBeNull();
  });
});
