// How often the assistant page re-reads a question that is still being answered.
import type { components } from "../../api/schema";

type AiQuery = components["schemas"]["AiQuery"];

/** Queued questions wait for the worker; a running one is answered in seconds; a finished one stays put. */
export function aiQueryPollMs(query: Pick<AiQuery, "status"> | undefined): number | false {
  if (!query) return false;
  if (query.status === "QUEUED" || query.status === "RUNNING") return 1500;
  return false;
}
