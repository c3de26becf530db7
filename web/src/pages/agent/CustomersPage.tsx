// Customers for staff: the most recently changed first, or found by e-mail, or changed since a
// day; the search is kept in the address so a reload or a shared link shows the same list.
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { unwrap } from "../../api/client";
import { isApiError } from "../../api/errors";
import { TextField } from "../../components/Field";
import { Page } from "../../components/Page";
import { Empty, Loading } from "../../components/States";
import { useApi } from "../../context";
import { AgentOnly, LoadMore, ProblemBox } from "../../features/agent/access";
import { customerName, sinceInstant } from "../../features/agent/customers";
import { formatDateTime, t } from "../../i18n";

const PAGE = 25;

export default function CustomersPage() {
  return (
    <AgentOnly>
      <Customers />
    </AgentOnly>
  );
}

function Customers() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const email = params.get("email") ?? "";
  const since = params.get("since") ?? "";
  const [draft, setDraft] = useState({ email, since });
  const customers = useInfiniteQuery({
    queryKey: ["agent", "customers", email, since],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => {
      const updatedSince = since ? sinceInstant(since) : null;
      return unwrap(
        api.GET("/customers", {
          params: {
            query: {
              limit: PAGE,
              ...(email ? { email } : {}),
              ...(updatedSince ? { updatedSince } : {}),
              ...(pageParam ? { nextToken: pageParam } : {}),
            },
          },
        }),
      );
    },
    getNextPageParam: (last) => last.nextToken ?? undefined,
  });
  const items = customers.data?.pages.flatMap((page) => page.items) ?? [];
  const error = customers.error;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const next = new URLSearchParams();
    if (draft.email.trim()) next.set("email", draft.email.trim());
    if (draft.since) next.set("since", draft.since);
    setParams(next);
  }

  return (
    <Page title={t("agent.customers.title")}>
      <form className="form card filters" role="search" aria-label={t("agent.customers.search")} onSubmit={onSubmit}>
        <TextField
          label={t("agent.customers.email")}
          name="email"
          type="email"
          value={draft.email}
          onChange={(value) => setDraft({ ...draft, email: value })}
          hint={t("agent.customers.emailHint")}
          error={isApiError(error) ? error.messageFor("email") : undefined}
          autoComplete="off"
        />
        <TextField
          label={t("agent.customers.since")}
          name="since"
          type="date"
          value={draft.since}
          onChange={(value) => setDraft({ ...draft, since: value })}
          hint={t("agent.customers.sinceHint")}
          error={isApiError(error) ? error.messageFor("updatedSince") : undefined}
        />
        <div className="actions">
          <button type="submit">{t("agent.customers.apply")}</button>
          {email || since ? (
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setDraft({ email: "", since: "" });
                setParams(new URLSearchParams());
              }}
            >
              {t("agent.customers.clear")}
            </button>
          ) : null}
        </div>
      </form>
      {customers.isPending ? <Loading /> : null}
      {customers.isError ? <ProblemBox error={error} onRetry={() => void customers.refetch()} /> : null}
      {customers.isSuccess && items.length === 0 && !customers.hasNextPage ? (
        <Empty>{t("agent.customers.none")}</Empty>
      ) : null}
      {items.length > 0 ? (
        <div className="table-scroll">
          <table>
            <caption>{t("agent.customers.shown", { count: items.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("agent.customers.name")}</th>
                <th scope="col">{t("agent.customers.emailColumn")}</th>
                <th scope="col">{t("agent.customers.salesforceId")}</th>
                <th scope="col">{t("agent.customers.updated")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.customerId}>
                  <td>
                    <Link to={`/agent/customers/${encodeURIComponent(c.customerId)}`}>{customerName(c)}</Link>
                    {c.deleted ? <span className="muted"> ({t("agent.customer.deletedShort")})</span> : null}
                  </td>
                  <td>{c.email ?? t("agent.none")}</td>
                  <td>{c.salesforceId ?? t("agent.customer.notLinked")}</td>
                  <td>{formatDateTime(c.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <LoadMore
        hasMore={customers.hasNextPage}
        loading={customers.isFetchingNextPage}
        onMore={() => void customers.fetchNextPage()}
      />
    </Page>
  );
}
