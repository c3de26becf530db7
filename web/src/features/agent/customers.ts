// Small rules of the customer pages: a name to show, and the instant a "changed since" day means.
import { t } from "../../i18n";

interface Named {
  customerId: string;
  givenName?: string | null;
  familyName?: string | null;
  email?: string | null;
}

/** Given and family name, else the e-mail, else the id: never a blank link. */
export function customerName(customer: Named): string {
  const name = [customer.givenName, customer.familyName].filter((part) => part && part.trim()).join(" ");
  return name || customer.email || t("agent.customer.unnamed", { id: customer.customerId });
}

/** The start of a calendar day (YYYY-MM-DD) in the agent's own time zone, as RFC 3339 UTC. */
export function sinceInstant(day: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  const start = new Date(year, month - 1, date, 0, 0, 0, 0);
  if (Number.isNaN(start.getTime())) return null;
  return start.toISOString().replace(/\.\d{3}Z$/, "Z");
}
