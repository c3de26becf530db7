// The agent console's links in the site navigation, for agents and admins (the API still decides).
import { NavLink } from "react-router";
import { hasRole } from "../../auth/roles";
import { useUser } from "../../context";
import { t, type MessageKey } from "../../i18n";

const LINKS: [string, MessageKey][] = [
  ["/agent/review", "agent.nav.review"],
  ["/agent/customers", "agent.nav.customers"],
  ["/agent/assistant", "agent.nav.assistant"],
];

export function AgentLinks() {
  const user = useUser();
  if (!hasRole(user, "agent")) return null;
  return (
    <ul aria-label={t("agent.nav.label")}>
      {LINKS.map(([to, key]) => (
        <li key={to}>
          <NavLink to={to}>{t(key)}</NavLink>
        </li>
      ))}
    </ul>
  );
}
