"""The agent console in Chromium, on the offline stack: a customer's application is referred, an
agent finds it in the review queue and approves it with a premium adjustment and a reason, and
the customer sees that decision; an agent finds a customer, asks the AI assistant about them,
watches the question move from queued to answered and reads it back among their past questions.
Every agent page is axe-checked and photographed at desktop width, in English and in Spanish
(es-US); a customer who finds the console's address is told it is not for them, and the API agrees."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from infrastructure.local.users import random_password
from salesportal.domain.underwriting import adjust
from salesportal.models.applications import DecisionRequest
from tests.e2e.conftest import LocalStack
from tests.e2e.portal_browser import (  # noqa: F401  (the fixtures these tests use)
    AXE,
    DESKTOP,
    SCREENSHOTS,
    WAIT_MS,
    AxeLog,
    axe_log_fixture,
    chromium_fixture,
    context_fixture,
    page_fixture,
    portal_url_fixture,
    sign_in,
    sign_up,
    visit,
)

ZONE = "America/Chicago"
MONEY = r"\$[\d,]+\.\d{2}"


@pytest.fixture(scope="module", name="agent")
def agent_fixture(local_stack: LocalStack) -> dict[str, str]:
    """An agent of these tests alone (the demo agent's profile and history stay untouched)."""
    email, password = f"agent-{uuid.uuid4().hex[:8]}@example.com", random_password()
    created = local_stack.http.post(
        f"{local_stack.info['control_url']}/users",
        json={"email": email, "password": password, "groups": ["agents"]},
    )
    assert created.status_code == 201, created.text
    return {"username": email, "password": password}


@contextmanager
def _browser(chromium: Browser, locale: str, name: str) -> Iterator[Page]:
    """A browser of its own (its own session), in ``locale``; photographed if the test fails in it."""
    context = chromium.new_context(viewport=DESKTOP, locale=locale, timezone_id=ZONE)
    context.set_default_timeout(WAIT_MS)
    # Injected by the browser itself, not as a page script, so the portal's CSP stays as deployed.
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    try:
        yield page
    except BaseException:
        _failed(page, name)
        raise
    finally:
        context.close()
    assert problems == [], problems


def _failed(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"FAILED-{name}.png"), full_page=True)


@contextmanager
def _watched(chromium: Browser, locale: str, request: pytest.FixtureRequest, name: str) -> Iterator[Page]:
    """A fixture's browser: pytest does not raise a test's failure into its fixtures, so look."""
    failed_before = request.session.testsfailed
    with _browser(chromium, locale, name) as page:
        yield page
        if request.session.testsfailed > failed_before:
            _failed(page, f"{name}-{request.node.name}")


