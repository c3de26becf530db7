import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { renderAs } from "../../features/admin/testing";
import { setLanguage } from "../../i18n";
import { fakeFetch } from "../../test/harness";
import SyncPage from "./SyncPage";

const NO_RUNS = { status: 200, body: { items: [], nextToken: null } };

const PULLED = {
  runId: "20261201T111500Z-0a1b2c3d",
  direction: "pull",
  trigger: "schedule",
  status: "SUCCEEDED",
  startedAt: "2026-12-01T11:15:00+00:00",
  finishedAt: "2026-12-01T11:16:30+00:00",
  pull: {
    status: "SUCCEEDED",
    watermarkBefore: "2026-12-01T10:00:00.000+0000",
    watermarkAfter: "2026-12-01T11:00:00.000+0000",
    pages: 1,
    records: 1200,
    created: 12,
    updated: 3,
    unchanged: 1185,
    deleted: 0,
    conflictCount: 2,
    conflicts: [],
  },
};
const PUSHING = {
  runId: "01J0000000000000000000PUSH",
  direction: "push",
  trigger: "manual",
  status: "QUEUED",
  requestedBy: "admin",
  queuedAt: "2026-12-01T12:00:00+00:00",
};
const OLDER = {
  runId: "01J0000000000000000000BOTH",
  direction: "both",
  trigger: "manual",
  status: "COMPLETED_WITH_ERRORS",
  queuedAt: "2026-11-30T09:00:00+00:00",
  startedAt: "2026-11-30T09:00:02+00:00",
  finishedAt: "2026-11-30T09:05:00+00:00",
  push: {
    status: "COMPLETED_WITH_ERRORS",
    considered: 9,
    sent: 8,
    created: 5,
    updated: 3,
    skipped: 1,
    failed: 1,
    errors: [],
  },
};

afterEach(async () => {
  await setLanguage("en");
});

