"""The hosted-UI stand-in in the customer's language: lang=es gives every page in Spanish, carried
from the authorization request through sign-in, sign-up and confirmation; anything else English."""

# The stand-in's fixtures come from its own tests; pytest passes them by name (F811 is that).
# ruff: noqa: F811

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from infrastructure.local.hosted_ui import HostedUI
from infrastructure.local.hosted_ui_text import EN
from tests.integration.test_hosted_ui import (  # noqa: F401  (the fixtures these tests use)
    PASSWORD,
    PORTAL,
    authorize_query,
    code_from,
    pool,
    redeem,
    triggers,
    ui,
)
from tests.unit.test_hosted_ui_text import SAME_IN_BOTH


def _page(answer: Any) -> str:
    assert answer.headers["Content-Type"].startswith("text/html"), answer.headers
    return str(answer.body.decode())


def _in_spanish(page: str) -> None:
    """Spanish throughout: the document says so, and no English text of the stand-in is left."""
    assert '<html lang="es">' in page
    leaks = [value for key, value in EN.items() if key not in SAME_IN_BOTH and value.split("{")[0] in page]
    assert leaks == []


def _follow(ui: HostedUI, answer: Any) -> Any:
    assert answer.status == 302, answer.body
    return ui.handle("GET", answer.headers["Location"], {}, b"")


def test_lang_es_gives_the_sign_in_page_in_spanish_and_carries_lang_onwards(
    ui: HostedUI, pool: tuple[Any, str, str]
) -> None:
    _, _, client_id = pool
    answer = ui.handle(
        "GET", f"/oauth2/authorize?{urlencode(authorize_query(client_id, lang='es'))}", {}, b""
    )
    assert parse_qs(urlsplit(answer.headers["Location"]).query)["lang"] == ["es"]
    page = _page(_follow(ui, answer))
    _in_spanish(page)
    assert "<title>Iniciar sesión · salesportal</title>" in page
    assert '<label for="username">Correo electrónico</label>' in page
    assert '<label for="password">Contraseña</label>' in page
    assert '<button type="submit">Iniciar sesión</button>' in page
    assert '<input type="hidden" name="lang" value="es">' in page  # the form posts it back
    signup_link = re.search(r'href="(/signup\?[^"]+)"', page)
    assert signup_link and "lang=es" in signup_link[1]


def test_a_wrong_password_is_told_in_spanish_when_lang_comes_only_with_the_form(
    ui: HostedUI, pool: tuple[Any, str, str], triggers: Any
) -> None:
    _, _, client_id = pool
    form = {
        **authorize_query(client_id),
        "lang": "es",
        "username": "ana@example.com",
        "password": "Mala-Clave-1!",
    }
    answer = ui.handle("POST", "/login", {}, urlencode(form).encode())
    assert answer.status == 400
    page = _page(answer)
    _in_spanish(page)
    assert ">Nombre de usuario o contraseña incorrectos.</p>" in page
    empty = ui.handle("POST", "/login", {}, urlencode({**authorize_query(client_id), "lang": "es"}).encode())
    assert ">Escriba su correo electrónico y su contraseña.</p>" in _page(empty)
    assert triggers.calls == []


