"""Customers as staff read them: a line in a list, and the whole record (the profile the
customer keeps plus what the CRM says of them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from salesportal.domain.profile import CustomerProfile


@dataclass(frozen=True, slots=True)
class CustomerSummary:
    customer_id: str
    updated_at: datetime  # the portal's own last change (CRM writes leave it alone)
    email: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    salesforce_id: str | None = None
    deleted: bool = False  # deleted in Salesforce; the history is kept


@dataclass(frozen=True, slots=True)
class CrmFacts:
    """What Salesforce, the CRM of record, says of a customer (its fields, not the portal's)."""

    salesforce_id: str | None = None
    account_name: str | None = None
    lead_source: str | None = None
    lifetime_value: Decimal | None = None
    source: str | None = None  # "salesforce" when the customer came from the CRM
    synced_at: datetime | None = None
    deleted: bool = False
    deleted_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    profile: CustomerProfile
    crm: CrmFacts
