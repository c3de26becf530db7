"""The admin console in Chromium, on the offline stack: an admin grants a role and reads it in
the audit trail, reads today's analytics as the API counts them, and runs a Salesforce push to
its end. Every admin page is axe-checked and photographed, in English and in Spanish (es-US);
a customer who finds the console's address is told it is not for them, and the API agrees."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.e2e.conftest import LocalStack
from tests.e2e.portal_browser import (  # noqa: F401  (the fixtures these tests use)
    AXE,
    DESKTOP,
    WAIT_MS,
    AxeLog,
    axe_log_fixture,
    chromium_fixture,
    context_fixture,
    page_fixture,
    portal_url_fixture,
    sign_in,
    visit,
)
from tests.e2e.test_sales_funnel import _apply, _status, eventually

SYNC_WAIT_MS = 120_000  # a push is queued, then run by the sync worker


def _admin(local_stack: LocalStack) -> dict[str, str]:
    user: dict[str, str] = local_stack.info["users"]["admin"]
    return user


def _sub(local_stack: LocalStack, token: str) -> str:
    me = local_stack.request("GET", "/me", token=token)
    assert me.status_code == 200, me.text
    return str(me.json()["customerId"])


def _sign_in_as_admin(page: Page, portal_url: str, local_stack: LocalStack, path: str) -> None:
    page.goto(f"{portal_url}{path}")
    admin = _admin(local_stack)
    sign_in(page, admin["username"], admin["password"])


def _show_user(page: Page, email: str) -> None:
    """Page through the users list until ``email`` is on it, then open that user."""
    link = page.get_by_role("link", name=email, exact=True)
    more = page.get_by_role("button", name="Show more users")
    expect(link.or_(more).first).to_be_visible()
    while link.count() == 0:
        assert more.count() == 1, f"{email} is not among the users"
        more.click()
        expect(link.or_(more).first).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", name=email)).to_be_visible()


def _until(page: Page, found: Callable[[], bool], refresh: Callable[[], None], what: str) -> None:
    """Refresh the page's data until ``found``: the audit trail and the counters are written
    after the change, by the stream processor and the analytics recorder."""
    deadline = time.monotonic() + WAIT_MS / 1000 * 2
    while not found():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        refresh()
        page.wait_for_load_state("networkidle")


def test_an_admin_grants_a_role_and_the_audit_trail_shows_it(
    page: Page, portal_url: str, local_stack: LocalStack, axe_log: AxeLog
) -> None:
    email, password = local_stack.new_customer(f"promoted-{uuid.uuid4().hex[:8]}@example.com")
    token = local_stack.sign_in(email, password)["IdToken"]
    user_id = _sub(local_stack, token)
    admin_id = _sub(local_stack, local_stack.token("admin"))
    # Personal data for the customer's own trail, which the API masks.
    profile = {"givenName": "Ines", "familyName": "Audit", "phone": "+15125550177"}
    assert local_stack.request("PUT", "/me", token=token, json=profile).status_code == 200

    _sign_in_as_admin(page, portal_url, local_stack, "/")
    console = page.get_by_role("list", name="Administration")
    console.get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", name="Users", exact=True)).to_be_visible()
    page.get_by_label("Role", exact=True).select_option("customers")
    page.get_by_role("button", name="Show users").click()
    expect(page).to_have_url(re.compile(r"/admin/users\?group=customers$"))
    expect(page.get_by_role("table")).to_be_visible()
    visit(page, "admin-01-users", axe_log)

    _show_user(page, email)
    roles = page.get_by_role("group", name="What this user may do")
    expect(roles.get_by_role("checkbox", name="Customer")).to_be_checked()
    expect(roles.get_by_role("checkbox", name="Agent")).not_to_be_checked()
    roles.get_by_role("checkbox", name="Agent").check()
    page.get_by_role("button", name="Save roles").click()
    expect(page.get_by_role("status")).to_have_text("Roles saved: Agent, Customer.")
    visit(page, "admin-02-user", axe_log)
    # The API holds the change, not only the page.
    stored = local_stack.request("GET", f"/admin/users/{user_id}", role="admin").json()
    assert stored["groups"] == ["agents", "customers"]

    page.get_by_role("link", name="Audit trail of this user").click()
    expect(page.get_by_role("heading", name=f"History of user#{user_id}, newest first")).to_be_visible()
    changes = page.get_by_role("list", name="Changes")
    groups_row = changes.get_by_role("listitem").first.get_by_role("row", name=re.compile(r"^groups"))
    _until(
        page,
        lambda: groups_row.count() == 1,
        lambda: page.get_by_role("button", name="Refresh").click(),
        "the role change in the audit trail",
    )
    newest = changes.get_by_role("listitem").first
    expect(newest.get_by_role("heading")).to_contain_text("Updated")
    expect(newest).to_contain_text(f"By Admin {admin_id}")
    expect(groups_row.get_by_role("cell")).to_have_text(["customers", "agents, customers"])
    visit(page, "admin-03-audit", axe_log)

    # Another entity's trail, by type and ID: personal fields are shown as masked, never guessed.
    page.get_by_label("Entity type").select_option("customer")
    page.get_by_role("button", name="Show its trail").click()
    expect(page.get_by_role("heading", name=f"History of customer#{user_id}, newest first")).to_be_visible()
    updated = changes.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=re.compile("^Updated"))
    )
    given = updated.first.get_by_role("row", name=re.compile(r"^givenName"))
    _until(
        page,
        lambda: given.count() == 1,
        lambda: page.get_by_role("button", name="Refresh").click(),
        "the profile change in the customer's audit trail",
    )
    expect(given.get_by_role("cell").last).to_have_text("•••• masked")
    expect(updated.first).to_contain_text(f"By Customer {user_id}")
    assert "Ines" not in (changes.text_content() or "")
    visit(page, "admin-03b-audit-masked", axe_log)

    # The API's guard, said in words: an admin cannot take away their own admin role.
    page.goto(f"{portal_url}/admin/users/{admin_id}")
    page.get_by_role("checkbox", name="Admin").uncheck()
    page.get_by_role("button", name="Save roles").click()
    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text(
        "You cannot remove your own admin role. Ask another administrator to do it."
    )
    expect(refusal).to_contain_text("Details: You cannot remove your own admin role; ask another admin.")
    expect(page.get_by_role("checkbox", name="Admin")).to_be_checked()  # nothing changed
    visit(page, "admin-04-own-role-refused", axe_log)
    assert "admins" in local_stack.request("GET", f"/admin/users/{admin_id}", role="admin").json()["groups"]


def _today(local_stack: LocalStack) -> dict[str, Any]:
    today = datetime.now(UTC).date().isoformat()
    response = local_stack.request(
        "GET", "/admin/analytics", role="admin", params={"from": today, "to": today}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _count(value: int) -> str:
    return f"{value:,}"  # en-US: 1,234


def _rate(value: float | None) -> str:
    """As Intl's percent with at most one decimal (half away from zero), en-US."""
    if value is None:
        return "—"
    shown = Decimal(repr(value * 100)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP).normalize()
    return f"{shown:f}%"


