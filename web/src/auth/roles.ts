// The caller's roles, from the ID token's Cognito groups. They only choose what the portal
// shows: every staff route is still decided by the API, which checks the same groups.
import type { User } from "oidc-client-ts";

export type Role = "customer" | "agent" | "admin";

export function groupsOf(user: User | null): string[] {
  const groups = user?.profile["cognito:groups"];
  return Array.isArray(groups) ? groups.filter((g): g is string => typeof g === "string") : [];
}

/** Admins can do what agents can; agents what customers can (the API's ordering). */
export function hasRole(user: User | null, role: Role): boolean {
  if (!user) return false;
  const groups = groupsOf(user);
  if (role === "admin") return groups.includes("admins");
  if (role === "agent") return groups.includes("agents") || groups.includes("admins");
  return true;
}
