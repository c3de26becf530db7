"""The portal's journeys in Chromium, on the offline stack, as a customer clicks through them."""

from __future__ import annotations

import re
import time
import uuid

import httpx
from playwright.sync_api import Page, expect

from infrastructure.local.users import random_password
from tests.e2e.conftest import LocalStack, enrolled_beneficiary
from tests.e2e.portal_browser import (  # noqa: F401  (the fixtures these tests use)
    AxeLog,
    axe_log_fixture,
    chromium_fixture,
    context_fixture,
    page_fixture,
    portal_url_fixture,
    sign_up,
    tokens_in_storage,
    visit,
)

DECLINED_CARD = "4000 0000 0000 0002"
GOOD_CARD = "4242 4242 4242 4242"


def _faults(local_stack: LocalStack, **faults: str) -> None:
    response = httpx.post(f"{local_stack.info['standins']['control_url']}/faults", json=faults)
    assert response.status_code == 200, response.text


def _fill_card(page: Page, number: str) -> None:
    page.get_by_label("Card number").fill(number)
    page.get_by_label("Expiry month (MM)").fill("12")
    page.get_by_label("Expiry year (YY)").fill("39")
    page.get_by_label("Security code").fill("123")


def test_customer_buys_pays_reads_and_cancels_a_policy(
    page: Page, portal_url: str, local_stack: LocalStack, axe_log: AxeLog
) -> None:
    started = time.monotonic()
    page.goto(portal_url)
    expect(page.get_by_role("heading", name="Insurance products")).to_be_visible()
    visit(page, "customer-01-products", axe_log)

    # Sign up through the hosted UI and come back signed in.
    email = f"buyer-{uuid.uuid4().hex[:8]}@example.com"
    sign_up(page, local_stack, email, random_password())
    assert tokens_in_storage(page) == []

    # Instant quote with its breakdown.
    page.get_by_role("link", name=re.compile(r"Get a quote\W+Term Life Insurance")).click()
    page.get_by_label("Coverage").select_option("TL-500K-20")
    page.get_by_label("State").select_option("TX")
    page.get_by_label("Date of birth").fill("1990-04-02")
    page.get_by_role("radio", name="No").check()
    page.get_by_role("button", name="Get my price").click()
    breakdown = page.get_by_role("table", name="How we worked it out")
    expect(breakdown).to_contain_text("age 30-39")
    expect(page.get_by_text(re.compile(r"^\$[\d,.]+ a month$"))).to_be_visible()
    visit(page, "customer-02-quote", axe_log)

    # A reload mid-flow keeps the quote (it is in the URL) and the session (hosted UI's).
    page.reload()
    expect(breakdown).to_be_visible()
    page.get_by_role("link", name="Apply with this quote").click()

    page.get_by_label("First name").fill("Ana")
    page.get_by_label("Last name").fill("Silva")
    page.get_by_label("Date of birth").fill("1990-04-02")
    page.get_by_label("Street address").fill("1 Main St")
    # The draft survives a reload; the SSN digits are never kept, so they are typed after.
    page.reload()
    expect(page.get_by_label("Street address")).to_have_value("1 Main St")
    page.get_by_label("Last 4 digits of your SSN").fill("1234")
    page.get_by_label("City").fill("Austin")
    page.get_by_label("ZIP code").fill("78701")
    for question in ("in hospital", "chronic condition", "hazardous activities", "declined you"):
        page.get_by_role("group", name=re.compile(question)).get_by_label("No").check()
    page.get_by_label("I agree to identity verification").check()
    visit(page, "customer-03-apply", axe_log)
    page.get_by_role("button", name="Submit application").click()

    # The status changes without a reload: automated underwriting approves.
    expect(page.get_by_text("Status: Approved")).to_be_visible()
    visit(page, "customer-04-approved", axe_log)
    page.get_by_role("button", name="Accept and issue my policy").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Policy "))).to_be_visible()
    expect(page.get_by_text("Awaiting payment")).to_be_visible()
    policy_id = page.url.rsplit("/", 1)[1]

    # A declined card is said plainly; the next attempt is a new one.
    _fill_card(page, DECLINED_CARD)
    page.get_by_role("button", name=re.compile(r"^Pay ")).click()
    expect(page.get_by_role("alert")).to_contain_text("declined")
    visit(page, "customer-05-pay-declined", axe_log)

    # The gateway goes down mid-payment: the attempt is kept and retried with the same key.
    _faults(local_stack, payments="down")
    try:
        _fill_card(page, GOOD_CARD)
        page.get_by_role("button", name=re.compile(r"^Pay ")).click()
        expect(page.get_by_role("alert")).to_contain_text("The payment service is not answering")
        visit(page, "customer-06-pay-outage", axe_log)
    finally:
        _faults(local_stack, payments="up")
    page.get_by_role("button", name="Retry payment").click()
    expect(page.get_by_text("Payment received. Thank you.")).to_be_visible()
    expect(page.get_by_text("Active", exact=True)).to_be_visible()
    ledger = httpx.get(f"{local_stack.info['standins']['control_url']}/ledger").json()
    charged = [
        i
        for i in ledger["paymentIntents"]
        if i["metadata"].get("policyId") == policy_id and i["status"] == "succeeded"
    ]
    assert len(charged) == 1, charged  # the retry did not charge twice

    # The policy PDF.
    download = page.get_by_role("link", name="Download policy (PDF)")
    expect(download).to_be_visible()
    pdf = httpx.get(download.get_attribute("href") or "")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    visit(page, "customer-07-policy", axe_log)

    # Notifications (sent by workers after the events; re-read until they arrive).
    page.get_by_role("link", name="Notifications").click()
    page.get_by_role("heading", name="Notifications").wait_for()
    page.wait_for_load_state("networkidle")
    deadline = time.monotonic() + 30
    while page.get_by_role("listitem").filter(has=page.get_by_role("heading")).count() == 0:
        assert time.monotonic() < deadline, "no notification arrived"
        page.reload()
        page.get_by_role("heading", name="Notifications").wait_for()
        page.wait_for_load_state("networkidle")
    visit(page, "customer-08-notifications", axe_log)

    # Cancel: the refund is shown before confirming, and is what the API refunds.
    page.goto(f"{portal_url}/policies/{policy_id}")
    page.get_by_role("button", name="Cancel this policy").click()
    page.get_by_label("Why are you cancelling?").select_option("FOUND_BETTER_PRICE")
    estimate = page.get_by_text(re.compile(r"Estimated refund if you cancel today: "))
    expect(estimate).to_be_visible()
    estimated = (estimate.text_content() or "").rsplit(": ", 1)[1]
    page.get_by_role("button", name="Review cancellation").click()
    visit(page, "customer-09-cancel-review", axe_log)
    page.get_by_role("button", name="Confirm cancellation").click()
    expect(page.get_by_text("Cancelled", exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile(rf"Refund: {re.escape(estimated)}\."))).to_be_visible()
    refunds = httpx.get(f"{local_stack.info['standins']['control_url']}/ledger").json()["refunds"]
    assert any(r.get("metadata", {}).get("policyId") == policy_id for r in refunds)
    visit(page, "customer-10-cancelled", axe_log)
    assert tokens_in_storage(page) == []
    print(f"customer journey: {time.monotonic() - started:.1f} s")


