// One user: their account, their roles (granted and removed), access (disabled and enabled),
// and a way into their audit trail. The API's guards (own admin role, own account) are shown.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";
import { unwrap } from "../../api/client";
import { isApiError } from "../../api/errors";
import { Checkbox } from "../../components/Field";
import { Page } from "../../components/Page";
import { useApi, useUser } from "../../context";
import { AdminOnly, AdminQueryState, ProblemBox } from "../../features/admin/access";
import { entityName } from "../../features/admin/audit";
import { GROUPS, accountStateLabel, groupLabel, rolesToSend, sameRoles, type User } from "../../features/admin/users";
import { formatDateTime, t } from "../../i18n";

export default function UserPage() {
  return (
    <AdminOnly>
      <UserDetail />
    </AdminOnly>
  );
}

function UserDetail() {
  const { userId = "" } = useParams();
  const api = useApi();
  const user = useQuery({
    queryKey: ["admin", "user", userId],
    queryFn: () => unwrap(api.GET("/admin/users/{userId}", { params: { path: { userId } } })),
  });
  return (
    <Page title={user.data?.email ?? t("admin.user.title")}>
      <p>
        <Link to="/admin/users">{t("admin.user.back")}</Link>
      </p>
      <AdminQueryState query={user}>
        {(found) => (
          <>
            <Facts user={found} />
            <Roles user={found} />
            <Access user={found} />
            <p>
              <Link to={`/admin/audit?entity=${encodeURIComponent(entityName("user", found.userId))}`}>
                {t("admin.user.auditLink")}
              </Link>
            </p>
          </>
        )}
      </AdminQueryState>
    </Page>
  );
}

function Facts({ user }: { user: User }) {
  const me = useUser();
  return (
    <dl className="card facts">
      <dt>{t("admin.users.email")}</dt>
      <dd>
        {user.email ?? t("admin.none")}
        {me?.profile.sub === user.userId ? ` (${t("admin.user.you")})` : ""}
      </dd>
      <dt>{t("admin.user.id")}</dt>
      <dd className="change-value">{user.userId}</dd>
      <dt>{t("admin.user.username")}</dt>
      <dd className="change-value">{user.username}</dd>
      <dt>{t("admin.users.state")}</dt>
      <dd>{accountStateLabel(user.status)}</dd>
      <dt>{t("admin.users.access")}</dt>
      <dd data-enabled={user.enabled}>{user.enabled ? t("admin.users.enabled") : t("admin.users.disabled")}</dd>
      <dt>{t("admin.users.created")}</dt>
      <dd>{user.createdAt ? formatDateTime(user.createdAt) : t("admin.none")}</dd>
    </dl>
  );
}

/** The user's answer from the API replaces the cached one, and their list pages are re-read. */
function useUserUpdate(userId: string) {
  const queries = useQueryClient();
  return (updated: User) => {
    queries.setQueryData(["admin", "user", userId], updated);
    void queries.invalidateQueries({ queryKey: ["admin", "users"] });
    void queries.invalidateQueries({ queryKey: ["admin", "audit"] });
  };
}

function Roles({ user }: { user: User }) {
  const api = useApi();
  const [chosen, setChosen] = useState<string[]>(user.groups);
  const [missing, setMissing] = useState(false);
  const [saved, setSaved] = useState(false);
  const onUpdated = useUserUpdate(user.userId);
  const save = useMutation({
    mutationFn: (groups: ReturnType<typeof rolesToSend>) =>
      unwrap(api.PUT("/admin/users/{userId}/roles", { params: { path: { userId: user.userId } }, body: { groups } })),
    onSuccess: (updated) => {
      setSaved(true);
      onUpdated(updated);
    },
    // A refused change (a guard, 409) changed nothing: the boxes show the roles as they stand.
    onError: (error) => {
      if (isApiError(error) && error.status === 409) setChosen(user.groups);
    },
  });

  function toggle(group: string, on: boolean) {
    setSaved(false);
    setMissing(false);
    setChosen((current) => (on ? [...current, group] : current.filter((g) => g !== group)));
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const groups = rolesToSend(chosen);
    if (groups.length === 0) {
      setMissing(true); // as the API: at least one role
      return;
    }
    save.mutate(groups);
  }

  return (
    <form className="card form" onSubmit={onSubmit} aria-labelledby="roles-title">
      <h2 id="roles-title">{t("admin.user.roles")}</h2>
      <fieldset aria-describedby={missing ? "roles-missing" : undefined}>
        <legend>{t("admin.user.rolesLegend")}</legend>
        {GROUPS.map((group) => (
          <Checkbox
            key={group}
            name="groups"
            label={groupLabel(group)}
            checked={chosen.includes(group)}
            onChange={(on) => toggle(group, on)}
          />
        ))}
        {missing ? (
          <p className="field-error" id="roles-missing">
            {t("admin.user.rolesMissing")}
          </p>
        ) : null}
      </fieldset>
      <ProblemBox error={save.error} />
      {saved && save.data ? (
        <p className="success" role="status">
          {t("admin.user.rolesSaved", { roles: save.data.groups.map(groupLabel).join(", ") })}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" disabled={save.isPending || sameRoles(chosen, user.groups)}>
          {save.isPending ? t("form.submitting") : t("admin.user.saveRoles")}
        </button>
      </div>
    </form>
  );
}

function Access({ user }: { user: User }) {
  const api = useApi();
  const [confirming, setConfirming] = useState(false);
  const onUpdated = useUserUpdate(user.userId);
  const change = useMutation({
    mutationFn: (enable: boolean) =>
      unwrap(
        enable
          ? api.POST("/admin/users/{userId}/enable", { params: { path: { userId: user.userId } } })
          : api.POST("/admin/users/{userId}/disable", { params: { path: { userId: user.userId } } }),
      ),
    onSuccess: (updated) => {
      setConfirming(false);
      onUpdated(updated);
    },
  });
  return (
    <section className="card" aria-labelledby="access-title">
      <h2 id="access-title">{t("admin.user.accessTitle")}</h2>
      <ProblemBox error={change.error} />
      {change.isSuccess ? (
        <p className="success" role="status">
          {change.data.enabled ? t("admin.user.enabledNow") : t("admin.user.disabledNow")}
        </p>
      ) : null}
      {user.enabled ? (
        confirming ? (
          <>
            <p className="warning">{t("admin.user.disableWarning", { email: user.email ?? user.username })}</p>
            <div className="actions">
              <button type="button" className="danger" disabled={change.isPending} onClick={() => change.mutate(false)}>
                {change.isPending ? t("form.submitting") : t("admin.user.confirmDisable")}
              </button>
              <button type="button" className="secondary" onClick={() => setConfirming(false)}>
                {t("admin.user.keepEnabled")}
              </button>
            </div>
          </>
        ) : (
          <div className="actions">
            <button type="button" className="danger" onClick={() => setConfirming(true)}>
              {t("admin.user.disable")}
            </button>
          </div>
        )
      ) : (
        <div className="actions">
          <button type="button" disabled={change.isPending} onClick={() => change.mutate(true)}>
            {change.isPending ? t("form.submitting") : t("admin.user.enable")}
          </button>
        </div>
      )}
    </section>
  );
}
