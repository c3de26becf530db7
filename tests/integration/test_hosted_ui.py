"""The hosted-UI stand-in: authorization code + PKCE over the pool's own users and tokens."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
from collections.abc import Iterator
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import boto3
import jwt
import pytest
from moto import mock_aws

from infrastructure.local.hosted_ui import HostedUI, register_client, s256
from infrastructure.local.resources import create_user_pool

PORTAL = "http://portal.test"
CALLBACK = f"{PORTAL}/callback"
VERIFIER = "v" * 43 + "-verifier_with.allowed~chars"
PASSWORD = "Correct-Horse-2026!"


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, function: str, event: dict[str, Any]) -> dict[str, Any]:
        self.calls.append((function, event))
        return event


@pytest.fixture
def pool() -> Iterator[tuple[Any, str, str]]:
    with mock_aws():
        cognito = boto3.client("cognito-idp", region_name="us-east-1")
        pool_id, client_id = create_user_pool(cognito, "test")
        register_client(cognito, pool_id, client_id, [CALLBACK], [f"{PORTAL}/"])
        cognito.admin_create_user(
            UserPoolId=pool_id,
            Username="ana@example.com",
            UserAttributes=[{"Name": "email", "Value": "ana@example.com"}],
            MessageAction="SUPPRESS",
        )
        cognito.admin_set_user_password(
            UserPoolId=pool_id, Username="ana@example.com", Password=PASSWORD, Permanent=True
        )
        yield cognito, pool_id, client_id


@pytest.fixture
def triggers() -> Recorder:
    return Recorder()


@pytest.fixture
def ui(pool: tuple[Any, str, str], triggers: Recorder) -> HostedUI:
    cognito, pool_id, _ = pool
    return HostedUI(
        cognito, pool_id, "us-east-1", triggers, jwks_url="http://jwks.test", base_url="http://ui.test"
    )


def authorize_query(client_id: str, **overrides: str) -> dict[str, str]:
    return {
        "client_id": client_id,
        "redirect_uri": CALLBACK,
        "response_type": "code",
        "scope": "openid email",
        "state": "s-123",
        "code_challenge": s256(VERIFIER),
        "code_challenge_method": "S256",
        **overrides,
    }


def sign_in(ui: HostedUI, client_id: str, password: str = PASSWORD, **overrides: str) -> Any:
    query = urlencode(authorize_query(client_id, **overrides))
    form = urlencode({"username": "ana@example.com", "password": password}).encode()
    return ui.handle("POST", f"/login?{query}", {}, form)


def code_from(answer: Any) -> str:
    assert answer.status == 302, answer.body
    location = urlsplit(answer.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    params = parse_qs(location.query)
    assert params["state"] == ["s-123"]
    return params["code"][0]


def redeem(ui: HostedUI, client_id: str, code: str, verifier: str = VERIFIER, **overrides: str) -> Any:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": client_id,
        "redirect_uri": CALLBACK,
        "code_verifier": verifier,
        **overrides,
    }
    return ui.handle("POST", "/oauth2/token", {"Origin": PORTAL}, urlencode(form).encode())


def test_s256_is_unpadded_base64url_of_sha256() -> None:
    verifier = "dBjftJeZ4CVP-mJ92K9qpvAUvZdqpa31Awl5qkpWvGM"
    digest = hashlib.sha256(verifier.encode()).digest()
    assert s256(verifier) == base64.urlsafe_b64encode(digest).decode().rstrip("=")
    assert "=" not in s256(verifier) and len(s256(verifier)) == 43


def test_code_flow_hands_out_the_pools_tokens_and_fires_post_authentication(
    ui: HostedUI, pool: tuple[Any, str, str], triggers: Recorder
) -> None:
    _, pool_id, client_id = pool
    answer = redeem(ui, client_id, code_from(sign_in(ui, client_id)))
    assert answer.status == 200, answer.body
    assert answer.headers["Access-Control-Allow-Origin"] == PORTAL
    tokens = jwt_claims(answer)
    assert tokens["aud"] == client_id
    assert tokens["iss"] == f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"
    assert tokens["token_use"] == "id"
    assert [name for name, _ in triggers.calls] == ["sign_in_recorder"]


def jwt_claims(answer: Any) -> dict[str, Any]:
    import json

    body = json.loads(answer.body)
    assert {"id_token", "access_token", "refresh_token"} <= body.keys()
    claims: dict[str, Any] = jwt.decode(body["id_token"], options={"verify_signature": False})
    return claims


def test_wrong_verifier_is_invalid_grant(ui: HostedUI, pool: tuple[Any, str, str]) -> None:
    _, _, client_id = pool
    answer = redeem(ui, client_id, code_from(sign_in(ui, client_id)), verifier="x" * 43)
    assert answer.status == 400
    assert b'"invalid_grant"' in answer.body


def test_missing_verifier_is_invalid_grant(ui: HostedUI, pool: tuple[Any, str, str]) -> None:
    _, _, client_id = pool
    answer = redeem(ui, client_id, code_from(sign_in(ui, client_id)), verifier="")
    assert answer.status == 400
    assert b'"invalid_grant"' in answer.body


def test_code_is_single_use_even_after_a_failed_redemption(ui: HostedUI, pool: tuple[Any, str, str]) -> None:
    _, _, client_id = pool
    code = code_from(sign_in(ui, client_id))
    assert redeem(ui, client_id, code).status == 200
    second = redeem(ui, client_id, code)
    assert second.status == 400 and b'"invalid_grant"' in second.body

    other = code_from(sign_in(ui, client_id))
    assert redeem(ui, client_id, other, verifier="y" * 43).status == 400
    assert redeem(ui, client_id, other).status == 400  # spent by the wrong attempt


def test_code_is_bound_to_its_redirect_uri(ui: HostedUI, pool: tuple[Any, str, str]) -> None:
    _, _, client_id = pool
    code = code_from(sign_in(ui, client_id))
    answer = redeem(ui, client_id, code, redirect_uri=f"{PORTAL}/elsewhere")
    assert answer.status == 400 and b'"invalid_grant"' in answer.body


def test_expired_code_is_invalid_grant(pool: tuple[Any, str, str], triggers: Recorder) -> None:
    cognito, pool_id, client_id = pool
    now = [1000.0]
    ui = HostedUI(cognito, pool_id, "us-east-1", triggers, jwks_url="x", clock=lambda: now[0])
    code = code_from(sign_in(ui, client_id))
    now[0] += 301
    assert redeem(ui, client_id, code).status == 400


def test_unregistered_redirect_uri_is_refused_without_redirecting(
    ui: HostedUI, pool: tuple[Any, str, str]
) -> None:
    _, _, client_id = pool
    query = urlencode(authorize_query(client_id, redirect_uri="https://evil.example/callback"))
    answer = ui.handle("GET", f"/oauth2/authorize?{query}", {}, b"")
    assert answer.status == 400
    assert "Location" not in answer.headers
    assert b"redirect_mismatch" in answer.body
    # Posting the form directly is refused the same way: no code for an unregistered URI.
    assert sign_in(ui, client_id, redirect_uri="https://evil.example/callback").status == 400


def test_plain_pkce_and_unknown_clients_are_refused(ui: HostedUI, pool: tuple[Any, str, str]) -> None:
    _, _, client_id = pool
    plain = urlencode(authorize_query(client_id, code_challenge_method="plain"))
    assert ui.handle("GET", f"/oauth2/authorize?{plain}", {}, b"").status == 400
    unknown = urlencode(authorize_query("no-such-client"))
    assert ui.handle("GET", f"/oauth2/authorize?{unknown}", {}, b"").status == 400


def test_authorize_shows_the_login_form_with_labelled_fields(
    ui: HostedUI, pool: tuple[Any, str, str]
) -> None:
    _, _, client_id = pool
    query = urlencode(authorize_query(client_id))
    answer = ui.handle("GET", f"/oauth2/authorize?{query}", {}, b"")
    assert answer.status == 302 and answer.headers["Location"].startswith("/login?")
    shown = ui.handle("GET", answer.headers["Location"], {}, b"")
    page = shown.body.decode()
    # The form's answer redirects to the app: CSP's form-action must allow its origin.
    assert f"form-action 'self' {PORTAL};" in shown.headers["Content-Security-Policy"]
    assert '<label for="username">' in page and '<label for="password">' in page
    assert 'lang="en"' in page


def test_wrong_password_shows_an_error_and_fires_nothing(
    ui: HostedUI, pool: tuple[Any, str, str], triggers: Recorder
) -> None:
    _, _, client_id = pool
    answer = sign_in(ui, client_id, password="Wrong-Password-1!")
    assert answer.status == 400
    assert b"Incorrect username or password." in answer.body
    assert triggers.calls == []


def test_sign_up_confirm_fires_post_confirmation_then_signs_in(
    ui: HostedUI, pool: tuple[Any, str, str], triggers: Recorder
) -> None:
    cognito, pool_id, client_id = pool
    query = urlencode(authorize_query(client_id))
    form = urlencode({"username": "New.Person@example.com", "password": PASSWORD}).encode()
    answer = ui.handle("POST", f"/signup?{query}", {}, form)
    assert answer.status == 302 and answer.headers["Location"].startswith("/confirm?")
    mail = ui.handle("GET", "/_local/messages?to=new.person@example.com", {}, b"").body.decode()
    code = re.search(r"code is (\d{6})", mail)
    assert code is not None

    wrong = urlencode(
        {"username": "new.person@example.com", "code": "000000" if code[1] != "000000" else "1"}
    )
    refused = ui.handle("POST", f"/confirm?{query}", {}, wrong.encode())
    assert refused.status == 400 and triggers.calls == []

    right = urlencode({"username": "new.person@example.com", "code": code[1]}).encode()
    tokens = redeem(ui, client_id, code_from(ui.handle("POST", f"/confirm?{query}", {}, right)))
    assert tokens.status == 200
    assert [name for name, _ in triggers.calls] == ["post_confirmation", "sign_in_recorder"]
    user = cognito.admin_get_user(UserPoolId=pool_id, Username="new.person@example.com")
    assert user["UserStatus"] == "CONFIRMED"


def test_refresh_token_gives_new_id_token(ui: HostedUI, pool: tuple[Any, str, str]) -> None:
    import json

    _, _, client_id = pool
    first = json.loads(redeem(ui, client_id, code_from(sign_in(ui, client_id))).body)
    form = urlencode(
        {"grant_type": "refresh_token", "refresh_token": first["refresh_token"], "client_id": client_id}
    )
    answer = ui.handle("POST", "/oauth2/token", {}, form.encode())
    assert answer.status == 200
    assert (
        jwt.decode(json.loads(answer.body)["id_token"], options={"verify_signature": False})["aud"]
        == client_id
    )
    bad = urlencode({"grant_type": "refresh_token", "refresh_token": "nope", "client_id": client_id})
    assert ui.handle("POST", "/oauth2/token", {}, bad.encode()).status == 400


def test_logout_redirects_only_to_registered_urls(ui: HostedUI, pool: tuple[Any, str, str]) -> None:
    _, _, client_id = pool
    ok = ui.handle(
        "GET", f"/logout?{urlencode({'client_id': client_id, 'logout_uri': PORTAL + '/'})}", {}, b""
    )
    assert ok.status == 302 and ok.headers["Location"] == f"{PORTAL}/"
    bad = ui.handle(
        "GET", f"/logout?{urlencode({'client_id': client_id, 'logout_uri': 'https://evil/'})}", {}, b""
    )
    assert bad.status == 400 and "Location" not in bad.headers


def test_discovery_names_the_pool_issuer_and_this_domains_endpoints(
    ui: HostedUI, pool: tuple[Any, str, str]
) -> None:
    import json

    _, pool_id, _ = pool
    doc = json.loads(ui.handle("GET", "/.well-known/openid-configuration", {}, b"").body)
    assert doc["issuer"].endswith(f"/{pool_id}")
    assert doc["token_endpoint"] == "http://ui.test/oauth2/token"
    assert doc["code_challenge_methods_supported"] == ["S256"]


def test_refreshed_id_token_keeps_the_sign_in_auth_time(
    ui: HostedUI, pool: tuple[Any, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import json
    import time
    import types

    from moto.cognitoidp import models

    _, _, client_id = pool
    first = json.loads(redeem(ui, client_id, code_from(sign_in(ui, client_id))).body)
    signed_in_at = jwt.decode(first["id_token"], options={"verify_signature": False})["auth_time"]
    later = time.time() + 600
    monkeypatch.setattr(models, "time", types.SimpleNamespace(time=lambda: later))
    form = urlencode(
        {"grant_type": "refresh_token", "refresh_token": first["refresh_token"], "client_id": client_id}
    )
    renewed = json.loads(ui.handle("POST", "/oauth2/token", {}, form.encode()).body)["id_token"]
    claims = jwt.decode(renewed, options={"verify_signature": False})
    assert claims["iat"] == int(later)  # a new token...
    assert claims["auth_time"] == signed_in_at  # ...of the same sign-in, as Cognito issues it
    raw = resources.files("moto.cognitoidp").joinpath("resources/jwks-private.json.gz").read_bytes()
    public = jwt.PyJWK(json.loads(gzip.decompress(raw))).key.public_key()
    assert jwt.decode(renewed, public, algorithms=["RS256"], audience=client_id, leeway=3600)


def test_a_signed_in_browser_is_answered_without_the_password_until_logout(
    ui: HostedUI, pool: tuple[Any, str, str], triggers: Recorder
) -> None:
    _, _, client_id = pool
    signed_in = sign_in(ui, client_id)
    cookie = signed_in.headers["Set-Cookie"].split(";")[0]
    assert "HttpOnly" in signed_in.headers["Set-Cookie"]
    query = urlencode(authorize_query(client_id))
    again = ui.handle("GET", f"/oauth2/authorize?{query}", {"Cookie": cookie}, b"")
    assert redeem(ui, client_id, code_from(again)).status == 200
    assert [name for name, _ in triggers.calls] == ["sign_in_recorder"]  # no second sign-in

    logout = urlencode({"client_id": client_id, "logout_uri": f"{PORTAL}/"})
    out = ui.handle("GET", f"/logout?{logout}", {"Cookie": cookie}, b"")
    assert "Max-Age=0" in out.headers["Set-Cookie"]
    after = ui.handle("GET", f"/oauth2/authorize?{query}", {"Cookie": cookie}, b"")
    assert after.status == 302 and after.headers["Location"].startswith("/login?")
