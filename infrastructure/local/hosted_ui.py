"""A Cognito hosted-UI stand-in: a Cognito domain's paths, over the local user pool.

moto has the user pool but no hosted UI, so the portal's authorization-code + PKCE sign-in
has nothing to talk to offline. This serves what a Cognito domain serves, for the pool's
registered app clients:

- ``GET /oauth2/authorize`` checks the client, the redirect URI (one of the client's
  ``CallbackURLs``) and the PKCE challenge (S256 only, as Cognito), then shows ``/login``;
- ``/login``, ``/signup`` and ``/confirm`` are plain HTML forms. Passwords are checked by the
  pool itself (``USER_PASSWORD_AUTH`` against moto) and the triggers moto does not fire are
  fired as Cognito would: post-authentication on every sign-in, post-confirmation when a
  sign-up is confirmed;
- ``POST /oauth2/token`` swaps a code (single use, five minutes, bound to its client and
  redirect URI, its PKCE verifier checked) or a refresh token for the pool's own tokens, so
  the API's JWT checks stay real;
- ``GET /logout`` sends the browser to one of the client's ``LogoutURLs``;
- every page speaks the language managed login would: Spanish for ``lang=es``, else English,
  ``lang`` carried from page to page with the authorization request (hosted_ui_text.py);
- ``GET /.well-known/openid-configuration`` and ``GET /oauth2/userInfo``.

A sign-in opens a hosted-UI session (an HttpOnly cookie, as Cognito's), so an authorization
request from the same browser is answered at once until ``/logout`` ends it: a portal that
keeps its tokens in memory signs back in after a reload without asking for the password.

Two differences from moto are repaired, each as Cognito behaves: the triggers above, and the
``auth_time`` of a refreshed ID token, which Cognito keeps from the sign-in (moto stamps the
refresh time, and OIDC clients rightly refuse a renewed token whose ``auth_time`` moved). Such a
token is re-signed with the pool's own key (moto's JWKS), so the API verifies it like any other.

Cognito e-mails a confirmation code; offline the code is printed and kept in a mailbox that
``GET /_local/messages?to=<email>`` reads (the stand-in's only non-Cognito path).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt

from infrastructure.local.hosted_ui_text import Language, language, text
from infrastructure.local.users import post_confirmation_event, sign_in

CODE_TTL_S = 300  # Cognito's authorization codes live five minutes
SESSION_COOKIE = "cognito"
SESSION_TTL_S = 3600  # Cognito's hosted-UI session lasts an hour
OAUTH_PARAMS = (
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
    "nonce",
    "lang",  # managed login's page language: not OAuth's, carried through the pages the same way
)
Invoke = Callable[[str, dict[str, Any]], Any]


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Grant:
    """What a code stands for until it is redeemed once."""

    client_id: str
    redirect_uri: str
    challenge: str | None
    tokens: dict[str, Any]
    expires_at: float


@dataclass(frozen=True)
class _Session:
    """A browser's hosted-UI session: the refresh token that re-issues its tokens."""

    refresh_token: str
    expires_at: float


@dataclass
class _Pending:
    """A sign-up waiting for its code; the password lets confirmation sign straight in."""

    password: str
    code: str


class OAuthError(Exception):
    """``description`` is English (the token endpoint's JSON); ``key`` names a page's words for it."""

    def __init__(self, error: str, description: str, key: str | None = None) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.key = key


def _refusal(error: str, key: str) -> OAuthError:
    """A refusal a page shows, in the page's language."""
    return OAuthError(error, text("en", key), key)


