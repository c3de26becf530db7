"""Portal measurements against a running offline stack (make local, make web): the time from
the hosted UI's redirect back to the first rendered account page, and the API calls each
page makes. ``python -m benchmarks.portal [.local/stack.json]``; Chromium as in the tests."""

from __future__ import annotations

import json
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from playwright.sync_api import Request, sync_playwright

from tests.e2e.portal_browser import CHROMIUM, CHROMIUM_ARGS

PAGES = [
    ("products", "/", "Insurance products"),
    ("quote form", "/products/term-life", "Quote: Term Life Insurance"),
    ("policies", "/policies", "My policies"),
    ("applications", "/applications", "My applications"),
    ("notifications", "/notifications", "Notifications"),
    ("profile", "/profile", "Profile"),
    ("my drug plan", "/enrollment", "My drug plan"),
    ("plan search", "/plans?zip=78701", "Find a drug plan"),
    ("plan detail", "/plans/DEMO-PLUS", "Acme Rx Plus (demo)"),
]


def main(stack_file: str = ".local/stack.json") -> None:
    stack = json.loads(Path(stack_file).read_text())
    portal, api = stack["portal_url"], urlsplit(stack["api_url"]).netloc
    email, password = f"bench-{uuid.uuid4().hex[:8]}@example.com", f"Pw-{uuid.uuid4().hex[:12]}-9!"
    httpx.post(
        f"{stack['control_url']}/users", json={"email": email, "password": password}
    ).raise_for_status()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        calls: list[str] = []

        def count(request: Request) -> None:
            if urlsplit(request.url).netloc == api and request.method != "OPTIONS":
                calls.append(f"{request.method} {urlsplit(request.url).path}")

        page.on("request", count)
        page.goto(f"{portal}/policies")
        page.get_by_role("button", name="Sign in").first.click()
        page.get_by_label("E-mail address").fill(email)
        page.get_by_label("Password").fill(password)
        with page.expect_navigation(url=f"{portal}/callback*"):
            page.get_by_role("button", name="Sign in").click()
        back = time.perf_counter()
        page.get_by_text("You have no policies yet.").wait_for()
        print(
            f"hosted-UI redirect -> first account page rendered: {(time.perf_counter() - back) * 1000:.0f} ms"
        )
        for name, path, heading in PAGES:
            calls.clear()
            started = time.perf_counter()
            page.goto(f"{portal}{path}")  # a full load: sign-in resumes through the hosted UI
            page.get_by_role("heading", name=heading).first.wait_for()
            page.wait_for_load_state("networkidle")
            elapsed = (time.perf_counter() - started) * 1000
            print(f"{name:<14} {len(calls)} API call(s) {sorted(set(calls))}  full load {elapsed:.0f} ms")
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
