"""Analytics over the offline stack: today's counters include this run's own sign-in, quote
and application (counted from the domain events and the sign-in trigger)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.e2e.test_sales_funnel import _apply, eventually

pytestmark = pytest.mark.e2e


def _today(local_stack) -> dict[str, Any]:
    today = datetime.now(UTC).date().isoformat()
    response = local_stack.request(
        "GET", "/admin/analytics", role="admin", params={"from": today, "to": today}
    )
    assert response.status_code == 200, response.text
    return response.json()["totals"]


def test_todays_analytics_count_this_runs_sign_in_quote_and_application(local_stack):
    before = _today(local_stack)
    email, password = local_stack.new_customer(f"counted-{uuid.uuid4().hex[:6]}@example.com")
    token = local_stack.sign_in(email, password)["IdToken"]

    def customer(method: str, path: str, **kwargs: Any) -> Any:
        return local_stack.request(method, path, token=token, **kwargs)

    _apply(customer)

    def counted():
        now = _today(local_stack)
        grew = all(now[k] >= before[k] + 1 for k in ("signUps", "signIns", "quotes", "applications"))
        return now if grew else None

    after = eventually(counted, what="today's analytics to count the run")
    assert after["activeUsers"] >= before["activeUsers"] + 1
    assert (
        local_stack.request(
            "GET", "/admin/analytics", role="agent", params={"from": "2026-11-01", "to": "2026-11-02"}
        ).status_code
        == 403
    )
    bad = local_stack.request(
        "GET", "/admin/analytics", role="admin", params={"from": "2026-11-02", "to": "2026-11-01"}
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_parameter"