def s256(verifier: str) -> str:
    """PKCE's S256 transform: base64url(SHA-256(verifier)) without padding (RFC 7636)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class HostedUI:
    def __init__(
        self,
        cognito: Any,
        pool_id: str,
        region: str,
        invoke: Invoke,
        *,
        jwks_url: str,
        base_url: str = "",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.cognito = cognito
        self.pool_id = pool_id
        self.region = region
        self.invoke = invoke
        self.jwks_url = jwks_url
        self.base_url = base_url
        self._clock = clock
        self._lock = threading.Lock()
        self._grants: dict[str, _Grant] = {}
        self._pending: dict[str, _Pending] = {}
        self._sessions: dict[str, _Session] = {}
        self._auth_times: dict[str, int] = {}  # refresh token -> auth_time of its sign-in
        self.mailbox: dict[str, list[str]] = {}

    @property
    def issuer(self) -> str:
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.pool_id}"

    # -- routing -----------------------------------------------------------------------
    def handle(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> Answer:
        url = urlsplit(target)
        query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        form = (
            {k: v[-1] for k, v in parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True).items()}
            if method == "POST"
            else {}
        )
        origin = {k.lower(): v for k, v in headers.items()}.get("origin")
        cors = {"Access-Control-Allow-Origin": origin, "Vary": "Origin"} if origin else {}
        route = (method, url.path.rstrip("/") or "/")
        if method == "OPTIONS":
            return Answer(
                204,
                headers={
                    **cors,
                    "Access-Control-Allow-Methods": "GET,POST,OPTIONS",
                    "Access-Control-Allow-Headers": "Authorization,Content-Type",
                    "Access-Control-Max-Age": "600",
                },
            )
        if route == ("GET", "/.well-known/openid-configuration"):
            return _json(200, self.discovery(), cors)
        if route == ("POST", "/oauth2/token"):
            try:
                return _json(200, self.token(form), {**cors, "Cache-Control": "no-store"})
            except OAuthError as error:
                return _json(400, {"error": error.error, "error_description": error.description}, cors)
        if route == ("GET", "/oauth2/userInfo"):
            return self.user_info(headers, cors)
        if route == ("GET", "/oauth2/authorize"):
            return self.authorize(query, _session_id(headers))
        if route in (("GET", "/login"), ("POST", "/login")):
            return self.login(query, form if method == "POST" else None)
        if route in (("GET", "/signup"), ("POST", "/signup")):
            return self.signup(query, form if method == "POST" else None)
        if route in (("GET", "/confirm"), ("POST", "/confirm")):
            return self.confirm(query, form if method == "POST" else None)
        if route == ("GET", "/logout"):
            return self.logout(query, _session_id(headers))
        if route == ("GET", "/_local/messages"):
            with self._lock:
                return _json(200, {"messages": list(self.mailbox.get(query.get("to", ""), []))})
        lang = language(query.get("lang"))
        return _page(404, text(lang, "missing.title"), f"<p>{text(lang, 'missing.body')}</p>", lang=lang)

    def discovery(self) -> dict[str, Any]:
        base = self.base_url
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{base}/oauth2/authorize",
            "token_endpoint": f"{base}/oauth2/token",
            "userinfo_endpoint": f"{base}/oauth2/userInfo",
            "end_session_endpoint": f"{base}/logout",
            "jwks_uri": self.jwks_url,
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "email", "profile"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["none", "client_secret_basic", "client_secret_post"],
        }

    # -- the app client, as registered in the pool ---------------------------------------
    def _client(self, client_id: str) -> dict[str, Any]:
        if not client_id:
            raise _refusal("invalid_request", "refused.client_id_missing")
        try:
            client: dict[str, Any] = self.cognito.describe_user_pool_client(
                UserPoolId=self.pool_id, ClientId=client_id
            )["UserPoolClient"]
        except self.cognito.exceptions.ResourceNotFoundException:
            raise _refusal("invalid_client", "refused.unknown_client") from None
        return client

    def _check_request(self, params: dict[str, str]) -> dict[str, Any]:
        """Cognito's checks before any page is shown; errors here never redirect anywhere."""
        client = self._client(params.get("client_id", ""))
        if params.get("redirect_uri") not in (client.get("CallbackURLs") or []):
            raise _refusal("redirect_mismatch", "refused.redirect_uri")
        if "code" not in (client.get("AllowedOAuthFlows") or []):
            raise _refusal("unauthorized_client", "refused.code_flow")
        if params.get("response_type") != "code":
            raise _refusal("unsupported_response_type", "refused.response_type")
        if params.get("code_challenge") and params.get("code_challenge_method") != "S256":
            raise _refusal("invalid_request", "refused.challenge_method")
        return client

    # -- pages -------------------------------------------------------------------------
    def authorize(self, query: dict[str, str], session_id: str | None = None) -> Answer:
        try:
            self._check_request(query)
        except OAuthError as error:
            return _error_page(error, language(query.get("lang")))
        with self._lock:
            session = self._sessions.get(session_id or "")
        if session is not None and session.expires_at > self._clock():
            # Signed in already in this browser: a code at once, as Cognito's session cookie does.
            try:
                tokens = self._refreshed(query["client_id"], session.refresh_token)
            except OAuthError:
                pass  # the pool revoked it: ask for the password again
            else:
                return self._issue_code(query, {**tokens, "RefreshToken": session.refresh_token})
        return _redirect(f"/login?{_oauth_query(query)}")

    def login(self, query: dict[str, str], form: dict[str, str] | None) -> Answer:
        params = {**query, **{k: v for k, v in (form or {}).items() if k in OAUTH_PARAMS}}
        lang = language(params.get("lang"))
        try:
            self._check_request(params)
        except OAuthError as error:
            return _error_page(error, lang)
        if form is None:
            return _login_page(params)
        username, password = form.get("username", "").strip(), form.get("password", "")
        if not username or not password:
            return _login_page(params, username, text(lang, "login.missing"), status=400)
        try:
            tokens = sign_in(self.cognito, self.pool_id, params["client_id"], username, password, self.invoke)
        except self.cognito.exceptions.UserNotConfirmedException:
            return _redirect(f"/confirm?{_oauth_query(params, username=username)}")
        except (
            self.cognito.exceptions.NotAuthorizedException,
            self.cognito.exceptions.UserNotFoundException,
        ):
            return _login_page(params, username, text(lang, "login.wrong"), status=400)
        return self._issue_code(params, tokens)

    def signup(self, query: dict[str, str], form: dict[str, str] | None) -> Answer:
        params = {**query, **{k: v for k, v in (form or {}).items() if k in OAUTH_PARAMS}}
        lang = language(params.get("lang"))
        try:
            self._check_request(params)
        except OAuthError as error:
            return _error_page(error, lang)
        if form is None:
            return _signup_page(params)
        email, password = form.get("username", "").strip().lower(), form.get("password", "")
        if "@" not in email or not password:
            return _signup_page(params, email, text(lang, "signup.missing"), status=400)
        try:
            self.cognito.sign_up(
                ClientId=params["client_id"],
                Username=email,
                Password=password,
                UserAttributes=[{"Name": "email", "Value": email}],
            )
        except self.cognito.exceptions.UsernameExistsException:
            return _signup_page(params, email, text(lang, "signup.exists"), status=400)
        except self.cognito.exceptions.InvalidPasswordException:
            # The rules are on the page beside the field; the pool's message is English only.
            return _signup_page(params, email, text(lang, "signup.weak_password"), status=400)
        code = f"{secrets.randbelow(10**6):06d}"
        with self._lock:
            self._pending[email] = _Pending(password, code)
            self.mailbox.setdefault(email, []).append(f"Your verification code is {code}")
        print(f"[hosted-ui] confirmation code for {email}: {code}", flush=True)
        return _redirect(f"/confirm?{_oauth_query(params, username=email)}")

    def confirm(self, query: dict[str, str], form: dict[str, str] | None) -> Answer:
        params = {**query, **{k: v for k, v in (form or {}).items() if k in OAUTH_PARAMS}}
        lang = language(params.get("lang"))
        try:
            self._check_request(params)
        except OAuthError as error:
            return _error_page(error, lang)
        username = (form or query).get("username", "").strip().lower()
        if form is None:
            return _confirm_page(params, username)
        with self._lock:
            pending = self._pending.get(username)
        if pending is None or not secrets.compare_digest(form.get("code", "").strip(), pending.code):
            return _confirm_page(params, username, text(lang, "confirm.wrong_code"), status=400)
        self.cognito.confirm_sign_up(
            ClientId=params["client_id"], Username=username, ConfirmationCode=pending.code
        )
        user = self.cognito.admin_get_user(UserPoolId=self.pool_id, Username=username)
        attributes = {a["Name"]: a["Value"] for a in user.get("UserAttributes", [])}
        self.invoke(
            "post_confirmation",
            post_confirmation_event(
                self.pool_id, params["client_id"], user["Username"], attributes["sub"], username
            ),
        )
        with self._lock:
            self._pending.pop(username, None)
        # As Cognito's hosted UI does after a confirmation: signed in, back to the app.
        tokens = sign_in(
            self.cognito, self.pool_id, params["client_id"], username, pending.password, self.invoke
        )
        return self._issue_code(params, tokens)

    def logout(self, query: dict[str, str], session_id: str | None = None) -> Answer:
        lang = language(query.get("lang"))
        try:
            client = self._client(query.get("client_id", ""))
        except OAuthError as error:
            return _error_page(error, lang)
        target = query.get("logout_uri", "")
        if target not in (client.get("LogoutURLs") or []):
            return _error_page(_refusal("invalid_request", "refused.logout_uri"), lang)
        with self._lock:
            self._sessions.pop(session_id or "", None)
        answer = _redirect(target)
        return Answer(answer.status, answer.body, {**answer.headers, "Set-Cookie": _cookie("", max_age=0)})

    def user_info(self, headers: dict[str, str], cors: dict[str, str]) -> Answer:
        auth = {k.lower(): v for k, v in headers.items()}.get("authorization", "")
        token = auth.removeprefix("Bearer ").strip()
        try:
            user = self.cognito.get_user(AccessToken=token)
        except Exception:  # any refusal is the same 401 to the caller, as Cognito answers
            return _json(401, {"error": "invalid_token"}, {**cors, "WWW-Authenticate": "Bearer"})
        claims = {a["Name"]: a["Value"] for a in user.get("UserAttributes", [])}
        return _json(200, {**claims, "username": user["Username"]}, cors)

    # -- codes and tokens --------------------------------------------------------------
    def _issue_code(self, params: dict[str, str], tokens: dict[str, Any]) -> Answer:
        code = secrets.token_urlsafe(32)
        session_id = secrets.token_urlsafe(32)
        claims = jwt.decode(tokens["IdToken"], options={"verify_signature": False})
        with self._lock:
            self._auth_times.setdefault(tokens["RefreshToken"], int(claims["auth_time"]))
            self._sessions[session_id] = _Session(tokens["RefreshToken"], self._clock() + SESSION_TTL_S)
            self._grants[code] = _Grant(
                client_id=params["client_id"],
                redirect_uri=params["redirect_uri"],
                challenge=params.get("code_challenge") or None,
                tokens=tokens,
                expires_at=self._clock() + CODE_TTL_S,
            )
        back = {"code": code, **({"state": params["state"]} if params.get("state") else {})}
        separator = "&" if "?" in params["redirect_uri"] else "?"
        answer = _redirect(f"{params['redirect_uri']}{separator}{urlencode(back)}")
        return Answer(answer.status, answer.body, {**answer.headers, "Set-Cookie": _cookie(session_id)})

    def token(self, form: dict[str, str]) -> dict[str, Any]:
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            return self._redeem(form)
        if grant_type == "refresh_token":
            return self._refresh(form)
        raise OAuthError("unsupported_grant_type", "grant_type must be authorization_code or refresh_token.")

    def _redeem(self, form: dict[str, str]) -> dict[str, Any]:
        with self._lock:
            # Popped before any check: a code is spent by its first redemption, right or wrong.
            grant = self._grants.pop(form.get("code", ""), None)
        if grant is None or grant.expires_at < self._clock():
            raise OAuthError("invalid_grant", "The code is unknown, used or expired.")
        if form.get("client_id") != grant.client_id:
            raise OAuthError("invalid_grant", "The code was issued to another client.")
        if form.get("redirect_uri") != grant.redirect_uri:
            raise OAuthError("invalid_grant", "redirect_uri differs from the authorization request's.")
        if grant.challenge is not None:
            verifier = form.get("code_verifier", "")
            if not verifier or not secrets.compare_digest(s256(verifier), grant.challenge):
                raise OAuthError("invalid_grant", "The code_verifier does not match the code_challenge.")
        return {
            "id_token": grant.tokens["IdToken"],
            "access_token": grant.tokens["AccessToken"],
            "refresh_token": grant.tokens["RefreshToken"],
            "expires_in": grant.tokens.get("ExpiresIn", 3600),
            "token_type": "Bearer",
        }

    def _refresh(self, form: dict[str, str]) -> dict[str, Any]:
        client_id = form.get("client_id", "")
        self._client(client_id)
        result = self._refreshed(client_id, form.get("refresh_token", ""))
        # Cognito's refresh answer has no new refresh token: the client keeps its own.
        return {
            "id_token": result["IdToken"],
            "access_token": result["AccessToken"],
            "expires_in": result.get("ExpiresIn", 3600),
            "token_type": "Bearer",
        }

    def _refreshed(self, client_id: str, refresh_token: str) -> dict[str, Any]:
        """New ID and access tokens from the pool, the ID token keeping its sign-in's auth_time."""
        try:
            result: dict[str, Any] = self.cognito.initiate_auth(
                ClientId=client_id,
                AuthFlow="REFRESH_TOKEN_AUTH",
                AuthParameters={"REFRESH_TOKEN": refresh_token},
            )["AuthenticationResult"]
        except (
            self.cognito.exceptions.NotAuthorizedException,
            self.cognito.exceptions.ResourceNotFoundException,
        ):
            raise OAuthError("invalid_grant", "The refresh token is invalid or revoked.") from None
        with self._lock:
            auth_time = self._auth_times.get(refresh_token)
        if auth_time is not None:
            result["IdToken"] = with_auth_time(result["IdToken"], auth_time)
        return result