def test_sign_up_and_confirmation_speak_spanish_to_the_end(
    ui: HostedUI, pool: tuple[Any, str, str], triggers: Any
) -> None:
    _, _, client_id = pool
    query = urlencode(authorize_query(client_id, lang="es"))
    shown = _page(ui.handle("GET", f"/signup?{query}", {}, b""))
    _in_spanish(shown)
    assert "<h1>Crear una cuenta</h1>" in shown and '<button type="submit">Crear cuenta</button>' in shown
    assert "Al menos 12 caracteres" in shown

    taken = ui.handle(
        "POST",
        f"/signup?{query}",
        {},
        urlencode({"username": "ana@example.com", "password": PASSWORD}).encode(),
    )
    assert ">Ya existe una cuenta con este correo electrónico.</p>" in _page(taken)
    weak = ui.handle(
        "POST",
        f"/signup?{query}",
        {},
        urlencode({"username": "weak@example.com", "password": "corta"}).encode(),
    )
    assert weak.status == 400
    assert ">La contraseña no cumple los requisitos que se indican abajo.</p>" in _page(weak)

    form = urlencode({"username": "lucia@example.com", "password": PASSWORD}).encode()
    created = ui.handle("POST", f"/signup?{query}", {}, form)
    assert parse_qs(urlsplit(created.headers["Location"]).query)["lang"] == ["es"]
    confirm = _page(_follow(ui, created))
    _in_spanish(confirm)
    assert "<h1>Confirme su cuenta</h1>" in confirm
    assert "<p>Enviamos un código a lucia@example.com.</p>" in confirm
    assert '<label for="code">Código de verificación</label>' in confirm

    mail = ui.handle("GET", "/_local/messages?to=lucia@example.com", {}, b"").body.decode()
    code = re.search(r"(\d{6})", mail)
    assert code is not None
    wrong = urlencode({"username": "lucia@example.com", "code": "000000" if code[1] != "000000" else "1"})
    refused = ui.handle("POST", f"/confirm?{query}", {}, wrong.encode())
    assert refused.status == 400
    assert ">El código de verificación no es válido.</p>" in _page(refused)
    _in_spanish(_page(refused))

    right = urlencode({"username": "lucia@example.com", "code": code[1]}).encode()
    assert redeem(ui, client_id, code_from(ui.handle("POST", f"/confirm?{query}", {}, right))).status == 200


def test_refused_requests_and_unknown_pages_are_told_in_spanish(
    ui: HostedUI, pool: tuple[Any, str, str]
) -> None:
    _, _, client_id = pool
    unknown = ui.handle("GET", f"/oauth2/authorize?{urlencode(authorize_query('nadie', lang='es'))}", {}, b"")
    assert unknown.status == 400
    page = _page(unknown)
    _in_spanish(page)
    assert "<h1>Solicitud de inicio de sesión rechazada</h1>" in page
    assert "invalid_client: Este grupo de usuarios no tiene ese cliente." in page

    elsewhere = urlencode(authorize_query(client_id, lang="es", redirect_uri="https://evil.test/cb"))
    assert "redirect_uri no es una URL de retorno de este cliente." in _page(
        ui.handle("GET", f"/login?{elsewhere}", {}, b"")
    )

    bad_logout = urlencode({"client_id": client_id, "logout_uri": "https://evil.test/", "lang": "es"})
    page = _page(ui.handle("GET", f"/logout?{bad_logout}", {}, b""))
    _in_spanish(page)
    assert "logout_uri no es una URL de cierre de sesión de este cliente." in page
    fine_logout = urlencode({"client_id": client_id, "logout_uri": f"{PORTAL}/", "lang": "es"})
    assert ui.handle("GET", f"/logout?{fine_logout}", {}, b"").headers["Location"] == f"{PORTAL}/"

    missing = _page(ui.handle("GET", "/nada?lang=es", {}, b""))
    _in_spanish(missing)
    assert "<h1>Página no encontrada</h1>" in missing


def test_any_other_lang_or_none_gets_english(ui: HostedUI, pool: tuple[Any, str, str]) -> None:
    _, _, client_id = pool
    for lang in ("fr", "es-MX", ""):
        query = urlencode(authorize_query(client_id, lang=lang))
        page = _page(_follow(ui, ui.handle("GET", f"/oauth2/authorize?{query}", {}, b"")))
        assert '<html lang="en">' in page
        assert '<label for="username">E-mail address</label>' in page
        assert '<button type="submit">Sign in</button>' in page
    wrong = ui.handle(
        "POST",
        f"/login?{urlencode(authorize_query(client_id))}",
        {},
        urlencode({"username": "ana@example.com", "password": "Wrong-1!"}).encode(),
    )
    assert ">Incorrect username or password.</p>" in _page(wrong)
