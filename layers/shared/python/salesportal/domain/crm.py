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
from typing import Literal, NotRequired, TypedDict, cast

from salesportal.domain.raw import JsonObject, JsonValue

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
# A Contact as Salesforce's REST API returns it (``Account.Name`` nested, stamps as text).
type Contact = JsonObject
# A value a sync writes on a customer: text, a flag, Salesforce's numbers as Decimal, preferences.
type CrmValue = str | int | bool | Decimal | Mapping[str, bool] | None
type CrmFields = dict[str, CrmValue]
# The Contact fields a push sends: all text (preferences become Salesforce's picklist string).
type ContactFields = dict[str, str]


class CrmCustomer(TypedDict, total=False):
    """A customer as a sync run reads and writes it (the customers repository's attribute
    names: the fields a merge, a push or a match looks at)."""

    customerId: str
    email: str | None
    phone: str | None
    givenName: str | None
    familyName: str | None
    contactPreferences: Mapping[str, bool] | None
    salesforceId: str | None
    accountName: str | None
    leadSource: str | None
    lifetimeValue: Decimal | None
    source: str
    createdAt: str
    updatedAt: str
    deleted: bool
    deletedAt: str


class Conflict(TypedDict):
    field: str
    kept: Literal["portal", "salesforce"]
    lost: Literal["portal", "salesforce"]
    salesforceId: NotRequired[str]


class SaveError(TypedDict, total=False):
    statusCode: str | None
    message: str | None


class SaveResult(TypedDict, total=False):
    """One record's result from a composite sObject collection call."""

    id: str
    success: bool
    created: bool
    errors: list[SaveError]


type Cursor = str  # a page token a listing handed out (data.dynamo.encode_cursor), given back as is


class PullReport(TypedDict, total=False):
    status: str
    watermarkBefore: str
    watermarkAfter: str
    pages: int
    records: int
    created: int
    updated: int
    unchanged: int
    deleted: int
    linksBackfilled: int
    conflicts: list[Conflict]
    conflictCount: int


class PushError(TypedDict):
    customerId: str
    errors: list[SaveError]


class PushReport(TypedDict, total=False):
    status: str
    watermarkBefore: str
    watermarkAfter: str
    windowUntil: str
    resumed: bool
    considered: int
    sent: int
    created: int
    updated: int
    skipped: int
    alreadySent: int
    failed: int
    errors: list[PushError]


class RunReport(TypedDict, total=False):
    """A run's record in the control table, as ``GET /salesforce/sync/{runId}`` shows it."""

    runId: str
    direction: str
    trigger: str
    status: str
    requestedBy: str
    queuedAt: str
    attempts: int
    startedAt: str
    finishedAt: str
    error: str
    pull: PullReport
    push: PushReport


class PushCheckpoint(TypedDict, total=False):
    """Where the push got to: the window of ``updatedAt`` it reads and the last page sent."""

    since: str
    until: str | None
    startKey: Cursor | None
    refused: bool
    recent: list[str]
    skip: list[str]
    seq: int


class BackfillState(TypedDict, total=False):
    done: bool
    cursor: str | None
    linked: int


OVERLAP = timedelta(minutes=5)  # re-read a little before the watermark: clock skew, same-stamp ties


def parse_stamp(value: str) -> datetime:
    """Salesforce's ``2026-01-01T10:00:00.000+0000`` as an aware datetime."""
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%f%z").astimezone(UTC)


def _get(record: Contact, path: str) -> JsonValue:
    value: JsonValue = record
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _crm_value(value: JsonValue) -> CrmValue:
    """Floats from Salesforce's JSON become Decimal (DynamoDB refuses floats), via str to keep
    the digits; a nested value (none of the fields read has one) is left out."""
    if isinstance(value, float):
        return Decimal(str(value))
    return value if isinstance(value, str | int | bool) else None


def text(contact: Contact, name: str) -> str:
    """A Contact's text field (``Id``, ``Email``, the stamps), "" when absent or not text."""
    value = contact.get(name)
    return value if isinstance(value, str) else ""


def with_fields(customer: CrmCustomer, fields: CrmFields) -> CrmCustomer:
    """The customer as ``fields`` leave it. Every key a sync writes (``FIELD_OWNERSHIP``'s
    attributes, ``deleted``, ``deletedAt``) is one of CrmCustomer's, with a value of its type."""
    return cast(CrmCustomer, {**customer, **fields})


class QueueUnavailable(Exception):
    """A run could not be handed to the sync worker's queue."""


@dataclass(frozen=True, slots=True)
class Link:
    """A Contact's link to the customer it is (a hint, used only while the customer agrees)."""

    salesforce_id: str
    customer_id: str


@dataclass(frozen=True)
class Merge:
    updates: CrmFields
    conflicts: list[Conflict] = field(default_factory=list)


def merge_contact(contact: Contact, customer: CrmCustomer | None) -> Merge:
    """What a pulled Contact changes on the portal's customer (None: a new customer)."""
    modified = parse_stamp(text(contact, "LastModifiedDate"))
    portal_changed = (
        datetime.fromisoformat(customer["updatedAt"]) if customer and customer.get("updatedAt") else None
    )
    updates: CrmFields = {}
    conflicts: list[Conflict] = []
    known: Mapping[str, object] = customer or {}
    for attribute, (owner, sf_field) in FIELD_OWNERSHIP.items():
        value = _crm_value(_get(contact, sf_field))
        if value is None or (isinstance(value, str) and not value):
            continue
        current = known.get(attribute)
        if owner == "portal" and customer is not None and current is not None:
            continue  # the portal's own field: Salesforce's copy never overwrites it
        if owner == "shared" and customer is not None and current not in (None, value):
            if portal_changed is not None and portal_changed > modified:
                conflicts.append({"field": attribute, "kept": "portal", "lost": "salesforce"})
                continue
            conflicts.append({"field": attribute, "kept": "salesforce", "lost": "portal"})
        if current != value:
            updates[attribute] = value
    email = updates.get("email")
    if isinstance(email, str):
        updates["email"] = email.lower()
    return Merge(updates, conflicts)


# -- push: the portal's side of a customer, as a Salesforce Contact ------------------------
PORTAL_ID_FIELD = "Portal_Customer_Id__c"  # the Contact's external id: upserts match on it
_PICKLIST = (("email", "Email"), ("sms", "SMS"))


def needs_push(customer: CrmCustomer) -> str | None:
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


def contact_for_push(customer: CrmCustomer) -> ContactFields:
    """The Contact fields the portal owns or shares, from a customer. Salesforce's own
    fields are never sent; empty values are left out rather than clearing Salesforce's."""
    contact: ContactFields = {PORTAL_ID_FIELD: customer["customerId"]}
    fields: Mapping[str, object] = customer
    for attribute, (owner, sf_field) in FIELD_OWNERSHIP.items():
        if owner == "salesforce":
            continue
        value = fields.get(attribute)
        if attribute == "contactPreferences" and isinstance(value, Mapping):
            value = ";".join(label for key, label in _PICKLIST if value.get(key)) or None
        if value not in (None, ""):
            contact[sf_field] = str(value)
    salesforce_id = customer.get("salesforceId")
    if salesforce_id:
        contact["Id"] = salesforce_id
    return contact