def _money(cents: int) -> str:
    return f"${cents / 100:,.2f}"


def _shown_totals(page: Page) -> dict[str, str]:
    table = page.get_by_role("table", name="Totals for the range")
    cells: dict[str, str] = {}
    for row in table.get_by_role("row").all():
        cells[(row.get_by_role("rowheader").text_content() or "").strip()] = (
            row.get_by_role("cell").text_content() or ""
        ).strip()
    return cells


def _expected_totals(totals: dict[str, Any]) -> dict[str, str]:
    return {
        "Sign-ups": _count(totals["signUps"]),
        "Sign-ins": _count(totals["signIns"]),
        "Active users": _count(totals["activeUsers"]),
        "Quotes": _count(totals["quotes"]),
        "Applications": _count(totals["applications"]),
        "Policies": _count(totals["policies"]),
        "Approval rate": _rate(totals.get("approvalRate")),
        "Quotes that became policies": _rate(totals.get("quoteToPolicyConversion")),
        "Premium written": _money(totals["premiumWrittenCents"]),
        "Payments received": _count(totals["paymentsSucceeded"]),
        "Payments failed": _count(totals["paymentsFailed"]),
        "AI questions": _count(totals["aiQueries"]),
    }


def test_the_analytics_page_draws_the_days_numbers(
    page: Page, portal_url: str, local_stack: LocalStack, axe_log: AxeLog
) -> None:
    _sign_in_as_admin(page, portal_url, local_stack, "/admin/analytics")
    expect(page.get_by_role("heading", name="Analytics")).to_be_visible()
    before = _today(local_stack)["totals"]

    # Today's activity: a sign-up, its sign-in, two quotes made applications, one policy issued.
    email, password = local_stack.new_customer(f"counted-{uuid.uuid4().hex[:8]}@example.com")
    token = local_stack.sign_in(email, password)["IdToken"]

    def customer(method: str, path: str, **kwargs: Any) -> Any:
        return local_stack.request(method, path, token=token, **kwargs)

    accepted = _apply(customer)
    _apply(customer)
    _status(customer, accepted, "APPROVED")
    assert customer("POST", f"/applications/{accepted}/acceptance").status_code == 201
    grown = {"signUps": 1, "signIns": 1, "quotes": 2, "applications": 2, "policies": 1}
    eventually(
        lambda: all(_today(local_stack)["totals"][k] >= before[k] + n for k, n in grown.items()),
        what="today's counters to hold this test's activity",
        timeout=90,
    )

    page.get_by_role("group", name="Quick ranges").get_by_role("link", name="Today").click()
    today = datetime.now(UTC).date().isoformat()
    expect(page).to_have_url(re.compile(rf"from={today}&to={today}"))
    expect(page.get_by_role("table", name="Totals for the range")).to_be_visible()

    # What the page shows is what the API answers for today (re-read while workers still count).
    shown: dict[str, str] = {}
    expected: dict[str, str] = {}
    body: dict[str, Any] = {}

    def matches() -> bool:
        nonlocal shown, expected, body
        body = _today(local_stack)
        expected = _expected_totals(body["totals"])
        shown = _shown_totals(page)
        return all(shown.get(name) == value for name, value in expected.items())

    try:
        _until(page, matches, lambda: page.reload() and None, "the page to show the API's totals")
    except AssertionError as failed:
        raise AssertionError(f"{failed}: shown {shown}, API {expected}") from None
    assert [d["day"] for d in body["days"]] == [today]
    day = body["days"][0]

    # Each chart draws today's column at the API's value, with the total beside it.
    for name, key in [
        ("Sign-ups", "signUps"),
        ("Sign-ins", "signIns"),
        ("Active users", "activeUsers"),
        ("AI questions", "aiQueries"),
    ]:
        chart = page.get_by_role("img", name=re.compile(rf"^{name} per day"))
        expect(chart.locator("rect.bar")).to_have_count(1)
        assert chart.locator("rect.bar").get_attribute("data-value") == str(day[key])
        card = page.get_by_role("region", name=f"{name} per day")
        expect(card.get_by_role("definition")).to_have_text(_count(body["totals"][key]))
    funnel = page.get_by_role("img", name=re.compile(r"^Quotes → applications → policies"))
    totals = body["totals"]
    expect(funnel).to_have_accessible_name(
        re.compile(
            rf"Quotes: {_count(totals['quotes'])} → Applications: {_count(totals['applications'])}"
            rf" → Policies: {_count(totals['policies'])}$"
        )
    )
    assert totals["policies"] >= 1 and totals["quotes"] >= 2
    approval = page.get_by_role("region", name="Approval rate")
    expect(approval.get_by_role("definition").first).to_have_text(_rate(totals.get("approvalRate")))
    visit(page, "admin-05-analytics", axe_log)