@pytest.fixture(name="staff")
def staff_fixture(chromium: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """The agent's own browser, beside the customer's (``page``)."""
    with _watched(chromium, "en-US", request, "staff") as page:
        yield page


@pytest.fixture(name="spanish")
def spanish_fixture(chromium: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A browser whose language is US Spanish: the portal speaks the browser's language."""
    with _watched(chromium, "es-US", request, "spanish") as page:
        yield page


def _sign_in_spanish(page: Page, user: dict[str, str]) -> None:
    """From a portal page in Spanish: "Iniciar sesión", the hosted UI's form (asked for in
    Spanish: the portal passes lang), back."""
    expect(page.locator("html")).to_have_attribute("lang", "es-US")
    page.get_by_role("button", name="Iniciar sesión").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_label("Correo electrónico").fill(user["username"])
    page.get_by_label("Contraseña").fill(user["password"])
    page.get_by_role("button", name="Iniciar sesión").click()
    page.get_by_role("button", name="Cerrar sesión").wait_for()


def _shot(page: Page, name: str, log: AxeLog) -> None:
    """An agent page: no serious axe finding, and its picture at desktop width."""
    visit(page, name, log, shots=False)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-desktop.png"), full_page=True)


def _load_until(page: Page, target: Locator) -> None:
    """Press "Load more" until ``target`` is on the list (the queue holds other tests' items too)."""
    more = page.get_by_role("button", name=re.compile("^(Load more|Cargar más)$"))
    expect(target.or_(more).first).to_be_visible()
    while target.count() == 0:
        assert more.count() == 1, "not on the list"
        more.click()
        expect(target.or_(more).first).to_be_visible()


def _cents(text: str) -> int:
    return int(Decimal(text.replace("$", "").replace(",", "")) * 100)


def _percent(bps: int) -> str:
    sign = "+" if bps > 0 else ""
    return f"{sign}{Decimal(bps) / 100:g}%"


def _apply_with_a_chronic_condition(page: Page) -> str:
    """The customer's quote and application in the portal; a chronic condition is referred."""
    page.get_by_role("link", name=re.compile(r"Get a quote\W+Term Life Insurance")).click()
    page.get_by_label("Coverage").select_option("TL-500K-20")
    page.get_by_label("State").select_option("TX")
    page.get_by_label("Date of birth").fill("1985-09-12")
    page.get_by_role("radio", name="No").check()
    page.get_by_role("button", name="Get my price").click()
    page.get_by_role("link", name="Apply with this quote").click()
    page.get_by_label("First name").fill("Rosa")
    page.get_by_label("Last name").fill("Delgado")
    page.get_by_label("Date of birth").fill("1985-09-12")
    page.get_by_label("Last 4 digits of your SSN").fill("4321")
    page.get_by_label("Street address").fill("200 Lavaca St")
    page.get_by_label("City").fill("Austin")
    page.get_by_label("ZIP code").fill("78701")
    answers = {
        "in hospital": "No",
        "chronic condition": "Yes",
        "hazardous activities": "No",
        "declined you": "No",
    }
    for question, answer in answers.items():
        page.get_by_role("group", name=re.compile(question)).get_by_label(answer, exact=True).check()
    page.get_by_label("I agree to identity verification").check()
    page.get_by_role("button", name="Submit application").click()
    expect(page.get_by_text("Status: Referred to an underwriter")).to_be_visible()
    return page.url.rsplit("/", 1)[1]


def test_an_agent_decides_a_referred_application_and_the_customer_sees_it(
    page: Page,
    staff: Page,
    spanish: Page,
    chromium: Browser,
    portal_url: str,
    local_stack: LocalStack,
    agent: dict[str, str],
    axe_log: AxeLog,
) -> None:
    # The customer applies; underwriting refers the chronic condition to a person.
    page.goto(portal_url)
    email, password = f"referred-{uuid.uuid4().hex[:8]}@example.com", random_password()
    sign_up(page, local_stack, email, password)
    application_id = _apply_with_a_chronic_condition(page)

    # The agent signs in and finds it in the queue (oldest first, so it may be pages down).
    staff.goto(portal_url)
    sign_in(staff, agent["username"], agent["password"])
    staff.get_by_role("list", name="Agent console").get_by_role("link", name="Review queue").click()
    expect(staff.get_by_role("heading", name="Review queue")).to_be_visible()
    item = staff.locator(f'a[href="/agent/review/{application_id}"]')
    _load_until(staff, item)
    card = staff.get_by_role("listitem").filter(has=item)
    expect(card).to_contain_text("Term Life Insurance")
    expect(
        card.locator("dt", has_text="Chronic condition").locator("xpath=following-sibling::dd[1]")
    ).to_have_text("Yes")
    expect(card).to_contain_text("Why it was referred")
    _shot(staff, "agent-01-review-queue", axe_log)
    item.click()
    expect(staff.get_by_role("heading", name="Decide an application")).to_be_visible()
    quoted = staff.locator("dt", has_text="Quoted premium").locator("xpath=following-sibling::dd[1]")
    monthly, annual = (_cents(m) for m in re.findall(MONEY, quoted.inner_text()))

    # The bounds shown are the API's (DecisionRequest), and checked before anything is sent.
    bounds = DecisionRequest.model_json_schema(by_alias=True)["properties"]["premiumAdjustmentBps"]
    low, high = _percent(bounds["minimum"]), _percent(bounds["maximum"])
    staff.get_by_role("radio", name="Approve").check()
    expect(staff.get_by_text(f"From {low} to {high};")).to_be_visible()
    adjustment = staff.get_by_label("Premium adjustment, in percent (optional)")
    adjustment.fill(str(bounds["maximum"] // 100 + 1))
    staff.get_by_label("Reason").fill("Condition controlled for five years; premium loaded for it.")
    staff.get_by_role("button", name="Approve application").click()
    expect(staff.get_by_text(f"The adjustment must be between {low} and {high}.")).to_be_visible()
    _shot(staff, "agent-02-decide", axe_log)

    # The same page in Spanish, while the application still waits.
    spanish.goto(f"{portal_url}/agent/review")
    _sign_in_spanish(spanish, agent)
    expect(spanish.get_by_role("heading", name="Cola de revisión")).to_be_visible()
    _load_until(spanish, spanish.locator(f'a[href="/agent/review/{application_id}"]'))
    _shot(spanish, "agent-es-01-review-queue", axe_log)
    spanish.locator(f'a[href="/agent/review/{application_id}"]').click()
    expect(spanish.get_by_role("heading", name="Decidir una solicitud")).to_be_visible()
    spanish.get_by_role("radio", name="Aprobar").check()
    spanish.get_by_label("Ajuste de la prima, en porcentaje (opcional)").fill("10")
    expect(spanish.get_by_text(re.compile(r"^Prima nueva: .* al mes"))).to_be_visible()
    _shot(spanish, "agent-es-02-decide", axe_log)

    # Approve with +10 %: the new premium is shown before sending, as the API will work it out.
    adjustment.fill("10")
    new_monthly, new_annual = adjust(monthly, 1000), adjust(annual, 1000)
    preview = f"New premium: ${new_monthly / 100:,.2f} a month (${new_annual / 100:,.2f} a year), +10%"
    expect(staff.get_by_text(preview)).to_be_visible()
    staff.get_by_role("button", name="Approve application").click()
    expect(staff.get_by_role("status").filter(has_text="Approved: Term Life Insurance")).to_be_visible()
    expect(staff.get_by_role("heading", name="Review queue")).to_be_visible()
    expect(item).to_have_count(0)  # decided: it left the queue

    # The customer's page, still open, picks the decision up by itself.
    expect(page.get_by_text("Status: Approved")).to_be_visible()
    reason = page.get_by_role("main").get_by_role("listitem")
    expect(
        reason.filter(has_text="Condition controlled for five years; premium loaded for it.")
    ).to_have_count(1)
    expect(
        page.get_by_text(f"Your premium: ${new_monthly / 100:,.2f} a month (${new_annual / 100:,.2f} a year)")
    ).to_be_visible()
    _shot(page, "agent-03-customer-sees-decision", axe_log)

    # The console's address is not for a customer: the page says so, and the API agrees.
    page.goto(f"{portal_url}/agent/review")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page.get_by_role("list", name="Agent console")).to_have_count(0)
    _shot(page, "agent-00-not-allowed", axe_log)
    token = local_stack.sign_in(email, password)["IdToken"]
    assert local_stack.request("GET", "/admin/applications", token=token).status_code == 403
    with _browser(chromium, "es-US", "curious-customer") as curious:
        curious.goto(f"{portal_url}/agent/customers")
        _sign_in_spanish(curious, {"username": email, "password": password})
        expect(curious.get_by_role("heading", name="Acceso no permitido")).to_be_visible()
        _shot(curious, "agent-es-00-not-allowed", axe_log)


def _customer_with_a_name(local_stack: LocalStack) -> tuple[str, str, str]:
    """A customer of this test alone, with a name on the profile (the assistant answers with it)."""
    email, password = local_stack.new_customer(f"asked-about-{uuid.uuid4().hex[:8]}@example.com")
    token = local_stack.sign_in(email, password)["IdToken"]
    me = local_stack.request("GET", "/me", token=token)
    saved = local_stack.request(
        "PUT",
        "/me",
        token=token,
        headers={"If-Match": f'"{me.json()["version"]}"'},
        json={
            "givenName": "Marta",
            "familyName": "Quiroga",
            "contactPreferences": {"email": True, "sms": False},
        },
    )
    assert saved.status_code == 200, saved.text
    return email, str(me.json()["customerId"]), "Marta"


# Every status the page shows for the question, in order, whatever the timing: the page may
# render "queued" for a moment only, so a MutationObserver records each value as it appears.
RECORD_STATUSES = """() => {
  window.__statuses = [];
  const seen = () => {
    const el = document.querySelector('.query-status[role="status"]');
    const value = el && el.getAttribute("data-status");
    if (value && window.__statuses[window.__statuses.length - 1] !== value) window.__statuses.push(value);
  };
  new MutationObserver(seen).observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
}"""


def test_an_agent_asks_the_ai_assistant_about_a_customer_and_reads_the_answer(
    staff: Page,
    spanish: Page,
    portal_url: str,
    local_stack: LocalStack,
    agent: dict[str, str],
    axe_log: AxeLog,
) -> None:
    email, customer_id, given_name = _customer_with_a_name(local_stack)
    staff.goto(portal_url)
    sign_in(staff, agent["username"], agent["password"])
    staff.get_by_role("list", name="Agent console").get_by_role("link", name="Customers").click()
    expect(staff.get_by_role("heading", name="Customers")).to_be_visible()

    # Changed since today (the agent's day): the customer just changed is on the list.
    today = datetime.now(ZoneInfo(ZONE)).date().isoformat()
    staff.get_by_label("Changed since").fill(today)
    staff.get_by_role("button", name="Search", exact=True).click()
    row = staff.get_by_role("row").filter(has_text=email)
    _load_until(staff, row)
    _shot(staff, "agent-04-customers", axe_log)

    # By e-mail: that customer alone; their record with its CRM fields.
    staff.get_by_label("E-mail address").fill(email)
    staff.get_by_role("button", name="Search", exact=True).click()
    expect(staff.get_by_role("table")).to_contain_text(email)
    expect(staff.get_by_role("table").get_by_role("row")).to_have_count(2)  # the header and them
    staff.get_by_role("link", name="Marta Quiroga").click()
    expect(staff.get_by_role("heading", name="Marta Quiroga")).to_be_visible()
    crm = staff.get_by_role("region", name="CRM (Salesforce)")
    expect(crm.locator("dt", has_text="Sync status").locator("xpath=following-sibling::dd[1]")).to_have_text(
        "Not in Salesforce"
    )
    _shot(staff, "agent-05-customer", axe_log)

    # Ask about them; the question's page shows it queued, then answered, without a reload.
    staff.get_by_role("link", name="Ask the AI assistant about this customer").click()
    expect(staff.get_by_label("Customer id (optional)")).to_have_value(customer_id)
    question = f"Which policies and applications does this customer have? ({uuid.uuid4().hex[:6]})"
    staff.get_by_role("textbox", name=re.compile(r"^Question")).fill(question)
    staff.evaluate(RECORD_STATUSES)
    staff.get_by_role("button", name="Ask", exact=True).click()
    expect(staff.get_by_role("heading", name="Question to the AI assistant")).to_be_visible()
    expect(staff.get_by_role("status").filter(has_text="Status: Answered")).to_be_visible()
    statuses = staff.evaluate("() => window.__statuses")
    assert statuses[0] == "QUEUED" and statuses[-1] == "SUCCEEDED", statuses
    answer = staff.locator(".answer")
    expect(answer).to_contain_text(re.compile(rf"^{given_name} "))
    answered = answer.inner_text()
    query_id = staff.url.rsplit("/", 1)[1]
    _shot(staff, "agent-07-ai-answer", axe_log)

    # Past answers: the question and its answer among the agent's own, newest first.
    staff.get_by_role("list", name="Agent console").get_by_role("link", name="AI assistant").click()
    past = staff.get_by_role("region", name="Your past questions").get_by_role("listitem").first
    expect(past.get_by_role("link", name=question)).to_be_visible()
    expect(past).to_contain_text("Status: Answered")
    expect(past.locator(".answer")).to_have_text(answered)
    _shot(staff, "agent-06-assistant", axe_log)

    # The same pages in Spanish, es-US dates and all.
    spanish.goto(f"{portal_url}/agent/customers")
    _sign_in_spanish(spanish, agent)
    expect(spanish.get_by_role("heading", name="Clientes")).to_be_visible()
    _shot(spanish, "agent-es-04-customers", axe_log)
    spanish.goto(f"{portal_url}/agent/customers/{customer_id}")
    expect(spanish.get_by_role("region", name="CRM (Salesforce)")).to_contain_text("No está en Salesforce")
    _shot(spanish, "agent-es-05-customer", axe_log)
    spanish.goto(f"{portal_url}/agent/assistant")
    expect(spanish.get_by_role("heading", name="Sus preguntas anteriores")).to_be_visible()
    expect(spanish.get_by_role("link", name=question)).to_be_visible()
    _shot(spanish, "agent-es-06-assistant", axe_log)
    spanish.goto(f"{portal_url}/agent/assistant/{query_id}")
    expect(spanish.get_by_role("status").filter(has_text="Estado: Respondida")).to_be_visible()
    expect(spanish.get_by_text(re.compile(r"^Preguntada el .*\d{4}"))).to_be_visible()
    _shot(spanish, "agent-es-07-ai-answer", axe_log)
