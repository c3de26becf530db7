"""What the AI assistant may read about a customer, as a ``CustomerSnapshot``.

Reads the customers and sales tables through their repositories and keeps only the fields
``salesportal.domain.assistant`` lets a model see; the item attribute names stay here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from salesportal.data.applications import ApplicationsRepository
from salesportal.data.customers import CustomerRepository
from salesportal.data.sales import SalesRepository
from salesportal.domain.assistant import (
    ApplicationSummary,
    ContactPreferences,
    CustomerSnapshot,
    PolicySummary,
)
from salesportal.domain.sales import Application

LISTED = 20  # policies and applications each: enough for an answer, bounded for the prompt


def _text(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _moment(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _policy(item: Mapping[str, Any]) -> PolicySummary:
    premium = item.get("annualPremium") or {}
    cents = premium.get("amountCents")
    return PolicySummary(
        policy_number=_text(item.get("policyNumber")),
        product_id=_text(item.get("productId")),
        status=_text(item.get("status")),
        term_start=_day(item.get("termStart")),
        term_end=_day(item.get("termEnd")),
        premium_cents=int(cents) if cents is not None else None,
        currency=str(premium.get("currency") or "USD"),
    )


def _application(application: Application) -> ApplicationSummary:
    return ApplicationSummary(
        application_id=application.application_id,
        product_id=application.product_id,
        status=application.status,
        submitted_at=application.submitted_at,
    )


def _preferences(value: object) -> ContactPreferences | None:
    if not isinstance(value, Mapping):
        return None
    return ContactPreferences(email=bool(value.get("email")), sms=bool(value.get("sms")))


@dataclass(frozen=True)
class StoredCustomerFacts:
    customers: CustomerRepository
    sales: SalesRepository

    def snapshot(self, customer_id: str) -> CustomerSnapshot:
        profile = self.customers.get(customer_id) or {}
        policies = self.sales.list_policies(customer_id, limit=LISTED, token=None).items
        own = ApplicationsRepository(self.sales.table_name)
        applications = own.applications(customer_id, limit=LISTED, token=None).items
        return CustomerSnapshot(
            given_name=_text(profile.get("givenName")),
            family_name=_text(profile.get("familyName")),
            state=_text((profile.get("address") or {}).get("state")),
            customer_since=_moment(profile.get("createdAt")),
            contact_preferences=_preferences(profile.get("contactPreferences")),
            policies=tuple(_policy(p) for p in policies),
            applications=tuple(_application(a) for a in applications),
        )
