// Renders a page with fake services: an API answering from a table, a signed-in session.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { User } from "oidc-client-ts";
import type { ReactNode } from "react";
import { MemoryRouter, Route, Routes } from "react-router";
import { createApi } from "../api/client";
import type { Session } from "../auth/session";
import type { PortalConfig } from "../config";
import { ServicesProvider } from "../context";

export const CONFIG: PortalConfig = {
  apiUrl: "https://api.test/v1",
  cognitoDomain: "https://auth.test",
  clientId: "client",
  region: "us-east-1",
  userPoolId: "us-east-1_pool",
  redirectUri: "https://portal.test/callback",
  logoutUri: "https://portal.test/",
  paymentsUrl: "https://pay.test/payments",
  paymentsPublishableKey: "pk_test_x",
};

export interface Call {
  method: string;
  url: string;
  headers: Headers;
  body: string;
}

type Answer = { status: number; body?: unknown } | ((call: Call) => { status: number; body?: unknown });

/** A fetch that answers "METHOD path" from `routes` (each a list consumed in order). */
export function fakeFetch(routes: Record<string, Answer[]>) {
  const calls: Call[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    const body = request.body ? await request.text() : String(init?.body ?? "");
    const call = { method: request.method, url: request.url, headers: request.headers, body };
    calls.push(call);
    const path = new URL(request.url).pathname;
    const queue = routes[`${request.method} ${path}`];
    const next = queue && (queue.length > 1 ? queue.shift() : queue[0]);
    if (!next) return new Response(JSON.stringify({ message: "no route" }), { status: 599 });
    const answer = typeof next === "function" ? next(call) : next;
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { "Content-Type": "application/json" },
    });
  };
  return { fetch, calls };
}

const USER = { id_token: "id-token", expired: false, profile: { email: "ana@example.com", sub: "s" } } as unknown as User;

export function fakeSession(): Session {
  return {
    manager: null as never,
    idToken: () => "id-token",
    current: () => USER,
    signIn: async () => {},
    signUp: async () => {},
    signOut: async () => {},
    completeSignIn: async () => "/",
    resume: async () => false,
    onChange: () => () => {},
  };
}

export function renderPage(path: string, route: string, page: ReactNode, fetch: typeof globalThis.fetch) {
  const api = createApi(CONFIG.apiUrl, () => "id-token", fetch);
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <ServicesProvider services={{ config: CONFIG, api, session: fakeSession() }}>
      <QueryClientProvider client={queries}>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path={route} element={page} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </ServicesProvider>,
  );
}