def test_drug_plan_search_to_comparison_after_linking(
    page: Page, portal_url: str, local_stack: LocalStack, axe_log: AxeLog
) -> None:
    page.goto(f"{portal_url}/plans")
    page.get_by_label("ZIP code").fill("78701")
    page.get_by_label("Coverage gap").check()
    page.get_by_label("Highest monthly cost, in dollars (optional)").fill("60")
    page.get_by_role("button", name="Search plans").click()
    results = page.get_by_role("link", name="Acme Rx Plus (demo)")
    expect(results.or_(page.get_by_role("button", name="Next page"))).to_be_visible()
    visit(page, "plans-01-search", axe_log)
    # Page on until the demo plan shows (the ZIP carries many generated plans too).
    pages = 1
    while results.count() == 0:
        page.get_by_role("button", name="Next page").click()
        pages += 1
        expect(page.get_by_text(f"Page {pages} ·")).to_be_visible()
    if pages > 1:
        visit(page, "plans-02-next-page", axe_log)
    results.click()

    expect(page.get_by_role("heading", name="Acme Rx Plus (demo)")).to_be_visible()
    page.get_by_label("Full name").fill("Sam Okafor")
    page.get_by_label("Street address").fill("1 Main St")
    page.get_by_label("City").fill("Austin")
    page.get_by_label("State").select_option("TX")
    page.get_by_label("ZIP code").fill("78702")
    page.get_by_role("button", name="Mail it to me").click()
    expect(page.get_by_text(re.compile(r"^On its way: request "))).to_be_visible()
    visit(page, "plans-03-detail-mailed", axe_log)

    # Comparing needs an account: sign up from the sign-in prompt, land back on the comparison.
    page.get_by_role("link", name="Compare with my current plan").click()
    expect(page.get_by_text("Please sign in to continue.")).to_be_visible()
    sign_up(page, local_stack, f"dana-{uuid.uuid4().hex[:8]}@example.com", random_password())
    expect(page.get_by_role("heading", name="Compare plans")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Link your account")
    page.get_by_role("link", name="Link your Medicare record").click()

    record = enrolled_beneficiary(local_stack, "DEMO-BASIC", "Rivera", "1950-03-14")
    page.get_by_label("Beneficiary ID").fill(record["beneficiaryId"])
    page.get_by_label("Last name").fill(record["lastName"])
    page.get_by_label("Date of birth").fill(record["birthDate"])
    page.get_by_label("Last 4 digits of your SSN").fill(record["ssnLast4"])
    page.get_by_role("button", name="Link my record").click()
    expect(page.get_by_role("heading", name="Your current plan")).to_be_visible()
    expect(page.get_by_role("link", name="Acme Rx Basic (demo)")).to_be_visible()
    visit(page, "plans-04-enrollment", axe_log)

    page.goto(f"{portal_url}/plans/DEMO-PLUS/compare")
    table = page.get_by_role("table")
    expect(table).to_contain_text("DEMO-BASIC")
    expect(table).to_contain_text("DEMO-PLUS")
    expect(page.get_by_role("row", name=re.compile("Insulin savings"))).to_contain_text("$35 cap")
    visit(page, "plans-05-compare", axe_log)
