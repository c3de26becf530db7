import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderAs } from "../../features/admin/testing";
import { fakeFetch } from "../../test/harness";
import SyncRunPage from "./SyncRunPage";

const RUN = "01J0000000000000000000SYNC";
const base = { runId: RUN, direction: "both", trigger: "manual", requestedBy: "s", queuedAt: "2026-12-01T10:00:00Z" };

describe("a Salesforce sync run", () => {
  it("is re-read until it finishes, then shows the conflicts and the refused records", async () => {
    const api = fakeFetch({
      [`GET /v1/salesforce/sync/${RUN}`]: [
        { status: 200, body: { ...base, status: "QUEUED" } },
        {
          status: 200,
          body: {
            ...base,
            status: "COMPLETED_WITH_ERRORS",
            startedAt: "2026-12-01T10:00:01Z",
            finishedAt: "2026-12-01T10:00:09Z",
            pull: {
              status: "SUCCEEDED",
              watermarkBefore: "2026-12-01T09:00:00Z",
              watermarkAfter: "2026-12-01T10:00:00Z",
              pages: 2,
              records: 120,
              created: 3,
              updated: 4,
              unchanged: 113,
              deleted: 0,
              conflictCount: 1,
              conflicts: [{ salesforceId: "003000000000000001", field: "Phone", kept: "salesforce", lost: "portal" }],
            },
            push: {
              status: "COMPLETED_WITH_ERRORS",
              considered: 2,
              sent: 2,
              created: 1,
              updated: 0,
              skipped: 0,
              failed: 1,
              errors: [{ customerId: "c-1", errors: [{ statusCode: "INVALID_EMAIL_ADDRESS", message: "Email: invalid" }] }],
            },
          },
        },
      ],
    });
    renderAs(["admins"], `/admin/salesforce/runs/${RUN}`, "/admin/salesforce/runs/:runId", <SyncRunPage />, api.fetch);
    expect(await screen.findByText(/Status: Queued/)).toHaveTextContent("This page updates by itself.");
    const done = await screen.findByRole("status", {}, { timeout: 8000 });
    await expect.poll(() => done.textContent, { timeout: 8000 }).toBe("Status: Finished with refused records");
    const conflicts = screen.getByRole("table", { name: "1 of 1 conflicts" });
    expect(within(conflicts).getByRole("row", { name: /003000000000000001/ })).toHaveTextContent(
      "PhoneSalesforce's valuePortal's value",
    );
    const refused = screen.getByRole("table", { name: "1 of 1 refused records" });
    expect(refused).toHaveTextContent("INVALID_EMAIL_ADDRESS: Email: invalid");
  });
});
