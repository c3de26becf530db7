// The audit trail's vocabulary: entities named "<type>#<id>", and values masked by the API.
import { t, tMaybe } from "../../i18n";

/** What the outbox audits (data/*: each item's entityType) and GET /admin/audit can name.
 * Payments, refunds and renewal reminders are audited too, but their IDs ("<policy>:<child>")
 * hold a colon, which the API's entity pattern refuses: they cannot be asked for yet. */
export const ENTITY_TYPES = ["user", "customer", "quote", "application", "policy", "ai_query", "plan"] as const;
/** As the API checks an entity (models/admin.py AUDIT_ENTITY). */
const ENTITY = /^[a-z][a-z_]{0,39}#[A-Za-z0-9._-]{1,64}$/;
export const ENTITY_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** What the API writes in place of personal data (domain/outbox.py MASK). */
export const MASK = "***";

export function entityName(type: string, id: string): string {
  return `${type}#${id}`;
}

export function parseEntity(value: string | null): { type: string; id: string } | null {
  if (!value || !ENTITY.test(value)) return null;
  const [type = "", id = ""] = value.split("#", 2);
  return { type, id };
}

export function isMasked(value: unknown): boolean {
  return value === MASK;
}

/** A value as the API gave it, in words: lists joined, nothing as a dash, objects as name: value. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return t("admin.none");
  if (Array.isArray(value)) return value.length ? value.map((v) => valueText(v)).join(", ") : t("admin.audit.emptyList");
  if (typeof value === "boolean") return value ? t("form.yes") : t("form.no");
  if (isMasked(value)) return `•••• ${t("admin.audit.masked")}`;
  if (typeof value === "object") {
    const entries = Object.entries(value);
    return entries.length ? entries.map(([name, inner]) => `${name}: ${valueText(inner)}`).join(", ") : t("admin.audit.emptyList");
  }
  return String(value);
}

/** "admin:<sub>" → the role in words and who; "system:<job>" → the job. */
export function actorParts(actor: string): { role: string; who: string } {
  const [kind = "", ...rest] = actor.split(":");
  const who = rest.join(":");
  if (!who) return { role: actor, who: "" };
  return { role: tMaybe(`admin.actor.${kind}`, kind), who };
}
