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

export function isGroup(value: string | null): value is Group {
  return value !== null && (GROUPS as string[]).includes(value);
}

export function isStatus(value: string | null): value is UserStatus {
  return value !== null && (STATUSES as string[]).includes(value);
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
