// The AI assistant: ask a question (about one customer, or in general), then watch it move
// from queued to answered on its own page; the agent's past questions and answers below.
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { unwrap } from "../../api/client";
import { isApiError } from "../../api/errors";
import { TextField } from "../../components/Field";
import { Page } from "../../components/Page";
import { Empty, Loading } from "../../components/States";
import { useApi } from "../../context";
import { AgentOnly, LoadMore, ProblemBox } from "../../features/agent/access";
import { QUESTION_MAX, checkQuestion, type QuestionProblem } from "../../features/agent/assistant";
import { QueryStatus } from "../../features/agent/AiQueryStatus";
import { formatDateTime, t, type MessageKey } from "../../i18n";

export default function AssistantPage() {
  return (
    <AgentOnly>
      <Assistant />
    </AgentOnly>
  );
}

const PAGE = 10;

function Assistant() {
  const api = useApi();
  const past = useInfiniteQuery({
    queryKey: ["agent", "ai-queries"],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/ai/queries", {
          params: { query: { limit: PAGE, ...(pageParam ? { nextToken: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (last) => last.nextToken ?? undefined,
  });
  const items = past.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Page title={t("agent.assistant.title")}>
      <AskForm />
      <section aria-labelledby="past-title">
        <h2 id="past-title">{t("agent.assistant.past")}</h2>
        {past.isPending ? <Loading /> : null}
        {past.isError ? <ProblemBox error={past.error} onRetry={() => void past.refetch()} /> : null}
        {past.isSuccess && items.length === 0 && !past.hasNextPage ? <Empty>{t("agent.assistant.none")}</Empty> : null}
        {items.length > 0 ? (
          <ol className="list">
            {items.map((q) => (
              <li key={q.queryId} className="card query-item">
                <h3 className="h3">
                  <Link to={`/agent/assistant/${q.queryId}`}>{q.question}</Link>
                </h3>
                <p className="muted">
                  {formatDateTime(q.createdAt)}
                  {q.customerId ? ` · ${t("agent.assistant.about", { customer: q.customerId })}` : ""}
                </p>
                <QueryStatus query={q} />
                {q.answer ? <p className="answer">{q.answer}</p> : null}
              </li>
            ))}
          </ol>
        ) : null}
        <LoadMore hasMore={past.hasNextPage} loading={past.isFetchingNextPage} onMore={() => void past.fetchNextPage()} />
      </section>
    </Page>
  );
}

const QUESTION_PROBLEMS: Record<QuestionProblem, MessageKey> = {
  tooShort: "agent.assistant.questionTooShort",
  tooLong: "agent.assistant.questionTooLong",
  customerFormat: "agent.assistant.customerFormat",
};

function AskForm() {
  const api = useApi();
  const queries = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const questionId = useId();
  const [question, setQuestion] = useState("");
  const [customerId, setCustomerId] = useState(params.get("customerId") ?? "");
  const [shown, setShown] = useState<Partial<Record<"question" | "customerId", QuestionProblem>>>({});
  const ask = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/ai/queries", {
          body: { question: question.trim(), ...(customerId.trim() ? { customerId: customerId.trim() } : {}) },
        }),
      ),
    onSuccess: (asked) => {
      void queries.invalidateQueries({ queryKey: ["agent", "ai-queries"] });
      queries.setQueryData(["agent", "ai-query", asked.queryId], asked);
      navigate(`/agent/assistant/${asked.queryId}`);
    },
  });

  function problem(field: "question" | "customerId"): string | undefined {
    const local = shown[field];
    if (local) return t(QUESTION_PROBLEMS[local], { most: QUESTION_MAX });
    if (!isApiError(ask.error)) return undefined;
    if (field === "customerId" && ask.error.code === "customer_not_found") return t("agent.problem.customerNotFound");
    return ask.error.messageFor(field);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const problems = checkQuestion(question, customerId);
    setShown(problems);
    if (Object.keys(problems).length === 0) ask.mutate();
  }

  const questionError = problem("question");
  return (
    <form className="form card" noValidate onSubmit={onSubmit} aria-labelledby="ask-title">
      <h2 id="ask-title">{t("agent.assistant.ask")}</h2>
      <div className="field">
        <label htmlFor={questionId}>
          {t("agent.assistant.question")}
          <span className="required"> ({t("form.required")})</span>
        </label>
        <p className="hint" id={`${questionId}-hint`}>
          {t("agent.assistant.questionHint", { most: QUESTION_MAX })}
        </p>
        <textarea
          id={questionId}
          name="question"
          className="agent-textarea"
          value={question}
          required
          aria-invalid={questionError ? true : undefined}
          aria-describedby={[`${questionId}-hint`, questionError ? `${questionId}-error` : null].filter(Boolean).join(" ")}
          onChange={(event) => setQuestion(event.target.value)}
        />
        {questionError ? (
          <p className="field-error" id={`${questionId}-error`}>
            {questionError}
          </p>
        ) : null}
      </div>
      <TextField
        label={t("agent.assistant.customer")}
        name="customerId"
        value={customerId}
        onChange={setCustomerId}
        hint={t("agent.assistant.customerHint")}
        error={problem("customerId")}
        autoComplete="off"
      />
      {isApiError(ask.error) && ask.error.code === "customer_not_found" ? null : <ProblemBox error={ask.error} />}
      <div className="actions">
        <button type="submit" disabled={ask.isPending}>
          {ask.isPending ? t("form.submitting") : t("agent.assistant.send")}
        </button>
      </div>
    </form>
  );
}
