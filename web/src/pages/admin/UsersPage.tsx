// Users, filtered by group, account state and the start of their e-mail (all kept in the address,
// so a reload or a shared link shows the same list), a page at a time.
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { unwrap } from "../../api/client";
import { isApiError } from "../../api/errors";
import { SelectField, TextField } from "../../components/Field";
import { Page } from "../../components/Page";
import { Empty, Loading } from "../../components/States";
import { useApi } from "../../context";
import { AdminOnly, ProblemBox } from "../../features/admin/access";
import {
  EMAIL_PREFIX_MAX,
  GROUPS,
  PAGE_SIZE,
  STATUSES,
  accountStateLabel,
  emailPrefix,
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
  // A search the API would refuse, put in the URL by hand, is left out rather than sent.
  const email = emailPrefix(params.get("email") ?? "") ?? "";
  const [draft, setDraft] = useState({ group, status, email });
  const [emailError, setEmailError] = useState<string>();
  const users = useInfiniteQuery({
    queryKey: ["admin", "users", group, status, email],
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
              ...(email ? { email } : {}),
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.nextToken ?? undefined,
  });
  const items = users.data?.pages.flatMap((page) => page.items) ?? [];
  const apiEmailError = isApiError(users.error) ? users.error.messageFor("email") : undefined;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const prefix = emailPrefix(draft.email);
    if (prefix === null) {
      setEmailError(t("admin.users.emailInvalid"));
      return;
    }
    setEmailError(undefined);
    const next = new URLSearchParams();
    if (draft.group) next.set("group", draft.group);
    if (draft.status) next.set("status", draft.status);
    if (prefix) next.set("email", prefix);
    setParams(next);
  }

  function onClear() {
    setDraft({ group: "", status: "", email: "" });
    setEmailError(undefined);
    setParams(new URLSearchParams());
  }

  return (
    <Page title={t("admin.users.title")}>
      <form className="form search card filters" role="search" aria-label={t("admin.users.filters")} onSubmit={onSubmit}>
        <TextField
          label={t("admin.users.emailPrefix")}
          name="email"
          type="search"
          value={draft.email}
          onChange={(value) => setDraft({ ...draft, email: value })}
          hint={t("admin.users.emailHint")}
          error={emailError ?? apiEmailError}
          maxLength={EMAIL_PREFIX_MAX}
          autoComplete="off"
        />
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
          {group || status || email ? (
            <button type="button" className="secondary" onClick={onClear}>
              {t("admin.users.clear")}
            </button>
          ) : null}
        </div>
      </form>
      {users.isPending ? <Loading /> : null}
      {users.isError ? <ProblemBox error={users.error} onRetry={() => void users.refetch()} /> : null}
      {users.isSuccess && items.length === 0 && !users.hasNextPage ? (
        <Empty>{email ? t("admin.users.noEmailMatch", { email }) : t("admin.users.none")}</Empty>
      ) : null}
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