@cache
def _pool_signing_key() -> Any:
    """The key moto signs every pool's tokens with (its JWKS serves the public half)."""
    raw = resources.files("moto.cognitoidp").joinpath("resources/jwks-private.json.gz").read_bytes()
    return jwt.PyJWK(json.loads(gzip.decompress(raw))).key


def with_auth_time(id_token: str, auth_time: int) -> str:
    """The same token with Cognito's auth_time (the sign-in's), signed with the pool's key."""
    claims = jwt.decode(id_token, options={"verify_signature": False})
    if claims.get("auth_time") == auth_time:
        return id_token
    header = jwt.get_unverified_header(id_token)
    return jwt.encode(
        {**claims, "auth_time": auth_time},
        _pool_signing_key(),
        algorithm="RS256",
        headers={"kid": header["kid"]},
    )


def _session_id(headers: dict[str, str]) -> str | None:
    raw = {k.lower(): v for k, v in headers.items()}.get("cookie")
    if not raw:
        return None
    morsel = SimpleCookie(raw).get(SESSION_COOKIE)
    return morsel.value if morsel else None


def _cookie(value: str, max_age: int = SESSION_TTL_S) -> str:
    return f"{SESSION_COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax"


# -- HTML --------------------------------------------------------------------------------
_STYLE = """
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f3f5f8;color:#1b1f24}
main{max-width:26rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:.5rem;
box-shadow:0 1px 3px #0002}
h1{font-size:1.4rem;margin-top:0}label{display:block;font-weight:600;margin-top:1rem}
input{box-sizing:border-box;width:100%;padding:.6rem;font:inherit;border:1px solid #6b7380;border-radius:.3rem}
input:focus,button:focus,a:focus{outline:3px solid #1d5fbf;outline-offset:2px}
button{margin-top:1.25rem;width:100%;padding:.7rem;font:inherit;font-weight:600;color:#fff;
background:#1d5fbf;border:0;border-radius:.3rem;cursor:pointer}
.error{color:#a4161a;background:#fdecec;padding:.6rem;border-radius:.3rem}
p.alt{margin-top:1.25rem}a{color:#1d5fbf}
"""


