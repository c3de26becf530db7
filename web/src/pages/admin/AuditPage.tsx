// The audit trail of any entity, newest first, as the API gives it: personal data arrives
// masked and is shown as masked, never guessed at.
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { SelectField, TextField } from "../../components/Field";
import { Page } from "../../components/Page";
import { Empty, Loading } from "../../components/States";
import { useApi } from "../../context";
import { AdminOnly, ProblemBox } from "../../features/admin/access";
import {
  ENTITY_ID_MAX,
  ENTITY_TYPES,
  actorParts,
  entityName,
  idShape,
  isEntityId,
  isMasked,
  parseEntity,
  valueText,
  type IdShape,
} from "../../features/admin/audit";
import { formatDateTime, t, tMaybe, type MessageKey } from "../../i18n";

type AuditEntry = components["schemas"]["AuditEntry"];
const PAGE_SIZE = 25;
// How each shape of ID is explained, and refused.
const ID_TEXTS: Record<IdShape, { hint: MessageKey; invalid: MessageKey }> = {
  plain: { hint: "admin.audit.idHint", invalid: "admin.audit.idInvalid" },
  money: { hint: "admin.audit.moneyIdHint", invalid: "admin.audit.moneyIdInvalid" },
  reminder: { hint: "admin.audit.reminderIdHint", invalid: "admin.audit.reminderIdInvalid" },
};

export default function AuditPage() {
  return (
    <AdminOnly>
      <Audit />
    </AdminOnly>
  );
}

function Audit() {
  const [params, setParams] = useSearchParams();
  const entity = parseEntity(params.get("entity"));
  const [type, setType] = useState<string>(entity?.type ?? "user");
  const [id, setId] = useState(entity?.id ?? "");
  const [idError, setIdError] = useState<string | undefined>();
  const texts = ID_TEXTS[idShape(type)];

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const trimmed = id.trim();
    if (!isEntityId(type, trimmed)) {
      setIdError(t(texts.invalid));
      return;
    }
    setIdError(undefined);
    setParams({ entity: entityName(type, trimmed) });
  }

  const types = ENTITY_TYPES.includes(type as (typeof ENTITY_TYPES)[number]) ? ENTITY_TYPES : [...ENTITY_TYPES, type];
  return (
    <Page title={t("admin.audit.title")}>
      <form className="form search card filters" role="search" aria-label={t("admin.audit.find")} onSubmit={onSubmit}>
        <SelectField
          label={t("admin.audit.type")}
          name="type"
          value={type}
          onChange={(next) => {
            setType(next);
            setIdError(undefined); // another type's IDs have another shape
          }}
          options={types.map((value) => ({ value, label: tMaybe(`admin.entity.${value}`, value) }))}
        />
        <TextField
          label={t("admin.audit.id")}
          name="id"
          value={id}
          onChange={setId}
          required
          maxLength={ENTITY_ID_MAX}
          error={idError}
          hint={t(texts.hint)}
        />
        <div className="actions">
          <button type="submit">{t("admin.audit.show")}</button>
        </div>
      </form>
      {entity ? <Trail entity={entityName(entity.type, entity.id)} /> : <p className="muted">{t("admin.audit.choose")}</p>}
    </Page>
  );
}

function Trail({ entity }: { entity: string }) {
  const api = useApi();
  const trail = useInfiniteQuery({
    queryKey: ["admin", "audit", entity],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/admin/audit", { params: { query: { entity, limit: PAGE_SIZE, nextToken: pageParam } } })),
    getNextPageParam: (last) => last.nextToken ?? undefined,
  });
  // As the API orders them: newest first.
  const entries = trail.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="trail-title">
      <h2 id="trail-title">{t("admin.audit.of", { entity })}</h2>
      <div className="actions">
        <button
          type="button"
          className="secondary"
          disabled={trail.isFetching}
          onClick={() => void trail.refetch()}
        >
          {trail.isFetching && !trail.isPending ? t("state.loading") : t("admin.audit.refresh")}
        </button>
      </div>
      {trail.isPending ? <Loading /> : null}
      {trail.isError ? <ProblemBox error={trail.error} onRetry={() => void trail.refetch()} /> : null}
      {trail.isSuccess && entries.length === 0 ? <Empty>{t("admin.audit.none")}</Empty> : null}
      {entries.length > 0 ? (
        <ol className="list" aria-label={t("admin.audit.entries")}>
          {entries.map((entry) => (
            <Entry key={entry.eventId} entry={entry} />
          ))}
        </ol>
      ) : null}
      {trail.hasNextPage ? (
        <div className="pager">
          <button
            type="button"
            className="secondary"
            disabled={trail.isFetchingNextPage}
            onClick={() => void trail.fetchNextPage()}
          >
            {trail.isFetchingNextPage ? t("state.loading") : t("admin.audit.more")}
          </button>
        </div>
      ) : null}
    </section>
  );
}

function Entry({ entry }: { entry: AuditEntry }) {
  const actor = actorParts(entry.actor);
  const headingId = `entry-${entry.eventId}`;
  return (
    <li className="card audit-entry">
      <h3 className="h3" id={headingId}>
        {tMaybe(`admin.audit.action.${entry.action}`, entry.action)} · <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
      </h3>
      <p className="muted">
        {actor.who ? t("admin.audit.by", { role: actor.role, who: actor.who }) : t("admin.audit.bySystem", { who: actor.role })}
      </p>
      {entry.changes.length ? (
        <div className="table-scroll">
          <table aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">{t("admin.audit.field")}</th>
                <th scope="col">{t("admin.audit.before")}</th>
                <th scope="col">{t("admin.audit.after")}</th>
              </tr>
            </thead>
            <tbody>
              {entry.changes.map((change) => (
                <tr key={change.field}>
                  <th scope="row">{change.field}</th>
                  <td className="change-value">
                    <Value value={change.before} />
                  </td>
                  <td className="change-value">
                    <Value value={change.after} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">{t("admin.audit.noChanges")}</p>
      )}
    </li>
  );
}

function Value({ value }: { value: unknown }) {
  if (isMasked(value)) {
    return (
      <span className="masked" data-masked="true" title={t("admin.audit.maskedHelp")}>
        <span aria-hidden="true">•••• </span>
        {t("admin.audit.masked")}
      </span>
    );
  }
  return <>{valueText(value)}</>;
}
