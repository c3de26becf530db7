import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { currentLanguage, setLanguage } from "../i18n";
import { fakeFetch, renderPage } from "../test/harness";
import ProfilePage from "./ProfilePage";

const PROFILE = {
  customerId: "c-1",
  email: "ana@example.com",
  givenName: null,
  familyName: null,
  contactPreferences: { email: true, sms: false },
  preferredLanguage: "en",
  createdAt: "2026-12-01T10:00:00Z",
  updatedAt: "2026-12-01T10:00:00Z",
  version: 1,
};

afterEach(() => {
  window.localStorage.clear();
  setLanguage("en");
});

describe("the profile's language", () => {
  it("starts as the portal's language and is saved with the profile", async () => {
    await setLanguage("es"); // a Spanish browser; the new profile reads as the API's default, "en"
    const api = fakeFetch({
      "GET /v1/me": [{ status: 200, body: PROFILE }],
      "PUT /v1/me": [(call) => ({ status: 200, body: { ...PROFILE, ...JSON.parse(call.body), version: 2 } })],
    });
    renderPage("/profile", "/profile", <ProfilePage />, api.fetch);
    const user = userEvent.setup();
    expect(await screen.findByLabelText("Idioma del portal y de nuestros mensajes")).toHaveValue("es");
    await user.type(screen.getByLabelText(/^Nombre/), "Ana");
    await user.type(screen.getByLabelText(/^Apellido/), "Silva");
    await user.click(screen.getByRole("button", { name: "Guardar perfil" }));

    expect(await screen.findByText("Perfil guardado.")).toBeInTheDocument();
    const put = api.calls.find((c) => c.method === "PUT")!;
    expect(JSON.parse(put.body)).toMatchObject({ givenName: "Ana", familyName: "Silva", preferredLanguage: "es" });
  });

  it("switches the portal when another language is saved", async () => {
    const api = fakeFetch({
      "GET /v1/me": [{ status: 200, body: { ...PROFILE, givenName: "Ana", familyName: "Silva" } }],
      "PUT /v1/me": [(call) => ({ status: 200, body: { ...PROFILE, ...JSON.parse(call.body), version: 2 } })],
    });
    renderPage("/profile", "/profile", <ProfilePage />, api.fetch);
    const user = userEvent.setup();
    await user.selectOptions(await screen.findByLabelText("Language of the portal and of our messages"), "Español");
    await user.click(screen.getByRole("button", { name: "Save profile" }));
    expect(await screen.findByText("Perfil guardado.")).toBeInTheDocument();
    expect(currentLanguage()).toBe("es");
    expect(window.localStorage.getItem("salesportal.language")).toBe("es");
  });
});
