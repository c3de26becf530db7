// A product and its instant quote: coverage, state, date of birth and the product's questions.
import { useMutation, useQuery } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { unwrap } from "../api/client";
import { ApiError } from "../api/errors";
import type { Product, QuoteRequest } from "../api/types";
import { Choice, SelectField, TextField } from "../components/Field";
import { Page } from "../components/Page";
import { FormError, Loading, QueryState } from "../components/States";
import { useApi, useServices, useUser } from "../context";
import { Breakdown } from "../features/Breakdown";
import { coverageName, productDescription, productName } from "../features/catalogText";
import { RISK_QUESTIONS } from "../features/riskQuestions";
import { t } from "../i18n";
import { useDraft } from "../lib/draft";

export default function QuotePage() {
  const { productId = "" } = useParams();
  const api = useApi();
  const product = useQuery({
    queryKey: ["product", productId],
    queryFn: () => unwrap(api.GET("/products/{productId}", { params: { path: { productId } } })),
  });
  return (
    <QueryState query={product}>
      {(found) => (
        <Page title={t("quote.title", { product: productName(found) })}>
          <p>{productDescription(found)}</p>
          <QuoteForm product={found} />
        </Page>
      )}
    </QueryState>
  );
}

interface Draft {
  coverageOptionCode: string;
  state: string;
  dateOfBirth: string;
  risk: Record<string, string>;
}

function QuoteForm({ product }: { product: Product }) {
  const api = useApi();
  const { session } = useServices();
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const quoteId = params.get("quote");
  const questions = RISK_QUESTIONS[product.productId] ?? [];
  const [draft, setDraft] = useDraft<Draft>(`quote.${product.productId}`, {
    coverageOptionCode: product.coverageOptions[0]?.code ?? "",
    state: product.availableStates[0] ?? "",
    dateOfBirth: "",
    risk: {},
  });
  const create = useMutation({
    mutationFn: (body: QuoteRequest) => unwrap(api.POST("/quotes", { body })),
    onSuccess: (quote) => setParams({ quote: quote.quoteId }, { replace: false }),
  });
  // The quote shown comes from the URL, so a reload shows the same price.
  const quote = useQuery({
    queryKey: ["quote", quoteId],
    enabled: Boolean(quoteId && user),
    queryFn: () => unwrap(api.GET("/quotes/{quoteId}", { params: { path: { quoteId: quoteId ?? "" } } })),
  });
  const error = create.error instanceof ApiError ? create.error : null;
  const here = `/products/${product.productId}`;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!user) {
      void session.signIn(here); // the draft waits in this tab's storage
      return;
    }
    create.mutate({
      productId: product.productId,
      coverageOptionCode: draft.coverageOptionCode,
      state: draft.state,
      dateOfBirth: draft.dateOfBirth,
      riskFactors: draft.risk,
    });
  }

  return (
    <>
      <form className="form" onSubmit={submit} noValidate>
        <SelectField
          label={t("quote.coverage")}
          name="coverageOptionCode"
          value={draft.coverageOptionCode}
          onChange={(value) => setDraft({ ...draft, coverageOptionCode: value })}
          options={product.coverageOptions.map((o) => ({ value: o.code, label: coverageName(o) }))}
          error={error?.messageFor("coverageOptionCode")}
        />
        <SelectField
          label={t("quote.state")}
          name="state"
          value={draft.state}
          onChange={(value) => setDraft({ ...draft, state: value })}
          options={product.availableStates.map((s) => ({ value: s, label: s }))}
          error={error?.messageFor("state")}
        />
        <TextField
          label={t("quote.dateOfBirth")}
          name="dateOfBirth"
          type="date"
          required
          autoComplete="bday"
          value={draft.dateOfBirth}
          onChange={(value) => setDraft({ ...draft, dateOfBirth: value })}
          error={error?.messageFor("dateOfBirth")}
        />
        {questions.map((question) => (
          <Choice
            key={question.name}
            legend={t(question.label)}
            name={question.name}
            value={draft.risk[question.name] ?? null}
            onChange={(value) => setDraft({ ...draft, risk: { ...draft.risk, [question.name]: value } })}
            options={question.options.map((o) => ({ value: o.value, label: t(o.label) }))}
            error={error?.messageFor(question.name)}
          />
        ))}
        <FormError error={create.error} />
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? t("form.submitting") : user ? t("quote.submit") : t("quote.signInToQuote")}
        </button>
      </form>
      <div aria-live="polite">
        {quoteId && quote.isPending && user ? <Loading /> : null}
        {quote.data ? (
          <>
            <Breakdown quote={quote.data} />
            <p>
              <Link className="button" to={`/apply/${quote.data.quoteId}`}>
                {t("quote.apply")}
              </Link>
            </p>
          </>
        ) : null}
      </div>
    </>
  );
}
