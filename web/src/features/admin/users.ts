// Users and their roles: the API's vocabulary (models/admin.py) and what the pages show of it.
import type { components } from "../../api/schema";
import { t, tMaybe } from "../../i18n";

export type User = components["schemas"]["User"];
export type Group = "customers" | "agents" | "admins";
export type UserStatus = "ENABLED" | "DISABLED" | "CONFIRMED" | "UNCONFIRMED" | "FORCE_CHANGE_PASSWORD" | "RESET_REQUIRED";

export const GROUPS: Group[] = ["customers", "agents", "admins"];
export const STATUSES: UserStatus[] = ["ENABLED", "DISABLED", "CONFIRMED", "UNCONFIRMED", "FORCE_CHANGE_PASSWORD", "RESET_REQUIRED"];
/** The list's page size (the API takes 1 to 60). */
export const PAGE_SIZE = 20;
/** The start of an e-mail address, as the API checks it, character for character (models/admin.py
 * EMAIL_PREFIX): 1 to 254 characters, none whitespace, '"', backslash or a control character. */
export const EMAIL_PREFIX = /^[^\s"\\\x00-\x1f\x7f-\x9f]{1,254}$/;
/** The longest address there is, and so the longest start of one. */
export const EMAIL_PREFIX_MAX = 254;

export function isGroup(value: string | null): value is Group {
  return value !== null && (GROUPS as string[]).includes(value);
}

export function isStatus(value: string | null): value is UserStatus {
  return value !== null && (STATUSES as string[]).includes(value);
}

/** What the search field holds, as the API would take it: trimmed, "" for no search, null when the
 * API would refuse it. Its case is kept: the API finds addresses in any case. */
export function emailPrefix(typed: string): string | null {
  const prefix = typed.trim();
  return prefix === "" || EMAIL_PREFIX.test(prefix) ? prefix : null;
}

export function groupLabel(group: string): string {
  return tMaybe(`admin.group.${group}`, group);
}

export function accountStateLabel(status: string | null | undefined): string {
  return status ? tMaybe(`admin.users.state.${status}`, status) : t("admin.none");
}

/** The groups to send: the API wants them distinct and sorted, one at least. */
export function rolesToSend(chosen: Iterable<string>): Group[] {
  return [...new Set(chosen)].filter(isGroup).sort();
}

export function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return rolesToSend(a).join(",") === rolesToSend(b).join(",");
}
