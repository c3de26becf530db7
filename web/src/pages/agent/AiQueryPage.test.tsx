import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderAs, userIn } from "../../features/agent/testing";
import { fakeFetch } from "../../test/harness";
import AiQueryPage from "./AiQueryPage";

const ID = "01J0000000000000000000QUER";
const base = {
  queryId: ID,
  question: "What does this customer hold?",
  customerId: "cust-1",
  createdAt: "2026-12-01T10:00:00Z",
  expiresAt: "2026-12-31T10:00:00Z",
};

describe("a question to the AI assistant", () => {
  it("is re-read by itself until it is answered", async () => {
    const api = fakeFetch({
      [`GET /v1/ai/queries/${ID}`]: [
        { status: 200, body: { ...base, status: "QUEUED" } },
        {
          status: 200,
          body: {
            ...base,
            status: "SUCCEEDED",
            answer: "Dana Rivera has 1 policies.",
            model: "gpt-4o-mini",
            usage: { promptTokens: 10, completionTokens: 5, totalTokens: 1500 },
            completedAt: "2026-12-01T10:00:03Z",
          },
        },
      ],
    });
    renderAs(userIn(["agents"]), `/agent/assistant/${ID}`, "/agent/assistant/:queryId", <AiQueryPage />, api.fetch);
    expect(await screen.findByText("Status: Queued")).toBeInTheDocument();
    expect(screen.getByText("This page updates by itself.")).toBeInTheDocument();
    expect(await screen.findByText("Status: Answered", {}, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.getByText("Dana Rivera has 1 policies.")).toBeInTheDocument();
    expect(screen.getByText(/1,500 tokens/)).toBeInTheDocument();
    expect(screen.queryByText("This page updates by itself.")).not.toBeInTheDocument();
  });

  it("that failed says so, with the reason", async () => {
    const api = fakeFetch({
      [`GET /v1/ai/queries/${ID}`]: [
        { status: 200, body: { ...base, status: "FAILED", failureReason: "InternalServerError: model down" } },
      ],
    });
    renderAs(userIn(["agents"]), `/agent/assistant/${ID}`, "/agent/assistant/:queryId", <AiQueryPage />, api.fetch);
    expect(await screen.findByRole("alert")).toHaveTextContent("could not answer");
    expect(screen.getByRole("alert")).toHaveTextContent("InternalServerError: model down");
  });
});
