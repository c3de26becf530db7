import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { renderAs } from "../../features/admin/testing";
import { fakeFetch } from "../../test/harness";
import SyncPage from "./SyncPage";

describe("starting a Salesforce sync", () => {
  it("asks for a direction, starts the run and opens its page", async () => {
    const api = fakeFetch({
      "POST /v1/salesforce/sync": [
        { status: 202, body: { runId: "01J0000000000000000000SYNC", direction: "push", trigger: "manual", status: "QUEUED" } },
      ],
    });
    renderAs(["admins"], "/admin/salesforce", "/admin/salesforce", <SyncPage />, api.fetch);
    const ui = userEvent.setup();
    await ui.click(screen.getByRole("button", { name: "Start sync" }));
    expect(screen.getByText("Choose a direction.")).toBeInTheDocument();
    expect(api.calls).toHaveLength(0);
    await ui.click(screen.getByLabelText("Push: portal → Salesforce"));
    await ui.click(screen.getByRole("button", { name: "Start sync" }));
    expect(await screen.findByText("elsewhere")).toBeInTheDocument(); // the run's page
    expect(JSON.parse(api.calls[0]!.body)).toEqual({ direction: "push" });
  });

  it("says the API's refusal when the run cannot be queued", async () => {
    const api = fakeFetch({
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
