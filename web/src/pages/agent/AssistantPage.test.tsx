import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { renderAs, userIn } from "../../features/agent/testing";
import { fakeFetch } from "../../test/harness";
import AiQueryPage from "./AiQueryPage";
import AssistantPage from "./AssistantPage";

const AGENT = userIn(["agents"]);
const query = (n: number, extra: object = {}) => ({
  queryId: `01J00000000000000000000Q0${n}`,
  status: "SUCCEEDED",
  question: `Question ${n}?`,
  answer: `Answer ${n}.`,
  createdAt: "2026-12-01T10:00:00Z",
  expiresAt: "2026-12-31T10:00:00Z",
  ...extra,
});

function open(routes: Parameters<typeof fakeFetch>[0], path = "/agent/assistant") {
  const api = fakeFetch(routes);
  renderAs(AGENT, path, "/agent/assistant", <AssistantPage />, api.fetch, {
    "/agent/assistant/:queryId": <AiQueryPage />,
  });
  return api;
}

describe("the AI assistant page", () => {
  it("lists the agent's past questions with their answers, a page at a time", async () => {
    const api = open({
      "GET /v1/ai/queries": [
        { status: 200, body: { items: [query(2), query(1)], nextToken: "page-2" } },
        { status: 200, body: { items: [query(0)], nextToken: null } },
      ],
    });
    expect(await screen.findByRole("link", { name: "Question 2?" })).toBeInTheDocument();
    expect(screen.getByText("Answer 1.")).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole("button", { name: "Load more" }));
    expect(await screen.findByRole("link", { name: "Question 0?" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
    expect(new URL(api.calls[1]?.url ?? "").searchParams.get("nextToken")).toBe("page-2");
  });

  it("says when nothing was asked yet", async () => {
    open({ "GET /v1/ai/queries": [{ status: 200, body: { items: [] } }] });
    expect(await screen.findByText("You have not asked anything yet.")).toBeInTheDocument();
  });

  it("checks the question before sending, and names an unknown customer beside its field", async () => {
    const api = open(
      {
        "GET /v1/ai/queries": [{ status: 200, body: { items: [] } }],
        "POST /v1/ai/queries": [
          { status: 404, body: { error: { code: "customer_not_found", message: "No customer 'nobody'." } } },
        ],
      },
      "/agent/assistant?customerId=nobody",
    );
    const user = userEvent.setup();
    expect(await screen.findByLabelText(/Customer id/)).toHaveValue("nobody");
    await user.type(screen.getByRole("textbox", { name: /^Question/ }), " a ");
    await user.click(screen.getByRole("button", { name: "Ask" }));
    expect(screen.getByText("Write a question of at least 3 characters.")).toBeInTheDocument();
    expect(api.calls.filter((c) => c.method === "POST")).toEqual([]);
    await user.type(screen.getByRole("textbox", { name: /^Question/ }), "Who is this?");
    await user.click(screen.getByRole("button", { name: "Ask" }));
    expect(await screen.findByText("There is no customer with this id.")).toBeInTheDocument();
    expect(screen.getByLabelText(/Customer id/)).toHaveAttribute("aria-invalid", "true");
  });

  it("sends the question and opens it, queued, until it is answered", async () => {
    const asked = query(3, { status: "QUEUED", answer: null, customerId: "cust-1" });
    const api = open(
      {
        "GET /v1/ai/queries": [{ status: 200, body: { items: [] } }],
        "POST /v1/ai/queries": [{ status: 202, body: asked }],
        [`GET /v1/ai/queries/${asked.queryId}`]: [
          { status: 200, body: asked },
          { status: 200, body: { ...asked, status: "SUCCEEDED", answer: "Done." } },
        ],
      },
      "/agent/assistant?customerId=cust-1",
    );
    const user = userEvent.setup();
    await user.type(await screen.findByRole("textbox", { name: /^Question/ }), "  What does this customer hold?  ");
    await user.click(screen.getByRole("button", { name: "Ask" }));
    expect(await screen.findByText("Status: Queued")).toBeInTheDocument();
    expect(screen.getByTestId("where")).toHaveTextContent(`/agent/assistant/${asked.queryId}`);
    expect(JSON.parse(api.calls.find((c) => c.method === "POST")?.body ?? "")).toEqual({
      question: "What does this customer hold?",
      customerId: "cust-1",
    });
    expect(await screen.findByText("Status: Answered", {}, { timeout: 5000 })).toBeInTheDocument();
  });
});