def _document(title: str, content: str, lang: Language) -> bytes:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{html.escape(title)} · salesportal</title><style>{_STYLE}</style></head>"
        f"<body><main><h1>{html.escape(title)}</h1>{content}</main></body></html>"
    ).encode()


def _page(status: int, title: str, content: str, app_origin: str = "", *, lang: Language) -> Answer:
    # A form's redirect counts as its target under form-action: the app's callback is one.
    return Answer(
        status,
        _document(title, content, lang),
        {
            "Content-Type": "text/html; charset=utf-8",
            "Cache-Control": "no-store",
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
            f"form-action 'self' {app_origin}; frame-ancestors 'none'".replace("  ", " "),
            "X-Frame-Options": "DENY",
        },
    )


def _error_page(error: OAuthError, lang: Language) -> Answer:
    description = text(lang, error.key) if error.key else error.description
    return _page(
        400,
        text(lang, "refused.title"),
        f'<p class="error" role="alert">{html.escape(error.error)}: {html.escape(description)}</p>',
        lang=lang,
    )


def _hidden(params: dict[str, str]) -> str:
    return "".join(
        f'<input type="hidden" name="{name}" value="{html.escape(params[name])}">'
        for name in OAUTH_PARAMS
        if params.get(name)
    )


def _alert(message: str | None) -> str:
    return f'<p class="error" role="alert" id="form-error">{html.escape(message)}</p>' if message else ""


