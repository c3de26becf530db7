"""Accessibility of the portal in Chromium: axe-core on the pages the journeys do not reach,
and the quote → apply → pay flow with the keyboard alone."""

from __future__ import annotations

import re
import uuid
from typing import Any

from playwright.sync_api import Error, Page, expect

from tests.e2e.conftest import LocalStack
from tests.e2e.portal_browser import (  # noqa: F401  (the fixtures these tests use)
    AxeLog,
    axe_log_fixture,
    chromium_fixture,
    context_fixture,
    page_fixture,
    portal_url_fixture,
    sign_in,
    visit,
)

ACTIVE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return {tag: "", name: ""};
  const label = e.labels && e.labels.length ? e.labels[0].textContent
    : (e.getAttribute("aria-label") || e.textContent || "");
  return {tag: e.tagName.toLowerCase(), type: e.getAttribute("type") || "", name: label.replace(/\\s+/g, " ").trim()};
}"""


def tab_to(page: Page, name: str, tag: str | None = None, limit: int = 80) -> dict[str, Any]:
    """Press Tab until the focused element's label or text matches ``name`` (a regex)."""
    page.wait_for_load_state()  # after an Enter that navigated (to the hosted UI and back)
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = _active(page)
        seen.append(f"{active['tag']}:{active['name'][:30]}")
        if re.search(name, active["name"]) and (tag is None or active["tag"] == tag):
            return active
    raise AssertionError(f"no focusable {name!r} within {limit} tabs: {seen}")


def _active(page: Page) -> dict[str, Any]:
    for _ in range(3):
        try:
            active: dict[str, Any] = page.evaluate(ACTIVE)
            return active
        except Error as error:  # a navigation was still settling: read again once it has
            if "Execution context was destroyed" not in str(error):
                raise
            page.wait_for_load_state()
    raise AssertionError("the page kept navigating")


def type_into(page: Page, label: str, text: str) -> None:
    tab_to(page, label, "input")
    page.keyboard.type(text)


def test_pages_outside_the_journeys_have_no_serious_axe_findings(
    page: Page, portal_url: str, local_stack: LocalStack, axe_log: AxeLog
) -> None:
    page.goto(f"{portal_url}/products/term-life")
    expect(page.get_by_role("heading", name="Quote: Term Life Insurance")).to_be_visible()
    visit(page, "a11y-quote-signed-out", axe_log)
    page.goto(f"{portal_url}/plans")
    expect(page.get_by_role("search")).to_be_visible()
    page.get_by_role("button", name="Search plans").click()  # no ZIP: the API's error beside the field
    visit(page, "a11y-plans-empty", axe_log, shots=False)
    page.goto(f"{portal_url}/no/such/page")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    visit(page, "a11y-not-found", axe_log, shots=False)
    page.goto(f"{portal_url}/policies")
    expect(page.get_by_text("Please sign in to continue.")).to_be_visible()
    visit(page, "a11y-sign-in-prompt", axe_log, shots=False)

    # The hosted UI's pages: sign-in with a wrong password, sign-up, confirm.
    page.get_by_role("button", name="Create account").first.click()
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    visit(page, "a11y-hosted-signup", axe_log)
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("E-mail address").fill("nobody@example.com")
    page.get_by_label("Password").fill("Wrong-Password-2026!")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Incorrect username or password.")
    visit(page, "a11y-hosted-login-error", axe_log)

    email, password = local_stack.new_customer(f"a11y-{uuid.uuid4().hex[:8]}@example.com")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My policies")).to_be_visible()
    expect(page.get_by_text("You have no policies yet.")).to_be_visible()
    visit(page, "a11y-policies-empty", axe_log, shots=False)
    for link, heading, empty in (
        ("Applications", "My applications", "You have no applications yet."),
        ("Notifications", "Notifications", None),
        ("Profile", "Profile", None),
        ("My drug plan", "My drug plan", None),
    ):
        page.get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        if empty:
            expect(page.get_by_text(empty)).to_be_visible()
        visit(page, f"a11y-{link.lower().replace(' ', '-')}", axe_log)
    page.get_by_label("Beneficiary ID").fill("B-999999")
    page.get_by_label("Last name").fill("Nobody")
    page.get_by_label("Date of birth").fill("1950-01-01")
    page.get_by_label("Last 4 digits of your SSN").fill("0000")
    page.get_by_role("button", name="Link my record").click()
    expect(page.get_by_role("alert")).to_be_visible()
    visit(page, "a11y-link-refused", axe_log, shots=False)

    # Profile: saving shows the API's field error for a malformed phone number beside it.
    page.get_by_role("link", name="Profile", exact=True).click()
    page.get_by_label("First name").fill("Ana")
    page.get_by_label("Last name").fill("Silva")
    page.get_by_label(re.compile("Mobile phone")).fill("555")
    page.get_by_role("button", name="Save profile").click()
    phone = page.get_by_label(re.compile("Mobile phone"))
    expect(phone).to_have_attribute("aria-invalid", "true")
    visit(page, "a11y-profile-error", axe_log, shots=False)
    phone.fill("+15125550100")
    page.get_by_label("By text message").check()
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()


