import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { renderAs } from "../../features/admin/testing";
import { setLanguage } from "../../i18n";
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

  it("finds users by the start of their e-mail, kept in the address beside the other filters", async () => {
    const api = fakeFetch({
      "GET /v1/admin/users": [
        (call) =>
          new URL(call.url).searchParams.get("email")
            ? { status: 200, body: { items: [user(3, ["agents"])], nextToken: null } }
            : { status: 200, body: { items: [user(1), user(3, ["agents"])], nextToken: null } },
      ],
    });
    renderAs(["admins"], "/admin/users", "/admin/users", <UsersPage />, api.fetch);
    const ui = userEvent.setup();
    await screen.findByRole("link", { name: "u1@example.com" });
    const field = screen.getByRole("searchbox", { name: "E-mail starts with" });
    expect(field).toHaveAccessibleDescription(/in any case/);
    await ui.type(field, "  U3@ ");
    await ui.selectOptions(screen.getByLabelText("Role"), "agents");
    await ui.click(screen.getByRole("button", { name: "Show users" }));
    await screen.findByRole("button", { name: "Clear filters" });
    expect(screen.queryByRole("link", { name: "u1@example.com" })).toBeNull();
    expect(screen.getByRole("link", { name: "u3@example.com" })).toBeInTheDocument();
    const queries = api.calls.map((c) => Object.fromEntries(new URL(c.url).searchParams));
    // Trimmed, its case kept: the API finds addresses in any case.
    expect(queries.at(-1)).toEqual({ limit: "20", group: "agents", email: "U3@" });

    await ui.click(screen.getByRole("button", { name: "Clear filters" }));
    expect(await screen.findByRole("link", { name: "u1@example.com" })).toBeInTheDocument();
    expect(screen.getByRole("searchbox", { name: "E-mail starts with" })).toHaveValue("");
    expect(Object.fromEntries(new URL(api.calls.at(-1)!.url).searchParams)).toEqual({ limit: "20" });
  });

  it("says plainly when no e-mail starts with the text searched", async () => {
    const api = fakeFetch({ "GET /v1/admin/users": [{ status: 200, body: { items: [], nextToken: null } }] });
    renderAs(["admins"], "/admin/users?email=nobody%40&status=DISABLED", "/admin/users", <UsersPage />, api.fetch);
    expect(
      await screen.findByText('No user with these filters has an e-mail address starting with "nobody@".'),
    ).toBeInTheDocument();
    expect(screen.getByRole("searchbox", { name: "E-mail starts with" })).toHaveValue("nobody@");
    expect(screen.queryByRole("table")).toBeNull();
    expect(Object.fromEntries(new URL(api.calls[0]!.url).searchParams)).toEqual({
      limit: "20",
      status: "DISABLED",
      email: "nobody@",
    });
  });

  it("refuses text no address starts with before asking, and never sends it from the address", async () => {
    const api = fakeFetch({ "GET /v1/admin/users": [{ status: 200, body: { items: [user(1)], nextToken: null } }] });
    const hostile = 'a" or email ^= "';
    renderAs(["admins"], `/admin/users?email=${encodeURIComponent(hostile)}`, "/admin/users", <UsersPage />, api.fetch);
    await screen.findByRole("link", { name: "u1@example.com" });
    expect(Object.fromEntries(new URL(api.calls[0]!.url).searchParams)).toEqual({ limit: "20" });
    const field = screen.getByRole("searchbox", { name: "E-mail starts with" });
    expect(field).toHaveValue("");

    const ui = userEvent.setup();
    for (const typed of [hostile, "rosa\\", "rosa example"]) {
      await ui.clear(field);
      await ui.type(field, typed.replace(/[[{]/g, "$&$&"));
      await ui.click(screen.getByRole("button", { name: "Show users" }));
      expect(field).toHaveAccessibleDescription(/without spaces, quotation marks or backslashes/);
      expect(field).toHaveAttribute("aria-invalid", "true");
    }
    expect(api.calls).toHaveLength(1);
    expect(field).toHaveAttribute("maxLength", "254");
  });

  it("shows the API's refusal of the e-mail beside the field", async () => {
    const refusal = {
      error: {
        code: "invalid_parameter",
        message: "Invalid parameter: email.",
        details: [{ field: "query.email", location: "query", message: "not the start of an e-mail address", type: "string_pattern_mismatch" }],
      },
    };
    const api = fakeFetch({ "GET /v1/admin/users": [{ status: 400, body: refusal }] });
    renderAs(["admins"], "/admin/users?email=rosa%E2%80%8B", "/admin/users", <UsersPage />, api.fetch);
    const field = await screen.findByRole("searchbox", { name: "E-mail starts with" });
    expect(await screen.findByText("not the start of an e-mail address")).toBeInTheDocument();
    expect(field).toHaveAttribute("aria-invalid", "true");
  });
});

describe("the users list in Spanish", () => {
  afterEach(async () => {
    await setLanguage("en");
  });

  it("labels the e-mail search and its empty result in Spanish", async () => {
    await setLanguage("es");
    const api = fakeFetch({ "GET /v1/admin/users": [{ status: 200, body: { items: [], nextToken: null } }] });
    renderAs(["admins"], "/admin/users?email=rosa%40", "/admin/users", <UsersPage />, api.fetch);
    expect(
      await screen.findByText("Ningún usuario con estos filtros tiene una dirección de correo electrónico que empiece por «rosa@»."),
    ).toBeInTheDocument();
    expect(screen.getByRole("searchbox", { name: "El correo electrónico empieza por" })).toHaveValue("rosa@");
    expect(screen.getByRole("button", { name: "Borrar filtros" })).toBeInTheDocument();
  });
});