def _described(message: str | None) -> str:
    return ' aria-describedby="form-error" aria-invalid="true"' if message else ""


def _login_page(
    params: dict[str, str], username: str = "", error: str | None = None, status: int = 200
) -> Answer:
    lang = language(params.get("lang"))
    query = _oauth_query(params)
    return _page(
        status,
        text(lang, "login.title"),
        f"""{_alert(error)}<form method="post" action="/login?{html.escape(query)}">{_hidden(params)}
<label for="username">{text(lang, "field.email")}</label>
<input id="username" name="username" type="email" autocomplete="username" required
 value="{html.escape(username)}"{_described(error)}>
<label for="password">{text(lang, "field.password")}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required{_described(error)}>
<button type="submit">{text(lang, "login.submit")}</button></form>
<p class="alt">{text(lang, "login.new")} <a href="/signup?{html.escape(query)}">{text(lang, "login.to_signup")}</a></p>""",
        _origin(params.get("redirect_uri", "")),
        lang=lang,
    )


def _signup_page(
    params: dict[str, str], email: str = "", error: str | None = None, status: int = 200
) -> Answer:
    lang = language(params.get("lang"))
    query = _oauth_query(params)
    return _page(
        status,
        text(lang, "signup.title"),
        f"""{_alert(error)}<form method="post" action="/signup?{html.escape(query)}">{_hidden(params)}
<label for="username">{text(lang, "field.email")}</label>
<input id="username" name="username" type="email" autocomplete="email" required
 value="{html.escape(email)}"{_described(error)}>
<label for="password">{text(lang, "field.password")}</label>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="12"
 aria-describedby="password-rules{" form-error" if error else ""}">
<p id="password-rules">{text(lang, "signup.rules")}</p>
<button type="submit">{text(lang, "signup.submit")}</button></form>
<p class="alt">{text(lang, "signup.have_account")} <a href="/login?{html.escape(query)}">{text(lang, "signup.to_login")}</a></p>""",
        _origin(params.get("redirect_uri", "")),
        lang=lang,
    )


