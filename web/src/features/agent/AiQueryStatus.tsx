// An AI question's status in words, announced politely as it moves from queued to answered.
import type { components } from "../../api/schema";
import { t, tMaybe } from "../../i18n";

type AiQuery = components["schemas"]["AiQuery"];

export function QueryStatus({ query, live = false }: { query: Pick<AiQuery, "status">; live?: boolean }) {
  return (
    <p
      className="query-status"
      data-status={query.status}
      {...(live ? { role: "status", "aria-live": "polite" as const } : {})}
    >
      {t("agent.assistant.status", { status: tMaybe(`agent.assistant.status.${query.status}`, query.status) })}
    </p>
  );
}