def test_quote_apply_and_pay_with_the_keyboard_alone(
    page: Page, portal_url: str, local_stack: LocalStack
) -> None:
    email, password = local_stack.new_customer(f"keys-{uuid.uuid4().hex[:8]}@example.com")
    page.goto(portal_url)
    expect(page.get_by_role("heading", name="Insurance products")).to_be_visible()
    tab_to(page, "^Sign in$", "button")
    page.keyboard.press("Enter")
    type_into(page, "E-mail address", email)
    type_into(page, "Password", password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    # Tab only once the content is there, as a person waits for the page to show it.
    expect(page.get_by_role("link", name=re.compile(r"Get a quote\W+Term Life"))).to_be_visible()

    tab_to(page, "Get a quote.*Term Life", "a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Quote: Term Life Insurance")).to_be_visible()
    tab_to(page, "Coverage", "select")
    page.keyboard.press("ArrowDown")  # the second option: $500,000 for 20 years
    tab_to(page, "State", "select")
    page.keyboard.type("TX")
    type_into(page, "Date of birth", "04021990")
    tab_to(page, "^Yes$|^No$", "input")  # the first radio of "Do you smoke?"
    page.keyboard.press("Space")
    expect(page.get_by_label("Coverage")).to_have_value("TL-500K-20")
    expect(page.get_by_label("State")).to_have_value("TX")
    tab_to(page, "Get my price", "button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("table", name="How we worked it out")).to_be_visible()
    tab_to(page, "Apply with this quote", "a")
    page.keyboard.press("Enter")

    expect(page.get_by_label("First name")).to_be_visible()
    type_into(page, "First name", "Kay")
    type_into(page, "Last name", "Board")
    type_into(page, "Date of birth", "04021990")
    type_into(page, "Last 4 digits", "1234")
    type_into(page, "Street address", "1 Main St")
    type_into(page, "^City", "Austin")
    tab_to(page, "State", "select")
    page.keyboard.type("TX")
    type_into(page, "ZIP code", "78701")
    for _ in range(4):  # each declaration: Tab reaches its group, the arrow answers "No"
        tab_to(page, "^Yes$", "input")
        page.keyboard.press("ArrowRight")
    tab_to(page, "I agree", "input")
    page.keyboard.press("Space")
    tab_to(page, "Submit application", "button")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Status: Approved")).to_be_visible()
    tab_to(page, "Accept and issue my policy", "button")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Awaiting payment")).to_be_visible()
    type_into(page, "Card number", "4242424242424242")
    type_into(page, "Expiry month", "12")
    type_into(page, "Expiry year", "39")
    type_into(page, "Security code", "123")
    tab_to(page, "^Pay ", "button")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Payment received. Thank you.")).to_be_visible()
    expect(page.get_by_text("Active", exact=True)).to_be_visible()
