// Users, filtered by group and account state (kept in the address), a page at a time.
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { unwrap } from "../../api/client";
import { SelectField } from "../../components/Field";
import { Page } from "../../components/Page";
import { Empty, Loading } from "../../components/States";
import { useApi } from "../../context";
import { AdminOnly, ProblemBox } from "../../features/admin/access";
import {
  GROUPS,
  PAGE_SIZE,
  STATUSES,
  accountStateLabel,
  groupLabel,
  isGroup,
  isStatus,
  type User,
} from "../../features/admin/users";
import { formatDateTime, t } from "../../i18n";

export default function UsersPage() {
  return (
    <AdminOnly>
      <Users />
    </AdminOnly>
  );
}

function Users() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const groupParam = params.get("group");
  const statusParam = params.get("status");
  const group = isGroup(groupParam) ? groupParam : "";
  const status = isStatus(statusParam) ? statusParam : "";
  const [draft, setDraft] = useState({ group, status });
  const users = useInfiniteQuery({
    queryKey: ["admin", "users", group, status],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/admin/users", {
          params: {
            query: {
              limit: PAGE_SIZE,
              nextToken: pageParam,
              ...(group ? { group } : {}),
              ...(status ? { status } : {}),
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.nextToken ?? undefined,
  });
  const items = users.data?.pages.flatMap((page) => page.items) ?? [];

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const next = new URLSearchParams();
    if (draft.group) next.set("group", draft.group);
    if (draft.status) next.set("status", draft.status);
    setParams(next);
  }

  return (
    <Page title={t("admin.users.title")}>
      <form className="form search card filters" role="search" aria-label={t("admin.users.filters")} onSubmit={onSubmit}>
        <SelectField
          label={t("admin.users.group")}
          name="group"
          value={draft.group}
          onChange={(value) => setDraft({ ...draft, group: value })}
          options={[{ value: "", label: t("admin.users.anyGroup") }, ...GROUPS.map((g) => ({ value: g, label: groupLabel(g) }))]}
        />
        <SelectField
          label={t("admin.users.status")}
          name="status"
          value={draft.status}
          onChange={(value) => setDraft({ ...draft, status: value })}
          options={[
            { value: "", label: t("admin.users.anyStatus") },
            ...STATUSES.map((s) => ({ value: s, label: accountStateLabel(s) })),
          ]}
        />
        <div className="actions">
          <button type="submit">{t("admin.users.apply")}</button>
        </div>
      </form>
      {users.isPending ? <Loading /> : null}
      {users.isError ? <ProblemBox error={users.error} onRetry={() => void users.refetch()} /> : null}
      {users.isSuccess && items.length === 0 && !users.hasNextPage ? <Empty>{t("admin.users.none")}</Empty> : null}
      {items.length > 0 ? (
        <div className="table-scroll">
          <table>
            <caption>{t("admin.users.shown", { count: items.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("admin.users.email")}</th>
                <th scope="col">{t("admin.users.roles")}</th>
                <th scope="col">{t("admin.users.state")}</th>
                <th scope="col">{t("admin.users.access")}</th>
                <th scope="col">{t("admin.users.created")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((user) => (
                <UserRow key={user.userId} user={user} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {users.isSuccess && items.length === 0 && users.hasNextPage ? (
        <p className="muted">{t("admin.users.noneOnPage")}</p>
      ) : null}
      {users.hasNextPage ? (
        <div className="pager">
          <button
            type="button"
            className="secondary"
            disabled={users.isFetchingNextPage}
            onClick={() => void users.fetchNextPage()}
          >
            {users.isFetchingNextPage ? t("state.loading") : t("admin.users.more")}
          </button>
        </div>
      ) : null}
    </Page>
  );
}

function UserRow({ user }: { user: User }) {
  return (
    <tr>
      <td>
        <Link to={`/admin/users/${user.userId}`}>{user.email ?? user.username}</Link>
      </td>
      <td>
        {user.groups.length ? (
          <ul className="role-list">
            {user.groups.map((g) => (
              <li key={g}>{groupLabel(g)}</li>
            ))}
          </ul>
        ) : (
          t("admin.users.noRoles")
        )}
      </td>
      <td>{accountStateLabel(user.status)}</td>
      <td>{user.enabled ? t("admin.users.enabled") : t("admin.users.disabled")}</td>
      <td>{user.createdAt ? formatDateTime(user.createdAt) : t("admin.none")}</td>
    </tr>
  );
}
