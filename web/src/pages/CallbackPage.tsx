// The hosted UI's redirect back: swap the code (with the PKCE verifier) for tokens, go on.
import { useEffect, useRef, useState } from "react";
import { useNavigate } from "react-router";
import { useServices } from "../context";
import { t } from "../i18n";
import { Page } from "../components/Page";
import { Loading } from "../components/States";

export default function CallbackPage() {
  const { session } = useServices();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return; // a code is single use: StrictMode's second run must not redeem it
    started.current = true;
    session
      .completeSignIn()
      .then((returnTo) => navigate(returnTo, { replace: true }))
      .catch((reason: unknown) => setError(reason instanceof Error ? reason.message : String(reason)));
  }, [session, navigate]);
  return (
    <Page title={t("auth.signIn")}>
      {error ? (
        <div className="error-box" role="alert">
          <p>{t("auth.failed", { message: error })}</p>
          <button type="button" onClick={() => void session.signIn("/")}>
            {t("auth.signIn")}
          </button>
        </div>
      ) : (
        <Loading label={t("auth.signingIn")} />
      )}
    </Page>
  );
}
