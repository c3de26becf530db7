"""Staff reading customers: a list by e-mail or by last change, and one whole record.

Lists come from indexes, never a Scan. An e-mail is matched as stored (lower case), so
staff find a customer however they type the address.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from salesportal.data.dynamo import Page
from salesportal.domain.customers import CustomerRecord, CustomerSummary
from salesportal.errors import NotFound


class Customers(Protocol):
    def list_changed(
        self, *, since: datetime | None, limit: int, token: str | None
    ) -> Page[CustomerSummary]: ...

    def summaries_by_email(self, email: str) -> list[CustomerSummary]: ...

    def record(self, customer_id: str) -> CustomerRecord | None: ...


def find(
    customers: Customers, *, email: str | None, changed_since: datetime | None, limit: int, token: str | None
) -> Page[CustomerSummary]:
    """By e-mail (every match, one page), else by last change, newest first."""
    if email:
        return Page(customers.summaries_by_email(email.lower()), None)
    return customers.list_changed(since=changed_since, limit=limit, token=token)


def record(customers: Customers, customer_id: str) -> CustomerRecord:
    found = customers.record(customer_id)
    if found is None:
        raise NotFound("No such customer.", code="customer_not_found")
    return found