def _confirm_page(
    params: dict[str, str], username: str, error: str | None = None, status: int = 200
) -> Answer:
    lang = language(params.get("lang"))
    query = _oauth_query(params)
    sent = text(lang, "confirm.sent_to", email=username) if username else text(lang, "confirm.sent")
    return _page(
        status,
        text(lang, "confirm.title"),
        f"""<p>{html.escape(sent)}</p>{_alert(error)}
<form method="post" action="/confirm?{html.escape(query)}">{_hidden(params)}
<input type="hidden" name="username" value="{html.escape(username)}">
<label for="code">{text(lang, "field.code")}</label>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required{_described(error)}>
<button type="submit">{text(lang, "confirm.submit")}</button></form>""",
        _origin(params.get("redirect_uri", "")),
        lang=lang,
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _oauth_query(params: dict[str, str], **extra: str) -> str:
    return urlencode({**{k: params[k] for k in OAUTH_PARAMS if params.get(k)}, **extra})


def _redirect(location: str) -> Answer:
    return Answer(302, b"", {"Location": location, "Cache-Control": "no-store"})


def _json(status: int, payload: Any, headers: dict[str, str] | None = None) -> Answer:
    return Answer(
        status, json.dumps(payload).encode(), {"Content-Type": "application/json", **(headers or {})}
    )


# -- the server --------------------------------------------------------------------------
class HostedUIServer:
    def __init__(self, ui: HostedUI, host: str = "127.0.0.1", port: int = 0) -> None:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    answer = ui.handle(self.command, self.path, dict(self.headers.items()), raw)
                except Exception as exc:  # a stand-in bug must answer, not hang the browser
                    lang = language(parse_qs(urlsplit(self.path).query).get("lang", [""])[-1])
                    answer = _page(
                        500, text(lang, "failed.title"), f"<p>{html.escape(repr(exc))}</p>", lang=lang
                    )
                self.send_response(answer.status)
                for key, value in answer.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            do_GET = do_POST = do_OPTIONS = _answer

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.url = f"http://{host}:{self.server.server_address[1]}"
        ui.base_url = self.url
        self.ui = ui
        threading.Thread(target=self.server.serve_forever, name="hosted-ui", daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def register_client(
    cognito: Any, pool_id: str, client_id: str, callback_urls: list[str], logout_urls: list[str]
) -> None:
    """Registers the portal's URLs on the app client and allows it the code flow, as the CDK
    app does; moto keeps the client's other settings (it merges an update)."""
    cognito.update_user_pool_client(
        UserPoolId=pool_id,
        ClientId=client_id,
        CallbackURLs=callback_urls,
        LogoutURLs=logout_urls,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email", "profile"],
        AllowedOAuthFlowsUserPoolClient=True,
        SupportedIdentityProviders=["COGNITO"],
    )
