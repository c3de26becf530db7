"""Browser fixtures for the portal's journeys: Debian's Chromium driven by Playwright.

A test module imports ``FIXTURES`` (the fixture functions, registered under their names).

The portal under test is the built one (``make web``) that the offline stack serves with
CloudFront's headers; sign-in goes through the stack's hosted UI. Screenshots land under
``build/screenshots/`` at phone and desktop widths; axe-core (from ``web/node_modules``) checks
each page, its serious and critical findings collected for the report.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    ViewportSize,
    expect,
    sync_playwright,
)

from tests.e2e.conftest import ROOT, LocalStack

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "build" / "screenshots"
DESKTOP = ViewportSize(width=1280, height=800)
PHONE = ViewportSize(width=390, height=844)
WAIT_MS = 30_000  # generous: the offline stack's workers settle in seconds, not this
expect.set_options(timeout=WAIT_MS)


@dataclass
class AxeLog:
    """Serious and critical axe findings per page (an empty list is a clean page)."""

    pages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def write(self) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        report = SCREENSHOTS / "axe.json"
        known = json.loads(report.read_text()) if report.exists() else {}
        report.write_text(json.dumps({**known, **self.pages}, indent=2) + "\n")


# One browser for the session, however many test modules import the fixture (each import
# registers its own session fixture, and Playwright's sync API runs once per thread).
_SHARED: dict[str, Any] = {}


@pytest.fixture(scope="session", name="chromium")
def chromium_fixture(request: pytest.FixtureRequest, local_stack: LocalStack) -> Browser:
    """Depends on the stack so that it closes first: no browser connection outlives the stack."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run make chromium (scripts/ensure-tools.sh)")
    if "browser" not in _SHARED:
        playwright = sync_playwright().start()
        _SHARED.update(playwright=playwright, browser=_launch(playwright))

        def stop() -> None:
            _SHARED.pop("browser").close()
            _SHARED.pop("playwright").stop()

        request.addfinalizer(stop)
    browser: Browser = _SHARED["browser"]
    return browser


def _launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@pytest.fixture(scope="session", name="portal_url")
def portal_url_fixture(local_stack: LocalStack) -> str:
    if not local_stack.info.get("portal_built"):
        pytest.fail("The portal is not built: run make web before the browser tests")
    if not AXE.exists():
        pytest.fail("axe-core is missing: run make web-deps")
    return str(local_stack.info["portal_url"])


@pytest.fixture(scope="session", name="axe_log")
def axe_log_fixture() -> Iterator[AxeLog]:
    log = AxeLog()
    yield log
    log.write()


@pytest.fixture(name="context")
def context_fixture(chromium: Browser) -> Iterator[BrowserContext]:
    context = chromium.new_context(viewport=DESKTOP, locale="en-US", timezone_id="America/Chicago")
    context.set_default_timeout(WAIT_MS)
    # Injected by the browser itself, not as a page script, so the portal's CSP stays as deployed.
    context.add_init_script(path=str(AXE))
    yield context
    context.close()


@pytest.fixture(name="page")
def page_fixture(context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    page = context.new_page()
    failed_before = request.session.testsfailed
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    if request.session.testsfailed > failed_before:  # what the browser showed when it failed
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"FAILED-{request.node.name}.png"), full_page=True)
    assert problems == [], problems


def screenshot(page: Page, name: str) -> None:
    """The page at desktop and phone widths, the whole length of each."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def check_a11y(page: Page, name: str, log: AxeLog) -> list[dict[str, Any]]:
    """axe-core on the page as it stands; returns (and logs) serious and critical findings."""
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    log.pages[name] = serious
    return serious


def visit(page: Page, name: str, log: AxeLog, *, shots: bool = True) -> None:
    """A page reached in a journey: axe-checked (no serious finding allowed) and photographed."""
    page.wait_for_load_state("networkidle")
    serious = check_a11y(page, name, log)
    assert serious == [], f"{name}: {serious}"
    if shots:
        screenshot(page, name)


def confirmation_code(local_stack: LocalStack, email: str) -> str:
    """The code the hosted UI 'mailed' on sign-up (its mailbox stands in for the e-mail)."""
    response = httpx.get(f"{local_stack.info['hosted_ui_url']}/_local/messages", params={"to": email})
    messages = response.json()["messages"]
    found = re.search(r"(\d{6})", messages[-1]) if messages else None
    assert found, messages
    return found[1]


@dataclass(frozen=True)
class HostedWords:
    """The hosted sign-up pages' own words in one language (the portal asks for it with lang)."""

    lang: str
    sign_up: str
    email: str
    password: str
    create: str
    confirm_heading: str
    code: str
    confirm: str


HOSTED_EN = HostedWords(
    "en",
    "Create an account",
    "E-mail address",
    "Password",
    "Create account",
    "Confirm your account",
    "Verification code",
    "Confirm account",
)
HOSTED_ES = HostedWords(
    "es",
    "Crear una cuenta",
    "Correo electrónico",
    "Contraseña",
    "Crear cuenta",
    "Confirme su cuenta",
    "Código de verificación",
    "Confirmar cuenta",
)


def sign_up(
    page: Page,
    local_stack: LocalStack,
    email: str,
    password: str,
    *,
    create: str = "Create account",
    sign_out: str = "Sign out",
    hosted: HostedWords = HOSTED_EN,
) -> None:
    """From a portal page: Create account, the hosted UI's sign-up and confirm, back signed in.
    ``create`` and ``sign_out`` are the portal's buttons in its language, ``hosted`` the hosted
    pages' words in the language the portal asked them for."""
    page.get_by_role("button", name=create).first.click()
    expect(page.get_by_role("heading", name=hosted.sign_up)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", hosted.lang)
    page.get_by_label(hosted.email).fill(email)
    page.get_by_label(hosted.password).fill(password)
    page.get_by_role("button", name=hosted.create).click()
    expect(page.get_by_role("heading", name=hosted.confirm_heading)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", hosted.lang)
    page.get_by_label(hosted.code).fill(confirmation_code(local_stack, email))
    page.get_by_role("button", name=hosted.confirm).click()
    page.get_by_role("button", name=sign_out).wait_for()


def sign_in(page: Page, email: str, password: str) -> None:
    page.get_by_role("button", name="Sign in").first.click()
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()


def tokens_in_storage(page: Page) -> list[str]:
    """Anything JWT-shaped in localStorage or sessionStorage (there must be none)."""
    dump: str = page.evaluate("() => JSON.stringify([{...localStorage}, {...sessionStorage}])")
    return re.findall(r"eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+", dump)


FIXTURES = (chromium_fixture, portal_url_fixture, axe_log_fixture, context_fixture, page_fixture)
