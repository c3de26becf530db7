// The portal's routes; each page is its own chunk, loaded when first visited.
import type { ComponentType } from "react";
import { createBrowserRouter, type RouteObject } from "react-router";
import { RequireAuth } from "./auth/RequireAuth";
import { Layout } from "./components/Layout";
import { Loading, PageFailed } from "./components/States";
import { useLanguage } from "./i18n";

type PageModule = Promise<{ default: ComponentType }>;

function page(load: () => PageModule, signedIn = false): Pick<RouteObject, "lazy"> {
  return {
    lazy: async () => {
      const { default: Component } = await load();
      return {
        Component: () => {
          useLanguage(); // the router keeps its page elements: a language switch renders them again here
          return signedIn ? (
            <RequireAuth>
              <Component />
            </RequireAuth>
          ) : (
            <Component />
          );
        },
      };
    },
  };
}

export const routes: RouteObject[] = [
  {
    path: "/",
    Component: Layout,
    errorElement: <PageFailed />,
    hydrateFallbackElement: <Loading />,
    children: [
      { index: true, ...page(() => import("./pages/ProductsPage")) },
      { path: "products/:productId", ...page(() => import("./pages/QuotePage")) },
      { path: "apply/:quoteId", ...page(() => import("./pages/ApplyPage"), true) },
      { path: "applications", ...page(() => import("./pages/ApplicationsPage"), true) },
      { path: "applications/:applicationId", ...page(() => import("./pages/ApplicationPage"), true) },
      { path: "policies", ...page(() => import("./pages/PoliciesPage"), true) },
      { path: "policies/:policyId", ...page(() => import("./pages/PolicyPage"), true) },
      { path: "notifications", ...page(() => import("./pages/NotificationsPage"), true) },
      { path: "profile", ...page(() => import("./pages/ProfilePage"), true) },
      { path: "plans", ...page(() => import("./pages/PlansPage")) },
      { path: "plans/:planId", ...page(() => import("./pages/PlanPage")) },
      { path: "plans/:planId/compare", ...page(() => import("./pages/ComparePage"), true) },
      { path: "enrollment", ...page(() => import("./pages/EnrollmentPage"), true) },
      { path: "agent", ...page(() => import("./pages/agent/ReviewQueuePage"), true) },
      { path: "agent/review", ...page(() => import("./pages/agent/ReviewQueuePage"), true) },
      { path: "agent/review/:applicationId", ...page(() => import("./pages/agent/ReviewPage"), true) },
      { path: "agent/customers", ...page(() => import("./pages/agent/CustomersPage"), true) },
      { path: "agent/customers/:customerId", ...page(() => import("./pages/agent/CustomerPage"), true) },
      { path: "agent/assistant", ...page(() => import("./pages/agent/AssistantPage"), true) },
      { path: "agent/assistant/:queryId", ...page(() => import("./pages/agent/AiQueryPage"), true) },
      { path: "admin", ...page(() => import("./pages/admin/UsersPage"), true) },
      { path: "admin/users", ...page(() => import("./pages/admin/UsersPage"), true) },
      { path: "admin/users/:userId", ...page(() => import("./pages/admin/UserPage"), true) },
      { path: "admin/audit", ...page(() => import("./pages/admin/AuditPage"), true) },
      { path: "admin/analytics", ...page(() => import("./pages/admin/AnalyticsPage"), true) },
      { path: "admin/salesforce", ...page(() => import("./pages/admin/SyncPage"), true) },
      { path: "admin/salesforce/runs/:runId", ...page(() => import("./pages/admin/SyncRunPage"), true) },
      { path: "callback", ...page(() => import("./pages/CallbackPage")) },
      { path: "*", ...page(() => import("./pages/NotFoundPage")) },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
