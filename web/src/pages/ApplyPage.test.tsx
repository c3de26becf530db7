import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { fakeFetch, renderPage } from "../test/harness";
import ApplyPage from "./ApplyPage";

const QUOTE = {
  quoteId: "01J0000000000000000000QUOT",
  productId: "term-life",
  coverageOptionCode: "TL-500K-20",
  state: "TX",
  status: "ACTIVE",
  monthlyPremium: { amountCents: 3539, currency: "USD" },
  annualPremium: { amountCents: 40345, currency: "USD" },
  breakdown: { baseMonthly: { amountCents: 2600 }, steps: [], premiumTaxMonthly: { amountCents: 59 }, feeMonthly: { amountCents: 100 } },
  createdAt: "2026-12-01T10:00:00Z",
  expiresAt: "2026-12-31T10:00:00Z",
};

async function fillIn() {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText(/First name/), "Ana");
  await user.type(screen.getByLabelText(/Last name/), "Silva");
  await user.type(screen.getByLabelText(/Last 4 digits/), "12");
  await user.type(screen.getByLabelText(/Street address/), "1 Main St");
  await user.type(screen.getByLabelText(/^City/), "Austin");
  await user.type(screen.getByLabelText(/ZIP code/), "78701");
  for (const group of screen.getAllByRole("group", { name: /\?$/ })) {
    await user.click(within(group).getByLabelText("No"));
  }
  await user.click(screen.getByLabelText(/I agree/));
  return user;
}

describe("applying from a quote", () => {
  it("shows the API's field error next to the field it names", async () => {
    const api = fakeFetch({
      [`GET /v1/quotes/${QUOTE.quoteId}`]: [{ status: 200, body: QUOTE }],
      "POST /v1/applications": [
        {
          status: 422,
          body: {
            error: {
              code: "validation_error",
              message: "Invalid request",
              details: [{ field: "identity.ssnLast4", message: "Enter exactly four digits", type: "string_pattern_mismatch" }],
            },
          },
        },
      ],
    });
    renderPage(`/apply/${QUOTE.quoteId}`, "/apply/:quoteId", <ApplyPage />, api.fetch);
    const user = await fillIn();
    await user.click(screen.getByRole("button", { name: "Submit application" }));

    const ssn = screen.getByLabelText(/Last 4 digits/);
    expect(await screen.findByText("Enter exactly four digits")).toBeInTheDocument();
    expect(ssn).toHaveAccessibleDescription("Enter exactly four digits");
    expect(ssn).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText(/First name/)).not.toHaveAttribute("aria-invalid");
    const sent = JSON.parse(api.calls.find((c) => c.method === "POST")!.body);
    expect(sent).toMatchObject({ quoteId: QUOTE.quoteId, consentToChecks: true, identity: { ssnLast4: "12" } });
    expect(api.calls.every((c) => c.headers.get("Authorization") === "id-token")).toBe(true);
  });

  it("keeps the typed answers in this tab's draft, but never the SSN digits", async () => {
    const api = fakeFetch({ [`GET /v1/quotes/${QUOTE.quoteId}`]: [{ status: 200, body: QUOTE }] });
    renderPage(`/apply/${QUOTE.quoteId}`, "/apply/:quoteId", <ApplyPage />, api.fetch);
    await fillIn();
    const draft = window.sessionStorage.getItem(`salesportal.draft.apply.${QUOTE.quoteId}`) ?? "";
    expect(JSON.parse(draft)).toMatchObject({ givenName: "Ana", city: "Austin", consent: true });
    expect(draft).not.toContain("ssn");
  });
});
