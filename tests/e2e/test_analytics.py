"""Analytics over the offline stack: today's counters include this run's own sign-ups,
sign-ins, quotes and applications (counted from the domain events and the sign-in trigger)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.e2e.test_sales_funnel import _apply, eventually

pytestmark = pytest.mark.e2e


def _since(local_stack, first_day: str) -> dict[str, Any]:
    """Totals from ``first_day`` to today: a run that crosses midnight (UTC) is counted whole."""
    today = datetime.now(UTC).date().isoformat()
    response = local_stack.request(
        "GET", "/admin/analytics", role="admin", params={"from": first_day, "to": today}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["days"][0]["day"] == first_day and body["days"][-1]["day"] == today
    return body["totals"]  # type: ignore[no-any-return]


def test_todays_analytics_count_this_runs_sign_ups_sign_ins_quotes_and_applications(local_stack):
    first_day = datetime.now(UTC).date().isoformat()
    before = _since(local_stack, first_day)
    email, password = local_stack.new_customer(f"counted-{uuid.uuid4().hex[:6]}@example.com")
    local_stack.sign_in(email, password)
    token = local_stack.sign_in(email, password)["IdToken"]

    def customer(method: str, path: str, **kwargs: Any) -> Any:
        return local_stack.request(method, path, token=token, **kwargs)

    _apply(customer)
    _apply(customer)

    # Other tests share the stack (and its pipeline may still be busy): at least this run's.
    grown = {"signUps": 1, "signIns": 2, "activeUsers": 1, "quotes": 2, "applications": 2}

    def counted() -> dict[str, Any] | None:
        now = _since(local_stack, first_day)
        return now if all(now[k] >= before[k] + n for k, n in grown.items()) else None

    after = eventually(counted, what="today's analytics to count the run")
    assert after["applicationsByStatus"]["SUBMITTED"] == after["applications"]


def test_analytics_are_for_admins_and_refuse_a_backwards_range(local_stack):
    days = {"from": "2026-11-02", "to": "2026-11-01"}
    assert local_stack.request("GET", "/admin/analytics", role="agent", params=days).status_code == 403
    bad = local_stack.request("GET", "/admin/analytics", role="admin", params=days)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_parameter"
    assert [d["field"] for d in bad.json()["error"]["details"]] == ["from"]
