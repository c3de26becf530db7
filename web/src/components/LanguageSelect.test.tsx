import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import { createApi } from "../api/client";
import { ServicesProvider } from "../context";
import { setLanguage } from "../i18n";
import { routes } from "../routes";
import { CONFIG, fakeFetch, fakeSession } from "../test/harness";

const PROFILE = {
  customerId: "c-1",
  email: "ana@example.com",
  givenName: "Ana",
  familyName: "Silva",
  contactPreferences: { email: true, sms: false },
  preferredLanguage: "en",
  createdAt: "2026-12-01T10:00:00Z",
  updatedAt: "2026-12-01T10:00:00Z",
  version: 3,
};

afterEach(() => {
  window.localStorage.clear();
  setLanguage("en");
});

/** The portal's own routes (header, pages) at a path, signed in, over a fake API. */
function renderPortal(path: string, fetch: typeof globalThis.fetch) {
  const api = createApi(CONFIG.apiUrl, () => "id-token", fetch);
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <ServicesProvider services={{ config: CONFIG, api, session: fakeSession() }}>
      <QueryClientProvider client={queries}>
        <RouterProvider router={createMemoryRouter(routes, { initialEntries: [path] })} />
      </QueryClientProvider>
    </ServicesProvider>,
  );
}

describe("the header's language switch", () => {
  it("renders the page, the header and the title again in Spanish, and remembers it", async () => {
    const api = fakeFetch({
      "GET /v1/me": [{ status: 200, body: PROFILE }],
      "PUT /v1/me": [(call) => ({ status: 200, body: { ...PROFILE, ...JSON.parse(call.body), version: 4 } })],
    });
    renderPortal("/no/such/page", api.fetch);
    expect(await screen.findByRole("heading", { name: "Page not found" })).toBeInTheDocument();

    await userEvent.setup().selectOptions(screen.getByLabelText("Language"), "Español");

    expect(await screen.findByRole("heading", { name: "Página no encontrada" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Volver al inicio" })).toBeInTheDocument();
    expect(screen.getByRole("navigation", { name: "Principal" })).toHaveTextContent("Planes de medicamentos");
    expect(screen.getByLabelText("Idioma")).toHaveValue("es");
    expect(document.title).toBe("Página no encontrada · salesportal");
    expect(document.documentElement.lang).toBe("es-US");
    expect(window.localStorage.getItem("salesportal.language")).toBe("es");

    // Signed in: the profile keeps the choice too, for the messages we send.
    await waitFor(() => expect(api.calls.some((c) => c.method === "PUT")).toBe(true));
    const put = api.calls.find((c) => c.method === "PUT")!;
    expect(JSON.parse(put.body)).toMatchObject({ givenName: "Ana", familyName: "Silva", preferredLanguage: "es" });
    expect(put.headers.get("If-Match")).toBe('"3"');
  });

  it("leaves a profile without a name to the profile page, which the API needs to save it", async () => {
    const api = fakeFetch({ "GET /v1/me": [{ status: 200, body: { ...PROFILE, givenName: null, familyName: null } }] });
    renderPortal("/no/such/page", api.fetch);
    await screen.findByRole("heading", { name: "Page not found" });
    await userEvent.setup().selectOptions(screen.getByLabelText("Language"), "Español");
    await screen.findByRole("heading", { name: "Página no encontrada" });
    await waitFor(() => expect(api.calls.filter((c) => c.method === "GET").length).toBeGreaterThan(0));
    expect(api.calls.some((c) => c.method === "PUT")).toBe(false);
  });

  it("takes the profile's language at sign-in when this browser never chose one", async () => {
    const api = fakeFetch({ "GET /v1/me": [{ status: 200, body: { ...PROFILE, preferredLanguage: "es" } }] });
    renderPortal("/no/such/page", api.fetch);
    expect(await screen.findByRole("heading", { name: "Página no encontrada" })).toBeInTheDocument();
    expect(window.localStorage.getItem("salesportal.language")).toBeNull();
  });

  it("keeps the language chosen in this browser over the profile's", async () => {
    window.localStorage.setItem("salesportal.language", "en");
    const api = fakeFetch({ "GET /v1/me": [{ status: 200, body: { ...PROFILE, preferredLanguage: "es" } }] });
    renderPortal("/no/such/page", api.fetch);
    expect(await screen.findByRole("heading", { name: "Page not found" })).toBeInTheDocument();
    expect(api.calls.some((c) => c.url.endsWith("/me"))).toBe(false);
  });
});
