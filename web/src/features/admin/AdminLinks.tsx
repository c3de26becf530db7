// The admin console's links in the site navigation, for admins only (the API still decides).
import { NavLink } from "react-router";
import { hasRole } from "../../auth/roles";
import { useUser } from "../../context";
import { t, type MessageKey } from "../../i18n";

const LINKS: [string, MessageKey][] = [
  ["/admin/users", "admin.nav.users"],
  ["/admin/audit", "admin.nav.audit"],
  ["/admin/analytics", "admin.nav.analytics"],
  ["/admin/salesforce", "admin.nav.salesforce"],
];

export function AdminLinks() {
  const user = useUser();
  if (!hasRole(user, "admin")) return null;
  return (
    <ul aria-label={t("admin.nav.label")}>
      {LINKS.map(([to, key]) => (
        <li key={to}>
          <NavLink to={to}>{t(key)}</NavLink>
        </li>
      ))}
    </ul>
  );
}
