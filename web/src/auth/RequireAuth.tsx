// Pages of an account: signed in, or back through the hosted UI and returned here after.
import { useEffect, useState, type ReactNode } from "react";
import { useLocation } from "react-router";
import { useServices, useUser } from "../context";
import { t } from "../i18n";
import { Loading } from "../components/States";
import { Page } from "../components/Page";

export function RequireAuth({ children }: { children: ReactNode }) {
  const { session } = useServices();
  const user = useUser();
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;
  const [resuming, setResuming] = useState(() => !user);
  useEffect(() => {
    if (user) return;
    // After a reload the in-memory tokens are gone: an open session signs straight back in.
    void session.resume(here).then((redirecting) => setResuming(redirecting));
  }, [user, session, here]);
  if (user) return <>{children}</>;
  if (resuming) return <Loading label={t("auth.signingIn")} />;
  return (
    <Page title={t("auth.signIn")}>
      <p>{t("auth.required")}</p>
      <div className="actions">
        <button type="button" onClick={() => void session.signIn(here)}>
          {t("auth.signIn")}
        </button>
        <button type="button" className="secondary" onClick={() => void session.signUp(here)}>
          {t("auth.signUp")}
        </button>
      </div>
    </Page>
  );
}
