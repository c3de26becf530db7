"""Customer data between Salesforce (the CRM of record) and the portal. Pure.

Field ownership decides every conflict:
- Salesforce owns the CRM fields (account, lead source, lifetime value, its own id);
- the portal owns the profile a customer edits and their contact preferences;
- shared fields (email, phone): the later change wins; the loser is reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

Owner = Literal["salesforce", "portal", "shared"]
# portal attribute -> (owner, Salesforce field)
FIELD_OWNERSHIP: Mapping[str, tuple[Owner, str]] = {
    "salesforceId": ("salesforce", "Id"),
    "accountName": ("salesforce", "Account.Name"),
    "leadSource": ("salesforce", "LeadSource"),
    "lifetimeValue": ("salesforce", "Lifetime_Value__c"),
    "givenName": ("portal", "FirstName"),
    "familyName": ("portal", "LastName"),
    "contactPreferences": ("portal", "Portal_Contact_Preferences__c"),
    "email": ("shared", "Email"),
    "phone": ("shared", "Phone"),
}
OVERLAP = timedelta(minutes=5)  # re-read a little before the watermark: clock skew, same-stamp ties


def parse_stamp(value: str) -> datetime:
    """Salesforce's ``2026-01-01T10:00:00.000+0000`` as an aware datetime."""
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%f%z").astimezone(UTC)


def _get(record: Mapping[str, Any], path: str) -> Any:
    value: Any = record
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _decimal(value: Any) -> Any:
    """Floats from Salesforce's JSON become Decimal (DynamoDB refuses floats), via str to keep the digits."""
    return Decimal(str(value)) if isinstance(value, float) else value


class QueueUnavailable(Exception):
    """A run could not be handed to the sync worker's queue."""


@dataclass(frozen=True, slots=True)
class Link:
    """A Contact's link to the customer it is (a hint, used only while the customer agrees)."""

    salesforce_id: str
    customer_id: str


@dataclass(frozen=True)
class Merge:
    updates: dict[str, Any]
    conflicts: list[dict[str, Any]] = field(default_factory=list)


def merge_contact(contact: Mapping[str, Any], customer: Mapping[str, Any] | None) -> Merge:
    """What a pulled Contact changes on the portal's customer (None: a new customer)."""
    modified = parse_stamp(contact["LastModifiedDate"])
    portal_changed = (
        datetime.fromisoformat(customer["updatedAt"]) if customer and customer.get("updatedAt") else None
    )
    updates: dict[str, Any] = {}
    conflicts = []
    for attribute, (owner, sf_field) in FIELD_OWNERSHIP.items():
        value = _decimal(_get(contact, sf_field))
        if value is None or (isinstance(value, str) and not value):
            continue
        current = (customer or {}).get(attribute)
        if owner == "portal" and customer is not None and current is not None:
            continue  # the portal's own field: Salesforce's copy never overwrites it
        if owner == "shared" and customer is not None and current not in (None, value):
            if portal_changed is not None and portal_changed > modified:
                conflicts.append({"field": attribute, "kept": "portal", "lost": "salesforce"})
                continue
            conflicts.append({"field": attribute, "kept": "salesforce", "lost": "portal"})
        if current != value:
            updates[attribute] = value
    if isinstance(updates.get("email"), str):
        updates["email"] = updates["email"].lower()
    return Merge(updates, conflicts)


# -- push: the portal's side of a customer, as a Salesforce Contact ------------------------
PORTAL_ID_FIELD = "Portal_Customer_Id__c"  # the Contact's external id: upserts match on it
_PICKLIST = (("email", "Email"), ("sms", "SMS"))


def needs_push(customer: Mapping[str, Any]) -> str | None:
    """Why a changed customer is not sent to Salesforce, or None when it is.

    A customer created by a pull and never edited in the portal has nothing Salesforce
    does not already hold; Salesforce requires a last name to create a Contact.
    """
    if customer.get("deleted"):
        return "deleted"
    if customer.get("source") == "salesforce" and customer.get("updatedAt") == customer.get("createdAt"):
        return "unchanged since pulled"
    if not customer.get("familyName") and not customer.get("salesforceId"):
        return "no family name yet"
    return None


def contact_for_push(customer: Mapping[str, Any]) -> dict[str, Any]:
    """The Contact fields the portal owns or shares, from a customer. Salesforce's own
    fields are never sent; empty values are left out rather than clearing Salesforce's."""
    contact: dict[str, Any] = {PORTAL_ID_FIELD: customer["customerId"]}
    for attribute, (owner, sf_field) in FIELD_OWNERSHIP.items():
        if owner == "salesforce":
            continue
        value = customer.get(attribute)
        if attribute == "contactPreferences" and isinstance(value, Mapping):
            value = ";".join(label for key, label in _PICKLIST if value.get(key)) or None
        if value not in (None, ""):
            contact[sf_field] = value
    if customer.get("salesforceId"):
        contact["Id"] = customer["salesforceId"]
    return contact
