import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { renderAs, userIn } from "../../features/agent/testing";
import { setLanguage } from "../../i18n";
import { fakeFetch } from "../../test/harness";
import ReviewPage from "./ReviewPage";
import ReviewQueuePage from "./ReviewQueuePage";

const ID = "01J0000000000000000000APPL";
const ITEM = {
  applicationId: ID,
  quoteId: "01J0000000000000000000QUOT",
  customerId: "cust-1",
  productId: "term-life",
  coverageOptionCode: "TL-500K-20",
  state: "TX",
  status: "REFERRED",
  quotedAnnualPremium: { amountCents: 40345, currency: "USD" },
  quotedMonthlyPremium: { amountCents: 3539, currency: "USD" },
  declarations: {
    hospitalizedLast5Years: false,
    chronicCondition: true,
    hazardousActivities: false,
    previouslyDeclined: false,
  },
  // The codes as the bureau gives them; the decision's reasons are what the customer reads.
  risk: {
    identityVerified: true,
    score: 640,
    band: "C",
    reasonCodes: ["tobacco_use", "declared_chronicCondition", "R12"],
  },
  decision: {
    outcome: "REFERRED",
    reasons: [
      "Tobacco use increases the risk we would cover.",
      "You told us you have a long-term (chronic) medical condition.",
      "The risk assessment did not meet this product's underwriting guidelines.",
      "An underwriter will review your application and write to you with the decision.",
    ],
    decidedBy: "underwriting-rules",
    decidedAt: "2026-12-01T10:00:02Z",
  },
  submittedAt: "2026-12-01T10:00:00Z",
  updatedAt: "2026-12-01T10:00:02Z",
};
const QUEUE = { status: 200, body: { items: [ITEM], nextToken: null } };
const PRODUCTS = { status: 200, body: { items: [{ productId: "term-life", name: "Term Life Insurance" }] } };
const AGENT = userIn(["agents"]);

afterEach(() => setLanguage("en"));

/** The list that follows a heading, and its items' text as a person reads it. */
function reasonsList(heading: HTMLElement): HTMLElement {
  const list = heading.nextElementSibling;
  expect(list?.tagName).toBe("UL");
  return list as HTMLElement;
}
const reasonTexts = (list: HTMLElement) =>
  within(list)
    .getAllByRole("listitem")
    .map((item) => item.textContent?.replace(/\s+/g, " ").trim());

function page(routes: Parameters<typeof fakeFetch>[0]) {
  const api = fakeFetch({ "GET /v1/products": [PRODUCTS], ...routes });
  renderAs(AGENT, `/agent/review/${ID}`, "/agent/review/:applicationId", <ReviewPage />, api.fetch, {
    "/agent/review": <ReviewQueuePage />,
  });
  return api;
}