def test_an_admin_runs_a_salesforce_push_and_sees_it_finish(
    page: Page, portal_url: str, local_stack: LocalStack, axe_log: AxeLog
) -> None:
    # A portal change for the push to send.
    email, password = local_stack.new_customer(f"pushed-{uuid.uuid4().hex[:8]}@example.com")
    token = local_stack.sign_in(email, password)["IdToken"]
    profile = {"givenName": "Rosa", "familyName": f"Push{uuid.uuid4().hex[:6]}", "phone": "+15125550142"}
    assert local_stack.request("PUT", "/me", token=token, json=profile).status_code == 200

    _sign_in_as_admin(page, portal_url, local_stack, "/")
    page.get_by_role("list", name="Administration").get_by_role("link", name="Salesforce sync").click()
    expect(page.get_by_role("heading", name="Salesforce sync")).to_be_visible()
    page.get_by_role("button", name="Start sync").click()  # no direction yet: said beside the choice
    expect(page.get_by_text("Choose a direction.")).to_be_visible()
    visit(page, "admin-06-sync-start", axe_log)
    page.get_by_label("Push: portal → Salesforce").check()
    page.get_by_role("button", name="Start sync").click()

    expect(page.get_by_role("heading", name="Salesforce sync run")).to_be_visible()
    run_id = page.url.rsplit("/", 1)[1]
    status = page.get_by_role("status")
    expect(status).to_have_text(re.compile(r"^Status: (Queued|Running|Retrying|Finished)"))
    # No reload: the page re-reads the run until the worker has finished it.
    expect(status).to_have_text("Status: Finished", timeout=SYNC_WAIT_MS)

    run = local_stack.request("GET", f"/salesforce/sync/{run_id}", role="admin").json()
    assert run["status"] == "SUCCEEDED" and run["direction"] == "push", run
    push = page.get_by_role("region", name="Push to Salesforce")
    sent = push.get_by_role("table", name="What the push sent")
    for name, key in [("Changed customers", "considered"), ("Sent", "sent"), ("Refused", "failed")]:
        expect(sent.get_by_role("row", name=re.compile(rf"^{name}\b")).get_by_role("cell")).to_have_text(
            _count(run["push"][key])
        )
    assert run["push"]["sent"] >= 1
    expect(push.get_by_text("Salesforce refused no record.")).to_be_visible()
    visit(page, "admin-07-sync-run", axe_log)


