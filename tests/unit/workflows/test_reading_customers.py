"""Staff reading customers with in-memory records: by e-mail however it is typed, by last
change newest first, and one record or a 404."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from salesportal.errors import NotFound
from salesportal.workflows import reading_customers as reading
from tests.fakes.customers import FakeCustomers, a_record

EARLY, LATE = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)


def _customers() -> FakeCustomers:
    return FakeCustomers(
        {
            "c1": a_record("c1", "dana@example.com", EARLY),
            "c2": a_record("c2", "lee@example.com", LATE),
        }
    )


def test_an_email_finds_every_customer_with_it_however_it_is_typed_in_one_page():
    customers = _customers()
    page = reading.find(customers, email="Dana@Example.COM", changed_since=LATE, limit=1, token="5")
    assert [c.customer_id for c in page.items] == ["c1"] and page.next_token is None
    assert customers.listed == []  # the e-mail index, not the list by change


def test_without_an_email_customers_list_by_last_change_newest_first():
    customers = _customers()
    page = reading.find(customers, email=None, changed_since=None, limit=1, token=None)
    assert [c.customer_id for c in page.items] == ["c2"] and page.next_token
    rest = reading.find(customers, email=None, changed_since=None, limit=1, token=page.next_token)
    assert [c.customer_id for c in rest.items] == ["c1"] and rest.next_token is None
    since = reading.find(customers, email=None, changed_since=LATE, limit=10, token=None)
    assert [c.customer_id for c in since.items] == ["c2"]


def test_a_record_or_customer_not_found():
    customers = _customers()
    assert reading.record(customers, "c1").profile.email == "dana@example.com"
    with pytest.raises(NotFound) as refused:
        reading.record(customers, "nobody")
    assert refused.value.code == "customer_not_found"
