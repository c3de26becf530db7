// One question to the AI assistant, re-read until it is answered (or has failed).
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { Link, useParams } from "react-router";
import { unwrap } from "../../api/client";
import { Page } from "../../components/Page";
import { useApi } from "../../context";
import { AgentOnly, AgentQueryState } from "../../features/agent/access";
import { QueryStatus } from "../../features/agent/AiQueryStatus";
import { aiQueryPollMs } from "../../features/agent/polling";
import { currentLocale, formatDateTime, t } from "../../i18n";

export default function AiQueryPage() {
  return (
    <AgentOnly>
      <AiQuery />
    </AgentOnly>
  );
}

function AiQuery() {
  const { queryId = "" } = useParams();
  const api = useApi();
  const queries = useQueryClient();
  const query = useQuery({
    queryKey: ["agent", "ai-query", queryId],
    queryFn: () => unwrap(api.GET("/ai/queries/{queryId}", { params: { path: { queryId } } })),
    refetchInterval: (current) => aiQueryPollMs(current.state.data),
  });
  const finished = query.data && !aiQueryPollMs(query.data);
  useEffect(() => {
    // The list of past questions shows the answer too once there is one.
    if (finished) void queries.invalidateQueries({ queryKey: ["agent", "ai-queries"] });
  }, [finished, queries]);
  return (
    <Page title={t("agent.query.title")}>
      <p>
        <Link to="/agent/assistant">{t("agent.query.back")}</Link>
      </p>
      <AgentQueryState query={query}>
        {(found) => (
          <div className="card">
            <h2 className="h3">{t("agent.query.question")}</h2>
            <p className="pre">{found.question}</p>
            <p className="muted">
              {t("agent.query.asked", { when: formatDateTime(found.createdAt) })}
              {found.customerId ? (
                <>
                  {" · "}
                  <Link to={`/agent/customers/${encodeURIComponent(found.customerId)}`}>
                    {t("agent.assistant.about", { customer: found.customerId })}
                  </Link>
                </>
              ) : null}
            </p>
            <QueryStatus query={found} live />
            {aiQueryPollMs(found) ? <p className="muted">{t("agent.query.watching")}</p> : null}
            {found.answer ? (
              <>
                <h2 className="h3">{t("agent.query.answer")}</h2>
                <p className="answer">{found.answer}</p>
                <p className="muted">
                  {[
                    found.completedAt ? t("agent.query.answeredAt", { when: formatDateTime(found.completedAt) }) : null,
                    found.model ? t("agent.query.model", { model: found.model }) : null,
                    found.usage ? t("agent.query.tokens", { count: new Intl.NumberFormat(currentLocale()).format(found.usage.totalTokens) }) : null,
                  ]
                    .filter(Boolean)
                    .join(" · ")}
                </p>
              </>
            ) : null}
            {found.status === "FAILED" ? (
              <div className="error-box" role="alert">
                <p>{t("agent.query.failed")}</p>
                {found.failureReason ? (
                  <p className="problem-detail">{t("agent.problem.detail", { message: found.failureReason })}</p>
                ) : null}
              </div>
            ) : null}
            <p className="muted">{t("agent.query.expires", { when: formatDateTime(found.expiresAt) })}</p>
          </div>
        )}
      </AgentQueryState>
    </Page>
  );
}
