// Renders an admin page for a component test: fake API, a session whose token carries groups.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { User } from "oidc-client-ts";
import type { ReactNode } from "react";
import { MemoryRouter, Route, Routes } from "react-router";
import { createApi } from "../../api/client";
import { ServicesProvider } from "../../context";
import { CONFIG, fakeSession } from "../../test/harness";

export const ADMIN_SUB = "11111111-1111-4111-8111-111111111111";

export function renderAs(
  groups: string[],
  path: string,
  route: string,
  page: ReactNode,
  fetch: typeof globalThis.fetch,
) {
  const user = {
    id_token: "id-token",
    expired: false,
    profile: { email: "admin@example.com", sub: ADMIN_SUB, "cognito:groups": groups },
  } as unknown as User;
  const session = { ...fakeSession(), current: () => user };
  const api = createApi(CONFIG.apiUrl, () => "id-token", fetch);
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <ServicesProvider services={{ config: CONFIG, api, session }}>
      <QueryClientProvider client={queries}>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path={route} element={page} />
            <Route path="*" element={<p>elsewhere</p>} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </ServicesProvider>,
  );
}
