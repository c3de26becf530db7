"""Customer data between Salesforce (the CRM of record) and the portal. Pure.

Field ownership decides every conflict:
- Salesforce owns the CRM fields (account, lead source, lifetime value, its own id);
- the portal owns the profile a customer edits and their contact preferences;
- shared fields (email, phone): the later change wins; the loser is reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal, NotRequired, TypedDict

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


# The contact choices a customer keeps: the portal's {"email": bool, "sms": bool}, or the
# picklist text a pull took from Salesforce for a customer who had none.
type Preferences = Mapping[str, bool] | str


@dataclass(frozen=True, slots=True)
class CrmCustomer:
    """A customer as a sync run sees it: the fields a merge, a push or a match looks at.

    Read from the customers table by its repository (salesportal.data.customers); stamps stay
    the ISO text they are stored as, since a push orders and compares them as text.
    """

    customer_id: str
    email: str | None = None
    phone: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    contact_preferences: Preferences | None = None
    salesforce_id: str | None = None
    account_name: str | None = None
    lead_source: str | None = None
    lifetime_value: Decimal | int | None = None
    source: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    deleted: bool = False
    deleted_at: str | None = None

    def crm_value(self, name: str) -> object:
        """The value of a CRM field (a ``CrmFields`` name: ``FIELD_OWNERSHIP``'s, ``deleted``,
        ``deletedAt``)."""
        return getattr(self, _FIELD_OF[name])


# CrmFields names (the portal's side of FIELD_OWNERSHIP, which run reports name conflicts by)
# -> CrmCustomer's fields.
_FIELD_OF: Mapping[str, str] = {
    "salesforceId": "salesforce_id",
    "accountName": "account_name",
    "leadSource": "lead_source",
    "lifetimeValue": "lifetime_value",
    "givenName": "given_name",
    "familyName": "family_name",
    "contactPreferences": "contact_preferences",
    "email": "email",
    "phone": "phone",
    "deleted": "deleted",
    "deletedAt": "deleted_at",
}


@dataclass(frozen=True, slots=True)
class NewCustomer:
    """A customer a pull creates from a Contact: the CRM fields it starts with (and any a
    later Contact on the same page adds), when the Contact was last changed, who and when."""

    customer_id: str
    fields: CrmFields
    modified: str
    actor: str
    synced_at: str

    def with_fields(self, fields: CrmFields) -> NewCustomer:
        return replace(self, fields={**self.fields, **fields})


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
    """The customer as ``fields`` leave it (every name a sync writes is one of ``_FIELD_OF``'s)."""
    changes: dict[str, Any] = {_FIELD_OF[name]: value for name, value in fields.items()}
    return replace(customer, **changes)


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
    portal_changed = datetime.fromisoformat(customer.updated_at) if customer and customer.updated_at else None
    updates: CrmFields = {}
    conflicts: list[Conflict] = []
    for attribute, (owner, sf_field) in FIELD_OWNERSHIP.items():
        value = _crm_value(_get(contact, sf_field))
        if value is None or (isinstance(value, str) and not value):
            continue
        current = customer.crm_value(attribute) if customer is not None else None
        if owner == "portal" and customer is not None and current is not None:
            continue  # the portal's own field: Salesforce's copy never overwrites it
        if attribute == "contactPreferences" and isinstance(value, str):
            value = choices_of(value)  # stored in the portal's own form
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


def choices_of(picklist: str) -> dict[str, bool]:
    """Salesforce's preferences picklist text ("Email;SMS") as the portal's choices."""
    chosen = {part.strip().lower() for part in picklist.split(";")}
    return {key: label.lower() in chosen for key, label in _PICKLIST}


def needs_push(customer: CrmCustomer) -> str | None:
    """Why a changed customer is not sent to Salesforce, or None when it is.

    A customer created by a pull and never edited in the portal has nothing Salesforce
    does not already hold; Salesforce requires a last name to create a Contact.
    """
    if customer.deleted:
        return "deleted"
    if customer.source == "salesforce" and customer.updated_at == customer.created_at:
        return "unchanged since pulled"
    if not customer.family_name and not customer.salesforce_id:
        return "no family name yet"
    return None


def contact_for_push(customer: CrmCustomer) -> ContactFields:
    """The Contact fields the portal owns or shares, from a customer. Salesforce's own
    fields are never sent; empty values are left out rather than clearing Salesforce's."""
    contact: ContactFields = {PORTAL_ID_FIELD: customer.customer_id}
    for attribute, (owner, sf_field) in FIELD_OWNERSHIP.items():
        if owner == "salesforce":
            continue
        value = customer.crm_value(attribute)
        if attribute == "contactPreferences" and isinstance(value, Mapping):
            value = ";".join(label for key, label in _PICKLIST if value.get(key)) or None
        if value not in (None, ""):
            contact[sf_field] = str(value)
    if customer.salesforce_id:
        contact["Id"] = customer.salesforce_id
    return contact
