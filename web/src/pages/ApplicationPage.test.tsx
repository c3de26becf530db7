import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fakeFetch, renderPage } from "../test/harness";
import ApplicationPage from "./ApplicationPage";

const ID = "01J0000000000000000000APPL";
const base = {
  applicationId: ID,
  quoteId: "q",
  productId: "term-life",
  coverageOptionCode: "TL-500K-20",
  state: "TX",
  quotedAnnualPremium: { amountCents: 40345, currency: "USD" },
  quotedMonthlyPremium: { amountCents: 3539, currency: "USD" },
  submittedAt: "2026-12-01T10:00:00Z",
  updatedAt: "2026-12-01T10:00:00Z",
};

describe("an application's status", () => {
  it("updates by itself until underwriting decides, then shows the reasons", async () => {
    const api = fakeFetch({
      [`GET /v1/applications/${ID}`]: [
        { status: 200, body: { ...base, status: "SUBMITTED" } },
        {
          status: 200,
          body: {
            ...base,
            status: "REFERRED",
            decision: {
              outcome: "REFERRED",
              reasons: ["Declared a chronic condition"],
              decidedBy: "underwriting-rules",
              decidedAt: "2026-12-01T10:00:02Z",
            },
          },
        },
      ],
    });
    renderPage(`/applications/${ID}`, "/applications/:applicationId", <ApplicationPage />, api.fetch);
    expect(await screen.findByText(/Submitted — we are checking it/)).toBeInTheDocument();
    expect(screen.getByText("This page updates by itself.")).toBeInTheDocument();
    // The next read comes from the page's own polling: no reload, no click.
    expect(await screen.findByText(/Referred to an underwriter/, {}, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.getByRole("listitem")).toHaveTextContent("Declared a chronic condition");
    expect(api.calls.filter((c) => c.method === "GET").length).toBeGreaterThanOrEqual(2);
  });
});