describe("starting a Salesforce sync", () => {
  it("asks for a direction, starts the run and opens its page", async () => {
    const api = fakeFetch({
      "GET /v1/salesforce/sync": [NO_RUNS],
      "POST /v1/salesforce/sync": [
        { status: 202, body: { runId: "01J0000000000000000000SYNC", direction: "push", trigger: "manual", status: "QUEUED" } },
      ],
    });
    renderAs(["admins"], "/admin/salesforce", "/admin/salesforce", <SyncPage />, api.fetch);
    const ui = userEvent.setup();
    await ui.click(screen.getByRole("button", { name: "Start sync" }));
    expect(screen.getByText("Choose a direction.")).toBeInTheDocument();
    const posts = () => api.calls.filter((call) => call.method === "POST");
    expect(posts()).toHaveLength(0);
    await ui.click(screen.getByLabelText("Push: portal → Salesforce"));
    await ui.click(screen.getByRole("button", { name: "Start sync" }));
    expect(await screen.findByText("elsewhere")).toBeInTheDocument(); // the run's page
    expect(JSON.parse(posts()[0]!.body)).toEqual({ direction: "push" });
  });

  it("says the API's refusal when the run cannot be queued", async () => {
    const api = fakeFetch({
      "GET /v1/salesforce/sync": [NO_RUNS],
      "POST /v1/salesforce/sync": [
        { status: 503, body: { error: { code: "service_unavailable", message: "The sync could not be queued; try again shortly.", details: null } } },
      ],
    });
    renderAs(["admins"], "/admin/salesforce", "/admin/salesforce", <SyncPage />, api.fetch);
    const ui = userEvent.setup();
    await ui.click(screen.getByLabelText("Both: pull, then push"));
    await ui.click(screen.getByRole("button", { name: "Start sync" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The service could not take the request just now.");
    expect(alert).toHaveTextContent("Details: The sync could not be queued; try again shortly.");
  });
});

describe("the runs so far", () => {
  it("lists them as the API orders them, each linking to its page, and loads older ones on request", async () => {
    const api = fakeFetch({
      "GET /v1/salesforce/sync": [
        (call) =>
          new URL(call.url).searchParams.get("nextToken") === "older"
            ? { status: 200, body: { items: [OLDER], nextToken: null } }
            : { status: 200, body: { items: [PUSHING, PULLED], nextToken: "older" } },
      ],
    });
    renderAs(["admins"], "/admin/salesforce", "/admin/salesforce", <SyncPage />, api.fetch);
    const table = await screen.findByRole("table", { name: "Sync runs, the latest first" });
    let rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2);

    const [queued, pulled] = rows as [HTMLElement, HTMLElement];
    expect(within(queued).getByRole("link")).toHaveAttribute("href", `/admin/salesforce/runs/${PUSHING.runId}`);
    expect(queued).toHaveTextContent("Queued");
    expect(queued).toHaveTextContent("Push: portal → Salesforce");
    expect(queued).toHaveTextContent("An admin");
    expect(within(pulled).getByRole("link")).toHaveAttribute(
      "href",
      `/admin/salesforce/runs/${encodeURIComponent(PULLED.runId)}`,
    );
    expect(pulled).toHaveTextContent("Finished");
    expect(pulled).toHaveTextContent("The hourly schedule");
    expect(pulled).toHaveTextContent(
      "Pull: 1,200 read, 12 created, 3 updated, 0 marked deleted, 2 conflicts",
    );
    const cells = within(pulled).getAllByRole("cell").map((cell) => cell.textContent);
    expect(cells).toContain(new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short" }).format(new Date(PULLED.finishedAt)));

    const ui = userEvent.setup();
    await ui.click(screen.getByRole("button", { name: "Show older runs" }));
    await within(table).findByText("Push: 8 sent, 5 created, 3 updated, 1 refused");
    rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((row) => row.getAttribute("data-run"))).toEqual([PUSHING.runId, PULLED.runId, OLDER.runId]);
    expect(rows[2]).toHaveTextContent("Finished with refused records");
    expect(screen.queryByRole("button", { name: "Show older runs" })).toBeNull();
    const lists = api.calls.filter((call) => call.method === "GET").map((call) => Object.fromEntries(new URL(call.url).searchParams));
    expect(lists).toEqual([{ limit: "20" }, { limit: "20", nextToken: "older" }]);
  });

  it("says when no run has been recorded", async () => {
    const api = fakeFetch({ "GET /v1/salesforce/sync": [NO_RUNS] });
    renderAs(["admins"], "/admin/salesforce", "/admin/salesforce", <SyncPage />, api.fetch);
    expect(await screen.findByText("No sync run has been recorded yet.")).toBeInTheDocument();
    expect(screen.queryByRole("table")).toBeNull();
    expect(screen.queryByRole("button", { name: "Show older runs" })).toBeNull();
  });

  it("says why the list could not be read and reads it again on request", async () => {
    const api = fakeFetch({
      "GET /v1/salesforce/sync": [
        { status: 500, body: { error: { code: "internal_error", message: "Something went wrong.", details: null } } },
        { status: 200, body: { items: [PUSHING], nextToken: null } },
      ],
    });
    renderAs(["admins"], "/admin/salesforce", "/admin/salesforce", <SyncPage />, api.fetch);
    const alert = await screen.findByRole("alert");
    const ui = userEvent.setup();
    await ui.click(within(alert).getByRole("button"));
    expect(await screen.findByRole("table", { name: "Sync runs, the latest first" })).toBeInTheDocument();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("speaks Spanish, with es-US numbers", async () => {
    await setLanguage("es");
    const api = fakeFetch({ "GET /v1/salesforce/sync": [{ status: 200, body: { items: [PULLED], nextToken: "older" } }] });
    renderAs(["admins"], "/admin/salesforce", "/admin/salesforce", <SyncPage />, api.fetch);
    const table = await screen.findByRole("table", { name: "Sincronizaciones, la más reciente primero" });
    const row = within(table).getAllByRole("row")[1]!;
    expect(row).toHaveTextContent("Terminada");
    expect(row).toHaveTextContent("La programación horaria");
    expect(row).toHaveTextContent("Traer: 1,200 leídos, 12 creados, 3 actualizados, 0 marcados como eliminados, 2 conflictos");
    expect(screen.getByRole("heading", { name: "Sincronizaciones recientes" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Mostrar sincronizaciones anteriores" })).toBeInTheDocument();
  });
});
