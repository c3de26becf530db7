import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PortalConfig } from "../config";
import { setLanguage } from "../i18n";
import { createSession } from "./session";

const config: PortalConfig = {
  apiUrl: "https://api.example.test",
  cognitoDomain: "https://auth.example.test",
  clientId: "portal-client",
  region: "us-east-1",
  userPoolId: "us-east-1_pool",
  redirectUri: "https://portal.example.test/callback",
  logoutUri: "https://portal.example.test/",
  paymentsUrl: "https://pay.example.test",
  paymentsPublishableKey: "pk_test",
};

// The browser's navigation, watched: where each redirect would take the person.
let assign: ReturnType<typeof vi.fn<(url: string) => void>>;

beforeEach(() => {
  assign = vi.fn<(url: string) => void>();
  const here = new URL("https://portal.example.test/quote");
  vi.stubGlobal("location", {
    href: here.href,
    origin: here.origin,
    protocol: here.protocol,
    host: here.host,
    pathname: here.pathname,
    search: "",
    hash: "",
    assign,
    replace: assign,
  });
});

afterEach(async () => {
  vi.unstubAllGlobals();
  await setLanguage("en");
});

/** The URL the next redirect goes to (an OIDC redirect never settles: the page is left). */
async function redirectedTo(start: () => Promise<void>): Promise<URL> {
  void start();
  await vi.waitFor(() => expect(assign).toHaveBeenCalledTimes(1));
  const [[target]] = assign.mock.calls as [[string]];
  return new URL(target);
}

describe("the hosted sign-in pages follow the portal's language", () => {
  it("asks the authorize endpoint for Spanish when the portal is in Spanish", async () => {
    await setLanguage("es");
    const url = await redirectedTo(() => createSession(config).signIn("/quote"));
    expect(url.origin + url.pathname).toBe("https://auth.example.test/oauth2/authorize");
    expect(url.searchParams.get("lang")).toBe("es");
    expect(url.searchParams.get("client_id")).toBe("portal-client");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
  });

  it("asks for English when the portal is in English", async () => {
    const url = await redirectedTo(() => createSession(config).signIn("/quote"));
    expect(url.searchParams.get("lang")).toBe("en");
  });

  it("reads the language at the redirect, after a switch made once the session exists", async () => {
    const session = createSession(config);
    await setLanguage("es");
    const url = await redirectedTo(() => session.signUp("/quote"));
    expect(url.origin + url.pathname).toBe("https://auth.example.test/signup");
    expect(url.searchParams.get("lang")).toBe("es");
  });

  it("signs out through Cognito's logout in the portal's language", async () => {
    await setLanguage("es");
    const url = await redirectedTo(() => createSession(config).signOut());
    expect(url.origin + url.pathname).toBe("https://auth.example.test/logout");
    expect(url.searchParams.get("lang")).toBe("es");
    expect(url.searchParams.get("logout_uri")).toBe("https://portal.example.test/");
  });
});
