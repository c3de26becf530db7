// Renders an agent page as a given staff member (or a customer) with the test harness's fake API.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { User } from "oidc-client-ts";
import type { ReactNode } from "react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { createApi } from "../../api/client";
import { ServicesProvider } from "../../context";
import { CONFIG, fakeSession } from "../../test/harness";

export function userIn(groups: string[]): User {
  return {
    id_token: "id-token",
    expired: false,
    profile: { email: "staff@example.com", sub: "staff-sub", "cognito:groups": groups },
  } as unknown as User;
}

/** Where the page navigated to, for assertions. */
function Where() {
  const location = useLocation();
  return <output data-testid="where">{location.pathname}</output>;
}

export function renderAs(
  user: User,
  path: string,
  route: string,
  page: ReactNode,
  fetch: typeof globalThis.fetch,
  others: Record<string, ReactNode> = {},
) {
  const api = createApi(CONFIG.apiUrl, () => "id-token", fetch);
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const session = { ...fakeSession(), current: () => user };
  return render(
    <ServicesProvider services={{ config: CONFIG, api, session }}>
      <QueryClientProvider client={queries}>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path={route} element={page} />
            {Object.entries(others).map(([at, element]) => (
              <Route key={at} path={at} element={element} />
            ))}
          </Routes>
          <Where />
        </MemoryRouter>
      </QueryClientProvider>
    </ServicesProvider>,
  );
}