describe("deciding a referred application", () => {
  it("shows the facts, the answers and the underwriting view", async () => {
    page({ "GET /v1/admin/applications": [QUEUE] });
    expect(await screen.findByText("declared_chronicCondition")).toBeInTheDocument();
    expect(screen.getByText("640")).toBeInTheDocument();
    expect(screen.getByText("$35.39 a month ($403.45 a year)")).toBeInTheDocument();
    expect(screen.getByText("Chronic condition").nextElementSibling).toHaveTextContent("Yes");
  });

  it("says why it was referred in staff wording, by code, not in the customer's sentences", async () => {
    page({ "GET /v1/admin/applications": [QUEUE] });
    const why = reasonsList(await screen.findByRole("heading", { name: "Why it was referred" }));
    expect(reasonTexts(why)).toEqual([
      "Tobacco user tobacco_use",
      "Declared a chronic condition declared_chronicCondition",
      "Bureau reason code R12: no description on file",
    ]);
    expect(screen.queryByText(/You told us|your application|we would cover/)).not.toBeInTheDocument();
  });

  it("says why it was referred in Spanish staff wording", async () => {
    await setLanguage("es");
    page({ "GET /v1/admin/applications": [QUEUE] });
    const why = reasonsList(await screen.findByRole("heading", { name: "Por qué se remitió" }));
    expect(reasonTexts(why)).toEqual([
      "Consume tabaco tobacco_use",
      "Declaró una afección crónica declared_chronicCondition",
      "Código de motivo de la agencia R12: sin descripción registrada",
    ]);
    expect(screen.queryByText(/Nos informó|su solicitud/)).not.toBeInTheDocument();
  });

  it("says when the bureau gave no reason code", async () => {
    const noCodes = { ...ITEM, risk: { ...ITEM.risk, reasonCodes: [] } };
    page({ "GET /v1/admin/applications": [{ status: 200, body: { items: [noCodes], nextToken: null } }] });
    const why = reasonsList(await screen.findByRole("heading", { name: "Why it was referred" }));
    expect(reasonTexts(why)).toEqual(["No reason code from the bureau: referred on its score and band"]);
  });

  it("checks the API's rules before sending anything", async () => {
    const api = page({ "GET /v1/admin/applications": [QUEUE] });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Send decision" }));
    expect(screen.getByText("Choose approve or decline.")).toBeInTheDocument();
    expect(screen.getByText("Give a reason of at least 3 characters.")).toBeInTheDocument();
    await user.click(screen.getByRole("radio", { name: "Approve" }));
    expect(screen.getByText(/From -25% to \+100%/)).toBeInTheDocument();
    await user.type(screen.getByLabelText(/Premium adjustment/), "150");
    await user.type(screen.getByLabelText(/Reason/), "Controlled for years.");
    await user.click(screen.getByRole("button", { name: "Approve application" }));
    expect(screen.getByText("The adjustment must be between -25% and +100%.")).toBeInTheDocument();
    expect(api.calls.filter((c) => c.method === "PUT")).toEqual([]);
  });

  it("sends the decision, shows the new premium first, and returns to the queue without it", async () => {
    const api = page({
      "GET /v1/admin/applications": [QUEUE, { status: 200, body: { items: [], nextToken: null } }],
      [`PUT /v1/admin/applications/${ID}/decision`]: [{ status: 200, body: { ...ITEM, status: "APPROVED" } }],
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("radio", { name: "Approve" }));
    await user.type(screen.getByLabelText(/Premium adjustment/), "10");
    expect(screen.getByText("New premium: $38.93 a month ($443.80 a year), +10%")).toBeInTheDocument();
    await user.type(screen.getByLabelText(/Reason/), "  Controlled for five years. ");
    await user.click(screen.getByRole("button", { name: "Approve application" }));
    expect(await screen.findByText(/Approved: Term Life Insurance · TL-500K-20/)).toBeInTheDocument();
    expect(screen.getByTestId("where")).toHaveTextContent("/agent/review");
    const put = api.calls.find((c) => c.method === "PUT");
    expect(JSON.parse(put?.body ?? "")).toEqual({
      outcome: "APPROVE",
      reason: "Controlled for five years.",
      premiumAdjustmentBps: 1000,
    });
    expect(await screen.findByText("No application is waiting for review.")).toBeInTheDocument();
  });

  it("shows what the API refuses, beside the field it names", async () => {
    page({
      "GET /v1/admin/applications": [QUEUE],
      [`PUT /v1/admin/applications/${ID}/decision`]: [
        {
          status: 422,
          body: {
            error: {
              code: "validation_error",
              message: "Invalid input: premiumAdjustmentBps.",
              details: [
                {
                  field: "premiumAdjustmentBps",
                  location: "body",
                  message: "premiumAdjustmentBps must be between -1000 and 2000.",
                  type: "out_of_configured_range",
                },
              ],
            },
          },
        },
      ],
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("radio", { name: "Approve" }));
    await user.type(screen.getByLabelText(/Premium adjustment/), "50");
    await user.type(screen.getByLabelText(/Reason/), "Higher risk.");
    await user.click(screen.getByRole("button", { name: "Approve application" }));
    expect(await screen.findByText("premiumAdjustmentBps must be between -1000 and 2000.")).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("Invalid input: premiumAdjustmentBps.");
  });

  it("says so when someone decided it meanwhile", async () => {
    page({
      "GET /v1/admin/applications": [QUEUE],
      [`PUT /v1/admin/applications/${ID}/decision`]: [
        {
          status: 409,
          body: { error: { code: "invalid_application_state", message: "this one is APPROVED.", details: {} } },
        },
      ],
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("radio", { name: "Decline" }));
    await user.type(screen.getByLabelText(/Reason/), "Too much risk.");
    await user.click(screen.getByRole("button", { name: "Decline application" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("no longer waiting for a decision");
  });
});

describe("agent pages for someone who is not an agent", () => {
  it("say it is not allowed and ask the API nothing", async () => {
    const api = fakeFetch({});
    renderAs(userIn(["customers"]), "/agent/review", "/agent/review", <ReviewQueuePage />, api.fetch);
    expect(screen.getByRole("heading", { name: "Not allowed" })).toBeInTheDocument();
    await waitFor(() => expect(api.calls).toEqual([]));
  });

  it("are open to admins", async () => {
    const api = fakeFetch({ "GET /v1/admin/applications": [QUEUE], "GET /v1/products": [PRODUCTS] });
    renderAs(userIn(["admins"]), "/agent/review", "/agent/review", <ReviewQueuePage />, api.fetch);
    expect(await screen.findByRole("link", { name: "Term Life Insurance · TL-500K-20" })).toBeInTheDocument();
  });
});
