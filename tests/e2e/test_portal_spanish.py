"""The customer journey in Spanish, in Chromium at phone width: a browser that asks for es-US
gets the portal in Spanish, the hosted sign-in and sign-up pages in Spanish (the portal asks for
them with lang=es), US money as es-US writes it, dates in Spanish, and messages in Spanish once
the profile says so."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from infrastructure.local.users import random_password
from tests.e2e.conftest import LocalStack
from tests.e2e.portal_browser import (  # noqa: F401  (the fixtures these tests use)
    AXE,
    HOSTED_ES,
    PHONE,
    WAIT_MS,
    AxeLog,
    axe_log_fixture,
    chromium_fixture,
    page_fixture,
    portal_url_fixture,
    sign_up,
    tokens_in_storage,
    visit,
)

DECLINED_CARD = "4000 0000 0000 0002"
GOOD_CARD = "4242 4242 4242 4242"
# How Chromium's Intl writes es-US (checked in Chromium 156): dollars as "$1,234.56", like
# en-US; dates with Spanish month abbreviations, "1 dic 2026"; times as "9:04 a.m.".
MONTHS_ES = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic")


def money_es_us(cents: int) -> str:
    return f"${cents // 100:,}.{cents % 100:02d}"


TIME_ZONE = "America/Chicago"


def date_es_us(value: str) -> str:
    day = date.fromisoformat(value)
    return f"{day.day} {MONTHS_ES[day.month - 1]} {day.year}"


@pytest.fixture(name="context")
def spanish_phone_context(chromium: Browser) -> Iterator[BrowserContext]:
    """A phone whose browser asks for US Spanish (navigator.languages is ["es-US"])."""
    context = chromium.new_context(viewport=PHONE, locale="es-US", timezone_id=TIME_ZONE)
    context.set_default_timeout(WAIT_MS)
    context.add_init_script(path=str(AXE))
    yield context
    context.close()


def step(page: Page, name: str, axe_log: AxeLog) -> None:
    """axe at phone width (no serious finding), the screenshots, then back to the phone."""
    visit(page, name, axe_log)
    page.set_viewport_size(PHONE)


def field(page: Page, label: str) -> Locator:
    """The control labelled exactly ``label`` (a required one's label adds "(Obligatorio)")."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(Obligatorio\))?$"))


def _fill_card(page: Page, number: str) -> None:
    page.get_by_label("Número de tarjeta").fill(number)
    page.get_by_label("Mes de vencimiento (MM)").fill("12")
    page.get_by_label("Año de vencimiento (AA)").fill("39")
    page.get_by_label("Código de seguridad").fill("123")


def test_spanish_customer_quotes_applies_pays_and_is_told_in_spanish(
    page: Page, portal_url: str, local_stack: LocalStack, axe_log: AxeLog, chromium: Browser
) -> None:
    started = time.monotonic()
    page.goto(portal_url)
    expect(page.get_by_role("heading", name="Productos de seguro")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es-US")
    expect(page.get_by_label("Idioma", exact=True)).to_have_value("es")
    expect(page.get_by_role("navigation", name="Principal")).to_contain_text("Planes de medicamentos")
    expect(page.get_by_text(re.compile(r"^Desde \$[\d,]+\.\d{2} al mes$")).first).to_be_visible()
    assert page.title() == "Productos de seguro · salesportal"
    step(page, "es-01-products", axe_log)

    # The hosted sign-in page, asked for in Spanish: its words, its alert and its document's language.
    page.get_by_role("button", name="Iniciar sesión").first.click()
    expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_label("Correo electrónico").fill("nadie@example.com")
    page.get_by_label("Contraseña").fill("Clave-Equivocada-2026!")
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_role("alert")).to_have_text("Nombre de usuario o contraseña incorrectos.")
    expect(page.get_by_role("link", name="Crear una cuenta")).to_be_visible()
    step(page, "es-01b-hosted-sign-in", axe_log)
    page.goto(portal_url)

    email = f"cliente-{uuid.uuid4().hex[:8]}@example.com"
    password = random_password()
    # The sign-up and confirmation pages in Spanish too (their headings, labels, buttons, html lang).
    sign_up(
        page, local_stack, email, password, create="Crear cuenta", sign_out="Cerrar sesión", hosted=HOSTED_ES
    )
    assert tokens_in_storage(page) == []

    # The profile: a name, and Spanish for what we send.
    page.get_by_role("link", name="Perfil", exact=True).click()
    expect(page.get_by_role("heading", name="Perfil", exact=True)).to_be_visible()
    language = page.get_by_label("Idioma del portal y de nuestros mensajes")
    expect(language).to_have_value("es")  # the portal's language, not the API's default
    language.select_option("es")
    field(page, "Nombre").fill("Lucía")
    field(page, "Apellido").fill("Hernández")
    with page.expect_response(lambda r: r.url.endswith("/me") and r.request.method == "PUT") as saved:
        page.get_by_role("button", name="Guardar perfil").click()
    assert saved.value.status == 200, saved.value.text()
    assert saved.value.json()["preferredLanguage"] == "es"
    expect(page.get_by_text("Perfil guardado.")).to_be_visible()
    step(page, "es-02-profile", axe_log)
    me = local_stack.request("GET", "/me", token=local_stack.sign_in(email, password)["IdToken"])
    assert me.json()["preferredLanguage"] == "es", me.text

    # Quote: the form, the breakdown and the price in Spanish, dollars as es-US writes them.
    page.get_by_role("link", name="Seguros", exact=True).click()
    page.get_by_role("link", name=re.compile(r"Cotizar\W+Seguro de vida a plazo")).click()
    expect(page.get_by_role("heading", name="Cotización: Seguro de vida a plazo")).to_be_visible()
    field(page, "Cobertura").select_option("TL-500K-20")
    field(page, "Estado").select_option("TX")
    field(page, "Fecha de nacimiento").fill("1990-04-02")
    page.get_by_role("group", name="¿Fuma?").get_by_label("No", exact=True).check()
    with page.expect_response(lambda r: "/quotes/" in r.url and r.request.method == "GET" and r.ok) as quoted:
        page.get_by_role("button", name="Ver mi precio").click()
    quote = quoted.value.json()
    breakdown = page.get_by_role("table", name="Cómo lo calculamos")
    expect(breakdown).to_contain_text("Prima mensual base")
    expect(breakdown).to_contain_text("edad 30-39")
    expect(breakdown).to_contain_text("¿Fuma? No")
    expect(breakdown).to_contain_text("Impuesto sobre la prima")
    monthly = money_es_us(quote["monthlyPremium"]["amountCents"])
    expect(page.get_by_text(f"{monthly} al mes", exact=True)).to_be_visible()
    # The page shows the instant in the browser's time zone: the day there, not in UTC.
    local = datetime.fromisoformat(quote["expiresAt"].replace("Z", "+00:00")).astimezone(ZoneInfo(TIME_ZONE))
    expires = date_es_us(local.date().isoformat())
    expect(
        page.get_by_text(
            re.compile(rf"^Este precio es válido hasta el {expires}, \d{{1,2}}:\d{{2}}\s[ap]\.\s?m\.$")
        )
    ).to_be_visible()
    step(page, "es-03-quote", axe_log)

    # Apply.
    page.get_by_role("link", name="Solicitar con esta cotización").click()
    field(page, "Nombre").fill("Lucía")
    field(page, "Apellido").fill("Hernández")
    field(page, "Fecha de nacimiento").fill("1990-04-02")
    page.get_by_label("Últimos 4 dígitos de su número de Seguro Social").fill("1234")
    page.get_by_label("Calle y número").fill("1 Main St")
    field(page, "Ciudad").fill("Austin")
    field(page, "Código postal").fill("78701")
    for question in ("hospitalizado", "enfermedad crónica", "actividades peligrosas", "aseguradora"):
        page.get_by_role("group", name=re.compile(question)).get_by_label("No", exact=True).check()
    page.get_by_label("Acepto la verificación de identidad").check()
    step(page, "es-04-apply", axe_log)
    page.get_by_role("button", name="Enviar solicitud").click()

    expect(page.get_by_text("Estado: Aprobada")).to_be_visible()
    step(page, "es-05-approved", axe_log)
    with page.expect_response(
        lambda r: re.search(r"/policies/[^/]+$", r.url) is not None and r.request.method == "GET" and r.ok
    ) as read:
        page.get_by_role("button", name="Aceptar y emitir mi póliza").click()
    policy = read.value.json()
    expect(page.get_by_role("heading", name=f"Póliza {policy['policyNumber']}")).to_be_visible()
    expect(page.get_by_text("Pendiente de pago", exact=True)).to_be_visible()
    term = f"Del {date_es_us(policy['termStart'])} al {date_es_us(policy['termEnd'])}"
    expect(page.get_by_text(term, exact=True)).to_be_visible()
    annual = money_es_us(policy["annualPremium"]["amountCents"])
    expect(page.get_by_text(f"Monto a pagar: {annual}", exact=True)).to_be_visible()

    # Pay: a declined card is said in Spanish (from the error's code), then a good one.
    _fill_card(page, DECLINED_CARD)
    page.get_by_role("button", name=f"Pagar {annual}", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text(
        "Su tarjeta fue rechazada. Puede intentarlo con otra tarjeta."
    )
    step(page, "es-06-pay-declined", axe_log)
    _fill_card(page, GOOD_CARD)
    page.get_by_role("button", name=f"Pagar {annual}", exact=True).click()
    expect(page.get_by_text("Recibimos su pago. Gracias.")).to_be_visible()
    expect(page.get_by_text("Activa", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Descargar póliza (PDF)")).to_be_visible()
    step(page, "es-07-policy-paid", axe_log)

    # Notifications: sent by the workers after the events, in the profile's language.
    number = policy["policyNumber"]
    page.get_by_role("link", name="Notificaciones", exact=True).click()
    page.get_by_role("heading", name="Notificaciones", exact=True).wait_for()
    issued = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=f"Póliza {number} emitida")
    )
    paid = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="Recibimos su pago", exact=True)
    )
    deadline = time.monotonic() + 30
    while issued.count() == 0 or paid.count() == 0:  # re-read until both have been sent
        listed = page.get_by_role("listitem").filter(has=page.get_by_role("heading")).all_inner_texts()
        assert time.monotonic() < deadline, f"no Spanish policy and payment messages: {listed}"
        page.reload()
        page.get_by_role("heading", name="Notificaciones", exact=True).wait_for()
        page.wait_for_load_state("networkidle")
    expect(paid).to_contain_text(f"Recibimos su pago de {annual} para la póliza {number}. Gracias.")
    expect(issued).to_contain_text(f"Su póliza {number} fue emitida.")
    # The list's own words and dates are the portal's: channel, status, "1 dic 2026, 9:04 a.m.".
    expect(paid).to_contain_text("Correo electrónico · Enviada")
    expect(paid).to_contain_text(re.compile(r"\d{1,2} [a-z]{3,4} \d{4}, \d{1,2}:\d{2}\s[ap]\.\s?m\."))
    step(page, "es-08-notifications", axe_log)

    # The same customer on an English browser: the hosted page in English (the portal's language
    # then), and signing in brings the profile's Spanish.
    english = chromium.new_context(viewport=PHONE, locale="en-US", timezone_id=TIME_ZONE)
    try:
        other = english.new_page()
        other.goto(portal_url)
        expect(other.get_by_role("heading", name="Insurance products")).to_be_visible()
        other.get_by_role("button", name="Sign in").first.click()
        expect(other.locator("html")).to_have_attribute("lang", "en")
        other.get_by_label("E-mail address").fill(email)
        other.get_by_label("Password").fill(password)
        other.get_by_role("button", name="Sign in").click()
        expect(other.get_by_role("button", name="Cerrar sesión")).to_be_visible()
        expect(other.get_by_role("heading", name="Productos de seguro")).to_be_visible()
    finally:
        english.close()
    print(f"spanish journey: {time.monotonic() - started:.1f} s")
