"""An admin finds a user by the start of their e-mail in Chromium, on the offline stack: typed in
any case, kept in the address, an empty result said in words, and text that could change
Cognito's filter refused beside the field without being sent. The search page is axe-checked."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

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


def test_an_admin_finds_a_user_by_the_start_of_their_email(
    page: Page, portal_url: str, local_stack: LocalStack, axe_log: AxeLog
) -> None:
    tag = uuid.uuid4().hex[:8]
    wanted, _ = local_stack.new_customer(f"search-{tag}@example.com")
    longer, _ = local_stack.new_customer(f"search-{tag}x@example.com")  # shares the start

    page.goto(f"{portal_url}/admin/users")
    admin = local_stack.info["users"]["admin"]
    sign_in(page, admin["username"], admin["password"])
    field = page.get_by_role("searchbox", name="E-mail starts with")
    show = page.get_by_role("button", name="Show users")

    field.fill(f"  SEARCH-{tag}")
    show.click()
    expect(page).to_have_url(re.compile(rf"/admin/users\?email=SEARCH-{tag}$"))
    table = page.get_by_role("table")
    expect(table.get_by_role("link")).to_have_count(2)
    for email in (wanted, longer):
        expect(table.get_by_role("link", name=email, exact=True)).to_be_visible()
    visit(page, "admin-users-by-email", axe_log, shots=False)

    field.fill(f"Search-{tag}@Example.com")
    show.click()
    expect(table.get_by_role("link")).to_have_text([wanted])

    field.fill(f"nobody-{tag}@")
    show.click()
    expect(
        page.get_by_text(f'No user with these filters has an e-mail address starting with "nobody-{tag}@".')
    ).to_be_visible()

    address = page.url
    field.fill('a" or email ^= "')
    show.click()
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Enter the start of an e-mail address, without spaces")).to_be_visible()
    assert page.url == address
