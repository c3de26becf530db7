// Sign-in through Cognito's hosted UI: authorization code + PKCE, tokens kept in memory only.
import {
  InMemoryWebStorage,
  UserManager,
  WebStorageStateStore,
  type User,
} from "oidc-client-ts";
import type { PortalConfig } from "../config";
import { currentLanguage } from "../i18n";

// Set while a session is open in this tab, so a reload goes back through the hosted UI
// (whose own session signs straight in) instead of showing a signed-out page. No token.
const SIGNED_IN_FLAG = "salesportal.signedIn";

export interface Session {
  manager: UserManager;
  idToken(): string | null;
  current(): User | null;
  signIn(returnTo: string): Promise<void>;
  signUp(returnTo: string): Promise<void>;
  signOut(): Promise<void>;
  completeSignIn(): Promise<string>;
  resume(returnTo: string): Promise<boolean>;
  onChange(listener: (user: User | null) => void): () => void;
}

export function createSession(config: PortalConfig, storage: Storage = window.sessionStorage): Session {
  const settings = (authorizationEndpoint: string) => ({
    authority: config.cognitoDomain,
    // Cognito's endpoints are known from its domain: no discovery round trip on start.
    metadata: {
      issuer: `https://cognito-idp.${config.region}.amazonaws.com/${config.userPoolId}`,
      authorization_endpoint: authorizationEndpoint,
      token_endpoint: `${config.cognitoDomain}/oauth2/token`,
      userinfo_endpoint: `${config.cognitoDomain}/oauth2/userInfo`,
      end_session_endpoint: `${config.cognitoDomain}/logout`,
    },
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    post_logout_redirect_uri: config.logoutUri,
    response_type: "code",
    scope: "openid email profile",
    // Tokens live in memory: a script injected into the page finds none in storage.
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    // The PKCE verifier and state must survive the redirect to the hosted UI and back.
    stateStore: new WebStorageStateStore({ store: storage, prefix: "salesportal.oidc." }),
    automaticSilentRenew: true, // by refresh token, before the ID token expires
    loadUserInfo: false,
    monitorSession: false,
  });
  const manager = new UserManager(settings(`${config.cognitoDomain}/oauth2/authorize`));
  // Cognito's /signup takes the same authorization request; the callback is the same too.
  const signUpManager = new UserManager(settings(`${config.cognitoDomain}/signup`));
  let user: User | null = null;
  const listeners = new Set<(user: User | null) => void>();
  const publish = (next: User | null) => {
    user = next;
    listeners.forEach((listener) => listener(next));
  };
  manager.events.addUserLoaded((loaded) => publish(loaded));
  manager.events.addUserUnloaded(() => publish(null));
  manager.events.addSilentRenewError(() => {
    storage.removeItem(SIGNED_IN_FLAG);
    void manager.removeUser();
  });

  // Cognito's managed login shows its pages in the language lang names (en, es), as the
  // portal was showing when the person left it; read at each redirect, after any switch.
  const hostedUiParams = () => ({ lang: currentLanguage() });
  const redirect = (returnTo: string) =>
    manager.signinRedirect({ url_state: returnTo, extraQueryParams: hostedUiParams() });

  return {
    manager,
    idToken: () => (user && !user.expired ? (user.id_token ?? null) : null),
    current: () => user,
    signIn: (returnTo) => redirect(returnTo),
    signUp: (returnTo) => signUpManager.signinRedirect({ url_state: returnTo, extraQueryParams: hostedUiParams() }),
    signOut: async () => {
      storage.removeItem(SIGNED_IN_FLAG);
      await manager.removeUser();
      // Cognito's /logout takes client_id and logout_uri (not the OIDC end-session params).
      const url = new URL(`${config.cognitoDomain}/logout`);
      url.searchParams.set("client_id", config.clientId);
      url.searchParams.set("logout_uri", config.logoutUri);
      url.searchParams.set("lang", currentLanguage());
      window.location.assign(url.toString());
    },
    completeSignIn: async () => {
      const signedIn = await manager.signinRedirectCallback();
      storage.setItem(SIGNED_IN_FLAG, "1");
      publish(signedIn);
      return signedIn.url_state ?? "/";
    },
    resume: async (returnTo) => {
      if (storage.getItem(SIGNED_IN_FLAG) !== "1") return false;
      await redirect(returnTo);
      return true;
    },
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
