// Drug-plan search: ZIP, features that must be there, a monthly cost ceiling; paged.
// The search lives in the URL, so it survives a reload and can be shared.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { unwrap } from "../api/client";
import { ApiError } from "../api/errors";
import { Checkbox, TextField } from "../components/Field";
import { Page } from "../components/Page";
import { Empty, ErrorMessage, Loading } from "../components/States";
import { useApi } from "../context";
import { PlanCard } from "../features/PlanCard";
import { PLAN_FEATURES } from "../features/riskQuestions";
import { t, type MessageKey } from "../i18n";

const PAGE_SIZE = 10;

export default function PlansPage() {
  const api = useApi();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const zip = params.get("zip") ?? "";
  const features = params.getAll("feature");
  const maxDollars = params.get("max") ?? "";
  const age = params.get("age") ?? "";
  const token = params.get("token") ?? undefined;
  const page = Number(params.get("page") ?? "1");
  const [form, setForm] = useState({ zip, features, maxDollars, age });

  const search = useQuery({
    queryKey: ["plans", zip, features, maxDollars, age, token],
    enabled: zip !== "",
    placeholderData: keepPreviousData,
    queryFn: () =>
      unwrap(
        api.GET("/plans", {
          params: {
            query: {
              zip,
              feature: features.length ? features : undefined,
              maxMonthlyCost: maxDollars ? Math.round(Number(maxDollars) * 100) : undefined,
              age: age ? Number(age) : undefined,
              limit: PAGE_SIZE,
              nextToken: token,
            },
          },
        }),
      ),
  });
  const error = search.error instanceof ApiError ? search.error : null;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const next = new URLSearchParams();
    next.set("zip", form.zip.trim());
    form.features.forEach((feature) => next.append("feature", feature));
    if (form.maxDollars) next.set("max", form.maxDollars);
    if (form.age) next.set("age", form.age);
    setParams(next);
  }
  function nextPage(nextToken: string) {
    const next = new URLSearchParams(params);
    next.set("token", nextToken);
    next.set("page", String(page + 1));
    setParams(next);
  }
  const toggle = (feature: string, on: boolean) =>
    setForm({ ...form, features: on ? [...form.features, feature] : form.features.filter((f) => f !== feature) });

  return (
    <Page title={t("plans.title")}>
      <form className="form search" role="search" onSubmit={onSubmit} noValidate>
        <div className="row">
          <TextField label={t("plans.zip")} name="zip" required inputMode="numeric" maxLength={5}
            autoComplete="postal-code" value={form.zip} onChange={(v) => setForm({ ...form, zip: v })}
            error={error?.messageFor("zip")} />
          <TextField label={t("plans.maxCost")} name="max" inputMode="decimal" value={form.maxDollars}
            onChange={(v) => setForm({ ...form, maxDollars: v })} error={error?.messageFor("maxMonthlyCost")} />
          <TextField label={t("plans.age")} name="age" inputMode="numeric" maxLength={3} value={form.age}
            onChange={(v) => setForm({ ...form, age: v })} error={error?.messageFor("age")} />
        </div>
        <fieldset>
          <legend>{t("plans.features")}</legend>
          <div className="feature-grid">
            {PLAN_FEATURES.map((feature) => (
              <Checkbox key={feature} name="feature" label={t(`feature.${feature}` as MessageKey)}
                checked={form.features.includes(feature)} onChange={(on) => toggle(feature, on)} />
            ))}
          </div>
        </fieldset>
        <button type="submit">{t("plans.search")}</button>
      </form>
      <div aria-live="polite" aria-busy={search.isFetching}>
        {search.isFetching && !search.data ? <Loading /> : null}
        {search.isError && !error?.fieldProblems.length ? (
          <ErrorMessage error={search.error} onRetry={() => void search.refetch()} />
        ) : null}
        {search.data && search.data.items.length === 0 ? <Empty>{t("plans.none")}</Empty> : null}
        {search.data && search.data.items.length > 0 ? (
          <>
            <p>
              {t("plans.page", { page })} · {t("plans.results", { count: search.data.items.length })}
            </p>
            <ul className="cards">
              {search.data.items.map((plan) => (
                <PlanCard key={plan.planId} plan={plan} />
              ))}
            </ul>
          </>
        ) : null}
      </div>
      <nav className="pager" aria-label={t("plans.page", { page })}>
        {page > 1 ? (
          <button type="button" className="secondary" onClick={() => navigate(-1)}>
            {t("plans.previous")}
          </button>
        ) : null}
        {search.data?.nextToken ? (
          <button type="button" className="secondary" onClick={() => nextPage(search.data.nextToken ?? "")}>
            {t("plans.next")}
          </button>
        ) : null}
      </nav>
    </Page>
  );
}
