// The frame of every page: skip link, header with navigation and sign-in, the page itself.
import { Suspense } from "react";
import { NavLink, Outlet, useLocation } from "react-router";
import { useServices, useUser } from "../context";
import { AgentLinks } from "../features/agent/AgentLinks";
import { AdminLinks } from "../features/admin/AdminLinks";
import { useProfileLanguage } from "../features/profileLanguage";
import { t, useLanguage, type MessageKey } from "../i18n";
import { LanguageSelect } from "./LanguageSelect";
import { Loading } from "./States";

const PUBLIC_LINKS: [string, MessageKey][] = [
  ["/", "nav.products"],
  ["/plans", "nav.plans"],
];
const ACCOUNT_LINKS: [string, MessageKey][] = [
  ["/policies", "nav.policies"],
  ["/applications", "nav.applications"],
  ["/enrollment", "nav.enrollment"],
  ["/notifications", "nav.notifications"],
  ["/profile", "nav.profile"],
];

export function Layout() {
  const { session } = useServices();
  const user = useUser();
  useLanguage(); // the header speaks the language just chosen
  useProfileLanguage();
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;
  const links = user ? [...PUBLIC_LINKS, ...ACCOUNT_LINKS] : PUBLIC_LINKS;
  return (
    <>
      <a className="skip" href="#main">
        {t("app.skip")}
      </a>
      <header className="site-header">
        <div className="bar">
          <NavLink to="/" className="brand">
            {t("app.name")}
          </NavLink>
          <div className="account">
            <LanguageSelect />
            {user ? (
              <>
                <span className="who">{String(user.profile.email ?? "")}</span>
                <button type="button" className="secondary" onClick={() => void session.signOut()}>
                  {t("auth.signOut")}
                </button>
              </>
            ) : (
              <>
                <button type="button" className="secondary" onClick={() => void session.signIn(here)}>
                  {t("auth.signIn")}
                </button>
                <button type="button" onClick={() => void session.signUp(here)}>
                  {t("auth.signUp")}
                </button>
              </>
            )}
          </div>
        </div>
        <nav aria-label={t("nav.menu")}>
          <ul>
            {links.map(([to, key]) => (
              <li key={to}>
                <NavLink to={to} end={to === "/"}>
                  {t(key)}
                </NavLink>
              </li>
            ))}
          </ul>
          <AgentLinks />
          <AdminLinks />
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}