@pytest.fixture(name="spanish")
def spanish_fixture(chromium: Browser) -> Iterator[BrowserContext]:
    """A browser whose language is US Spanish: the portal speaks the browser's language."""
    context = chromium.new_context(viewport=DESKTOP, locale="es-US", timezone_id="America/Chicago")
    context.set_default_timeout(WAIT_MS)
    context.add_init_script(path=str(AXE))
    yield context
    context.close()


def test_every_admin_page_in_spanish_has_no_serious_axe_findings(
    spanish: BrowserContext, portal_url: str, local_stack: LocalStack, axe_log: AxeLog
) -> None:
    page = spanish.new_page()
    admin = _admin(local_stack)
    admin_id = _sub(local_stack, local_stack.token("admin"))
    started = local_stack.request("POST", "/salesforce/sync", role="admin", json={"direction": "push"})
    assert started.status_code == 202, started.text
    run_id = started.json()["runId"]
    # A customer whose trail holds personal data, masked by the API.
    email, password = local_stack.new_customer(f"cliente-{uuid.uuid4().hex[:8]}@example.com")
    token = local_stack.sign_in(email, password)["IdToken"]
    customer_id = _sub(local_stack, token)
    profile = {"givenName": "Lucía", "familyName": "Auditada", "phone": "+15125550178"}
    assert local_stack.request("PUT", "/me", token=token, json=profile).status_code == 200

    def sign_in_here(username: str, secret: str) -> None:
        page.get_by_role("main").get_by_role("button").first.click()  # "Iniciar sesión"
        page.get_by_label("Correo electrónico").fill(username)  # the hosted UI's page, in Spanish too
        page.get_by_label("Contraseña").fill(secret)
        page.get_by_role("button", name="Iniciar sesión").click()
        expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()

    page.goto(f"{portal_url}/admin/users")
    expect(page.locator("html")).to_have_attribute("lang", "es-US")
    sign_in_here(admin["username"], admin["password"])

    pages: list[tuple[str, str, Locator]] = [
        ("/admin/users", "admin-es-01-users", page.get_by_role("heading", name="Usuarios")),
        (f"/admin/users/{admin_id}", "admin-es-02-user", page.get_by_role("heading", name="Roles")),
        (
            f"/admin/audit?entity=customer%23{customer_id}",
            "admin-es-03-audit",
            page.get_by_role("heading", name=re.compile(r"^Historial de customer#")),
        ),
        ("/admin/analytics", "admin-es-05-analytics", page.get_by_role("table", name="Totales del periodo")),
        (
            "/admin/salesforce",
            "admin-es-06-sync-start",
            page.get_by_role("button", name="Iniciar sincronización"),
        ),
        (
            f"/admin/salesforce/runs/{run_id}",
            "admin-es-07-sync-run",
            page.get_by_role("status").filter(has_text="Estado: "),
        ),
    ]
    given = page.get_by_role("row", name=re.compile(r"^givenName"))
    for path, name, shown in pages:
        if path != "/admin/users":
            page.goto(f"{portal_url}{path}")
        expect(shown.first).to_be_visible()
        if name == "admin-es-03-audit":
            _until(
                page,
                lambda: given.count() >= 1,
                lambda: page.get_by_role("button", name="Actualizar").click(),
                "the customer's profile change in the audit trail",
            )
            expect(given.first.get_by_role("cell").last).to_have_text("•••• oculto")
        expect(page.get_by_role("list", name="Administración")).to_be_visible()
        visit(page, name, axe_log)
    # Spanish words, es-US numbers and dates on the analytics page.
    page.goto(f"{portal_url}/admin/analytics")
    expect(page.get_by_role("img", name=re.compile(r"^Registros por día"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"^Primas emitidas"))).to_contain_text("$")

    # A customer who finds the console's address reads, in Spanish, that it is not for them.
    page.get_by_role("button", name="Cerrar sesión").click()
    expect(page.get_by_role("banner").get_by_role("button", name="Iniciar sesión")).to_be_visible()
    page.goto(f"{portal_url}/admin/analytics")
    sign_in_here(email, password)
    expect(page.get_by_role("heading", name="Acceso no permitido")).to_be_visible()
    visit(page, "admin-es-00-not-allowed", axe_log)


def test_a_customer_is_not_allowed_into_the_admin_console(
    page: Page, portal_url: str, local_stack: LocalStack, axe_log: AxeLog
) -> None:
    email, password = local_stack.new_customer(f"curious-{uuid.uuid4().hex[:8]}@example.com")
    page.goto(f"{portal_url}/admin/users")
    sign_in(page, email, password)
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page.get_by_role("list", name="Administration")).to_have_count(0)
    visit(page, "admin-00-not-allowed", axe_log)
    # Hidden is not the guard: the API refuses the same call.
    token = local_stack.sign_in(email, password)["IdToken"]
    assert local_stack.request("GET", "/admin/users", token=token).status_code == 403
