// The audit trail's vocabulary: entities named "<type>#<id>", and values masked by the API.
import { t, tMaybe } from "../../i18n";

/** What the outbox audits (data/*: each item's entityType) and GET /admin/audit can name.
 * A policy's payments, refunds and renewal reminders are named under it: "<policy>:<child>". */
export const ENTITY_TYPES = [
  "user",
  "customer",
  "quote",
  "application",
  "policy",
  "payment",
  "refund",
  "renewal_reminder",
  "ai_query",
  "plan",
] as const;
/** As the API checks an entity, character for character (models/admin.py AUDIT_ENTITY): most IDs
 * are one ULID, UUID or slug; a payment's or refund's is the policy's ULID, ':' and the gateway's
 * ID (or declined-<Idempotency-Key>); a reminder's is the policy's ULID, ':', the term's end
 * date, '#' and the days before it. */
export const ENTITY =
  /^(?:[a-z][a-z_]{0,39}#[A-Za-z0-9._-]{1,64}|(?:payment|refund)#[0-9A-HJKMNP-TV-Z]{26}:[A-Za-z0-9_-]{1,73}|renewal_reminder#[0-9A-HJKMNP-TV-Z]{26}:[0-9]{4}-[0-9]{2}-[0-9]{2}#[0-9]{1,3})$/;
/** The longest ID the pattern takes: a policy's ULID (26), ':' and a payment's ID (73). */
export const ENTITY_ID_MAX = 100;
/** What the API writes in place of personal data (domain/outbox.py MASK). */
export const MASK = "***";

/** How an entity type's IDs are written, for the hint and the refusal the picker shows. */
export type IdShape = "plain" | "money" | "reminder";

export function idShape(type: string): IdShape {
  if (type === "payment" || type === "refund") return "money";
  return type === "renewal_reminder" ? "reminder" : "plain";
}

export function entityName(type: string, id: string): string {
  return `${type}#${id}`;
}

/** Whether the API would take `id` as an ID of `type`. */
export function isEntityId(type: string, id: string): boolean {
  return ENTITY.test(entityName(type, id));
}

/** The type before the first '#', the whole ID after it (a reminder's ID holds a '#' of its own). */
export function parseEntity(value: string | null): { type: string; id: string } | null {
  if (!value || !ENTITY.test(value)) return null;
  const mark = value.indexOf("#");
  return { type: value.slice(0, mark), id: value.slice(mark + 1) };
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
