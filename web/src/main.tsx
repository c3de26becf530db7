// Starts the portal: read config.json, build the API client and session, render the routes.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router";
import { createApi } from "./api/client";
import { createSession } from "./auth/session";
import { loadConfig } from "./config";
import { ServicesProvider } from "./context";
import { setLanguage, t } from "./i18n";
import { initialLanguage } from "./lib/language";
import { createRouter } from "./routes";
import "./styles.css";

async function start(): Promise<void> {
  // Its catalogue first, so the first render is already in the reader's language.
  await setLanguage(initialLanguage()).catch(() => setLanguage("en"));
  const root = createRoot(document.getElementById("root")!);
  let config;
  try {
    config = await loadConfig();
  } catch (error) {
    root.render(<p role="alert">{t("state.error", { message: String(error) })}</p>);
    return;
  }
  const session = createSession(config);
  // Tokens live in memory, so a reload has none: an open session signs straight back in.
  if (location.pathname !== "/callback" && (await session.resume(`${location.pathname}${location.search}`))) {
    return;
  }
  const api = createApi(config.apiUrl, session.idToken);
  const queries = new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // 4xx answers will not change on retry; network blips and 5xx might.
        retry: (failures, error) => failures < 2 && !(error as { status?: number }).status?.toString().startsWith("4"),
      },
    },
  });
  root.render(
    <StrictMode>
      <ServicesProvider services={{ config, api, session }}>
        <QueryClientProvider client={queries}>
          <RouterProvider router={createRouter()} />
        </QueryClientProvider>
      </ServicesProvider>
    </StrictMode>,
  );
}

void start();
