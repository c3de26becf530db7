"""The customers table.

Access patterns:
- profile by customer id (the Cognito ``sub``): GetItem pk=CUSTOMER#<id>, sk=PROFILE
- customer by email: Query index byEmail (email)
- customer by Salesforce id: Query index bySalesforceId (salesforceId); for a whole page of
  Contacts at once, the sync's link items (salesportal.data.salesforce_links) then
  BatchGetItem of the profiles (``get_many``)

Items carry ``entityType``/``entityId`` and ``lastModifiedBy`` so the stream processor can
audit every committed change with its actor (the table's stream is the outbox).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from salesportal.data.attempts import AttemptCounter
from salesportal.data.dynamo import (
    Page,
    TableRepository,
    decode_cursor,
    encode_cursor,
    from_item,
    index_key,
    set_expression,
    to_item,
)
from salesportal.data.salesforce_links import batch_get
from salesportal.domain.assistant import ContactPreferences, CustomerSnapshot
from salesportal.domain.crm import CrmCustomer, NewCustomer, Preferences, choices_of
from salesportal.domain.customers import CrmFacts, CustomerRecord, CustomerSummary
from salesportal.domain.languages import language_of
from salesportal.domain.notifications import Recipient
from salesportal.domain.profile import ContactChoice, CustomerProfile, PostalAddress, ProfileChange

ENTITY = "customer"
PROFILE_SK = "PROFILE"
# Profile fields a customer edits; PUT /me replaces them all, removing those left out.
EDITABLE = (
    "givenName",
    "familyName",
    "phone",
    "dateOfBirth",
    "address",
    "contactPreferences",
    "preferredLanguage",
)


def _key(customer_id: str) -> dict[str, Any]:
    return to_item({"pk": f"CUSTOMER#{customer_id}", "sk": PROFILE_SK})


def _public(item: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v for k, v in item.items() if k not in {"pk", "sk", "entityType", "entityId", "lastModifiedBy"}
    }


def _editable(change: ProfileChange) -> dict[str, Any]:
    address = change.address
    return {
        "givenName": change.given_name,
        "familyName": change.family_name,
        "phone": change.phone,
        "dateOfBirth": change.date_of_birth.isoformat() if change.date_of_birth else None,
        "address": None
        if address is None
        else {
            k: v
            for k, v in {
                "line1": address.line1,
                "line2": address.line2,
                "city": address.city,
                "state": address.state,
                "postalCode": address.postal_code,
            }.items()
            if v is not None
        },
        "contactPreferences": {"email": change.contact.email, "sms": change.contact.sms},
        "preferredLanguage": change.preferred_language,
    }


def _profile(item: dict[str, Any]) -> CustomerProfile:
    address = item.get("address")
    prefs = _stored_choices(item.get("contactPreferences"))
    birth = item.get("dateOfBirth")
    return CustomerProfile(
        customer_id=item["customerId"],
        created_at=datetime.fromisoformat(item["createdAt"]),
        updated_at=datetime.fromisoformat(item["updatedAt"]),
        version=int(item["version"]),
        email=item.get("email"),
        given_name=item.get("givenName"),
        family_name=item.get("familyName"),
        phone=item.get("phone"),
        date_of_birth=date.fromisoformat(birth) if birth else None,
        address=None
        if not address
        else PostalAddress(
            line1=address.get("line1"),
            line2=address.get("line2"),
            city=address.get("city"),
            state=address.get("state"),
            postal_code=address.get("postalCode"),
        ),
        contact=ContactChoice(email=bool(prefs.get("email", True)), sms=bool(prefs.get("sms", False))),
        preferred_language=language_of(item.get("preferredLanguage")),
    )


def _stamp(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _summary(item: dict[str, Any]) -> CustomerSummary:
    return CustomerSummary(
        customer_id=item.get("customerId") or item["entityId"],
        updated_at=datetime.fromisoformat(item["updatedAt"]),
        email=item.get("email"),
        given_name=item.get("givenName"),
        family_name=item.get("familyName"),
        salesforce_id=item.get("salesforceId"),
        deleted=bool(item.get("deleted", False)),
    )


def _record(item: dict[str, Any]) -> CustomerRecord:
    value = item.get("lifetimeValue")
    crm = CrmFacts(
        salesforce_id=item.get("salesforceId"),
        account_name=item.get("accountName"),
        lead_source=item.get("leadSource"),
        lifetime_value=None if value is None else Decimal(str(value)),
        source=item.get("source"),
        synced_at=_stamp(item.get("crmSyncedAt")),
        deleted=bool(item.get("deleted", False)),
        deleted_at=_stamp(item.get("deletedAt")),
    )
    return CustomerRecord(_profile(item), crm)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


# -- what the AI assistant may see: text shown as stored, a bad stamp left out ---------------
def _shown(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def _moment(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _stored_choices(value: object) -> dict[str, bool]:
    """The contact choices as stored: the portal's flags, or (pulled before a pull stored
    flags) Salesforce's picklist text; nothing stored, none."""
    if isinstance(value, dict):
        return {str(k): bool(v) for k, v in value.items()}
    return choices_of(value) if isinstance(value, str) else {}


def _choices(value: object) -> ContactPreferences | None:
    if not isinstance(value, dict | str):
        return None
    choices = _stored_choices(value)
    return ContactPreferences(email=choices.get("email", False), sms=choices.get("sms", False))


def _preferences(value: Any) -> Preferences | None:
    if isinstance(value, dict):
        return {str(k): bool(v) for k, v in value.items()}
    return _text(value)


def crm_customer(item: dict[str, Any]) -> CrmCustomer:
    """A customer as a Salesforce sync sees it (the one place its attribute names are read).
    Text a sync compares or sends is kept as stored; a number stays the number stored."""
    value = item.get("lifetimeValue")
    return CrmCustomer(
        customer_id=item["customerId"],
        email=_text(item.get("email")),
        phone=_text(item.get("phone")),
        given_name=_text(item.get("givenName")),
        family_name=_text(item.get("familyName")),
        contact_preferences=_preferences(item.get("contactPreferences")),
        salesforce_id=_text(item.get("salesforceId")),
        account_name=_text(item.get("accountName")),
        lead_source=_text(item.get("leadSource")),
        lifetime_value=value if isinstance(value, Decimal | int) and not isinstance(value, bool) else None,
        source=_text(item.get("source")),
        created_at=_text(item.get("createdAt")),
        updated_at=_text(item.get("updatedAt")),
        deleted=bool(item.get("deleted", False)),
        deleted_at=_text(item.get("deletedAt")),
    )


@dataclass(frozen=True)
class CustomerRepository(TableRepository):
    def get(self, customer_id: str) -> dict[str, Any] | None:
        response = self._client().get_item(
            TableName=self.table_name, Key=_key(customer_id), ConsistentRead=True
        )
        item = response.get("Item")
        return _public(from_item(item)) if item else None

    def profile(self, customer_id: str) -> CustomerProfile | None:
        item = self.get(customer_id)
        return None if item is None else _profile(item)

    def record(self, customer_id: str) -> CustomerRecord | None:
        """The whole customer as staff see it: the profile and the CRM's facts."""
        item = self.get(customer_id)
        return None if item is None else _record(item)

    def update_profile(
        self,
        customer_id: str,
        change: ProfileChange,
        *,
        actor: str,
        now: datetime,
        expected_version: int | None = None,
    ) -> CustomerProfile | None:
        """``replace_profile`` with the customer's typed change (PUT /me): the profile as
        written, or None when nothing was (no profile, or ``expected_version`` is no longer the
        stored one: the caller reads the profile to tell which)."""
        item = self.replace_profile(
            customer_id, _editable(change), actor=actor, now=now, expected_version=expected_version
        )
        return None if item is None else _profile(item)

    def snapshot(self, customer_id: str) -> CustomerSnapshot:
        """What the AI assistant may see of the customer's own record (nothing when there is
        none); their policies and applications are the sales table's, added by the workflow."""
        item = self.get(customer_id) or {}
        return CustomerSnapshot(
            given_name=_shown(item.get("givenName")),
            family_name=_shown(item.get("familyName")),
            state=_shown((item.get("address") or {}).get("state")),
            customer_since=_moment(item.get("createdAt")),
            contact_preferences=_choices(item.get("contactPreferences")),
        )

    def recipient(self, customer_id: str) -> Recipient | None:
        """How to reach the customer: addresses, the channels they chose and their language."""
        item = self.get(customer_id)
        if item is None:
            return None
        prefs = _stored_choices(item.get("contactPreferences"))
        return Recipient(
            customer_id=customer_id,
            email=item.get("email") or None,
            phone=item.get("phone") or None,
            wants_email=bool(prefs.get("email", True)),
            wants_sms=bool(prefs.get("sms", False)),
            language=language_of(item.get("preferredLanguage")),
        )

    def create_if_absent(self, customer_id: str, email: str | None, actor: str, now: datetime) -> bool:
        """Create the profile a sign-up gets; a replay (trigger retried) changes nothing."""
        stamp = now.isoformat()
        item = {
            "pk": f"CUSTOMER#{customer_id}",
            "sk": PROFILE_SK,
            "entityType": ENTITY,
            "entityId": customer_id,
            "customerId": customer_id,
            "email": email.lower() if email else None,
            "contactPreferences": {"email": True, "sms": False},
            "createdAt": stamp,
            "updatedAt": stamp,
            "version": 1,
            "lastModifiedBy": actor,
        }
        return self._put_new(item)

    def replace_profile(
        self,
        customer_id: str,
        fields: dict[str, Any],
        *,
        actor: str,
        now: datetime,
        expected_version: int | None = None,
    ) -> dict[str, Any] | None:
        """Set the editable fields to ``fields`` (absent or None ones are removed).

        Bumps ``version``; with ``expected_version`` the write succeeds only if nobody
        changed the profile since the caller read it (optimistic concurrency). The profile as
        written, or None when nothing was: no profile, or not at ``expected_version``.
        """
        names: dict[str, str] = {"#version": "version", "#updatedAt": "updatedAt", "#by": "lastModifiedBy"}
        values: dict[str, Any] = {":one": 1, ":now": now.isoformat(), ":by": actor}
        sets = ["#version = #version + :one", "#updatedAt = :now", "#by = :by"]
        removes = []
        for i, field in enumerate(EDITABLE):
            names[f"#f{i}"] = field
            if fields.get(field) is None:
                removes.append(f"#f{i}")
            else:
                sets.append(f"#f{i} = :f{i}")
                values[f":f{i}"] = fields[field]
        expression = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
        condition = "attribute_exists(pk)"
        if expected_version is not None:
            condition += " AND #version = :expected"
            values[":expected"] = expected_version
        response = self._conditionally(
            "update_item",
            TableName=self.table_name,
            Key=_key(customer_id),
            UpdateExpression=expression,
            ConditionExpression=condition,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=to_item(values),
            ReturnValues="ALL_NEW",
        )
        return None if response is None else _public(from_item(response["Attributes"]))

    # -- drug-plan beneficiary link ---------------------------------------------------
    # Access patterns: the account's failed link attempts, UpdateItem sk=LINK_ATTEMPTS (a
    # race-safe counter per window: salesportal.data.attempts).

    def link_attempts(self, customer_id: str, *, limit: int, window_s: int) -> AttemptCounter:
        """The account's link-attempt counter, an entity of its own: failed attempts to prove
        a beneficiary belong in the audit trail (the table's stream)."""
        return AttemptCounter(
            self.table_name,
            self.dynamodb,
            key={"pk": f"CUSTOMER#{customer_id}", "sk": "LINK_ATTEMPTS"},
            limit=limit,
            seconds=window_s,
            attributes={
                "entityType": "beneficiary_link_attempts",
                "entityId": customer_id,
                "customerId": customer_id,
                "lastModifiedBy": f"customer:{customer_id}",
            },
        )

    def beneficiary_of(self, customer_id: str) -> str | None:
        """The beneficiary the account is linked to (None: not linked, or no profile)."""
        item = self.get(customer_id)
        return (item or {}).get("beneficiaryId") or None

    def set_beneficiary(self, customer_id: str, beneficiary_id: str, *, actor: str, now: datetime) -> None:
        self._client().update_item(
            TableName=self.table_name,
            Key=_key(customer_id),
            UpdateExpression="SET beneficiaryId = :b, updatedAt = :now, lastModifiedBy = :actor",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues=to_item(
                {":b": beneficiary_id, ":now": now.isoformat(), ":actor": actor}
            ),
        )

    # -- staff reads -------------------------------------------------------------------
    # Access patterns: customers by last change, newest first: Query index byUpdated
    # (entityType="customer", updatedAt >= since); a customer by email: Query index byEmail.

    def list_changed(self, *, since: datetime | None, limit: int, token: str | None) -> Page[CustomerSummary]:
        values: dict[str, Any] = {":t": ENTITY}
        condition = "entityType = :t"
        after = since.isoformat() if since else None
        if after:
            values[":since"] = after
            condition += " AND updatedAt >= :since"
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": "byUpdated",
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": to_item(values),
            "ScanIndexForward": False,
            "Limit": limit,
        }
        start = decode_cursor(
            token,
            expected={"entityType": {"S": ENTITY}},
            shape=index_key("entityType", "updatedAt"),
            bounds={"updatedAt": (after, None)} if after else None,
        )
        if start:
            params["ExclusiveStartKey"] = start
        response = self._client().query(**params)
        items = [_summary(_public(from_item(i))) for i in response.get("Items", [])]
        return Page(items, encode_cursor(response.get("LastEvaluatedKey")))

    def summaries_by_email(self, email: str) -> list[CustomerSummary]:
        return [_summary(i) for i in self.find_by_email(email)]

    def find_by_email(self, email: str) -> list[dict[str, Any]]:
        response = self._client().query(
            TableName=self.table_name,
            IndexName="byEmail",
            KeyConditionExpression="email = :e",
            ExpressionAttributeValues=to_item({":e": email}),
        )
        items = (from_item(i) for i in response.get("Items", []))
        return [_public(i) for i in items if i.get("entityType") == ENTITY]

    # -- Salesforce sync ---------------------------------------------------------------
    # Access patterns: a customer by Salesforce id: Query index bySalesforceId. CRM writes
    # never touch ``updatedAt`` (the portal's own last change, which push and conflict
    # resolution read); they stamp ``crmSyncedAt``.

    def by_salesforce_id(self, salesforce_id: str) -> dict[str, Any] | None:
        response = self._client().query(
            TableName=self.table_name,
            IndexName="bySalesforceId",
            KeyConditionExpression="salesforceId = :s",
            ExpressionAttributeValues=to_item({":s": salesforce_id}),
        )
        items = [from_item(i) for i in response.get("Items", [])]
        return _public(items[0]) if items else None

    def crm_customers(self, customer_ids: list[str]) -> dict[str, CrmCustomer]:
        """Customers by id, at most 100 (one consistent BatchGetItem); absent ones are left out."""
        keys = [_key(i) for i in dict.fromkeys(customer_ids)]
        items = batch_get(self._client(), self.table_name, keys, consistent=True)
        return {i["customerId"]: crm_customer(i) for i in items}

    def crm_customers_by_email(self, email: str) -> list[CrmCustomer]:
        return [crm_customer(i) for i in self.find_by_email(email)]

    def crm_item(
        self, customer_id: str, fields: dict[str, Any], *, modified: str, actor: str, now: str
    ) -> dict[str, Any]:
        """The profile a pulled Contact becomes (plain form; ``put_request`` types it)."""
        return {
            "contactPreferences": {"email": True, "sms": False},  # unless the Contact has some
            **fields,
            "pk": f"CUSTOMER#{customer_id}",
            "sk": PROFILE_SK,
            "entityType": ENTITY,
            "entityId": customer_id,
            "customerId": customer_id,
            "source": "salesforce",
            "createdAt": modified,
            "updatedAt": modified,
            "crmSyncedAt": now,
            "version": 1,
            "lastModifiedBy": actor,
        }

    def new_crm_customer(self, new: NewCustomer) -> CrmCustomer:
        """The customer ``new`` becomes once written (what later Contacts of its page see)."""
        return crm_customer(self._new_item(new))

    def put_request(self, new: NewCustomer) -> tuple[str, dict[str, Any]]:
        """A BatchWriteItem put of a customer a pull creates (no condition: a pull creates
        ``sf-<Contact id>`` only after finding no customer for the Contact, and the item is all
        the Contact's)."""
        return self.table_name, {"PutRequest": {"Item": to_item(self._new_item(new))}}

    def _new_item(self, new: NewCustomer) -> dict[str, Any]:
        # The fields a later Contact adds never name one crm_item sets itself: they are CRM
        # fields, and contactPreferences (the one crm_item defaults) is the portal's, never
        # replaced once set; so they land on the item as they would on the stored customer.
        return self.crm_item(
            new.customer_id, dict(new.fields), modified=new.modified, actor=new.actor, now=new.synced_at
        )

    def create_from_crm(
        self, customer_id: str, fields: dict[str, Any], *, modified: str, actor: str, now: str
    ) -> None:
        item = self.crm_item(customer_id, fields, modified=modified, actor=actor, now=now)
        self._client().put_item(
            TableName=self.table_name, Item=to_item(item), ConditionExpression="attribute_not_exists(pk)"
        )

    def linked_page(self, token: str | None, *, limit: int = 1000) -> Page[tuple[str, str]]:
        """(salesforceId, customerId) of customers linked to a Contact, one page of the sparse
        index bySalesforceId, for the one-time backfill of link items. A Scan, but of an
        index holding only linked customers, and never on a request path."""
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": "bySalesforceId",
            "Limit": limit,
            "ProjectionExpression": "salesforceId, customerId, entityType",
        }
        start = decode_cursor(token, expected={}, shape=index_key("salesforceId"))
        if start:
            params["ExclusiveStartKey"] = start
        response = self._client().scan(**params)
        items = [from_item(i) for i in response.get("Items", [])]
        pairs = [(i["salesforceId"], i["customerId"]) for i in items if i.get("entityType") == ENTITY]
        return Page(pairs, encode_cursor(response.get("LastEvaluatedKey")))

    def changed_oldest_first(
        self, *, since: str, until: str, limit: int, token: str | None
    ) -> Page[CrmCustomer]:
        """Customers whose portal change (``updatedAt``) falls in [since, until], oldest first,
        resuming after ``token`` (handed out by this read of the same window): the push's
        read. CRM writes never touch ``updatedAt``, so the push's own link-backs do not move a
        customer inside the window it is reading."""
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": "byUpdated",
            "KeyConditionExpression": "entityType = :t AND updatedAt BETWEEN :since AND :until",
            "ExpressionAttributeValues": to_item({":t": ENTITY, ":since": since, ":until": until}),
            "ScanIndexForward": True,
            "Limit": limit,
        }
        start = decode_cursor(
            token,
            expected={"entityType": {"S": ENTITY}},
            shape=index_key("entityType", "updatedAt"),
            bounds={"updatedAt": (since, until)},
        )
        if start:
            params["ExclusiveStartKey"] = start
        response = self._client().query(**params)
        items = [crm_customer(from_item(i)) for i in response.get("Items", [])]
        return Page(items, encode_cursor(response.get("LastEvaluatedKey")))

    def apply_crm(self, customer_id: str, fields: dict[str, Any], *, actor: str, now: str) -> None:
        expression, names, values = set_expression({**fields, "crmSyncedAt": now, "lastModifiedBy": actor})
        self._client().update_item(
            TableName=self.table_name,
            Key=_key(customer_id),
            UpdateExpression=expression,
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )

    # -- access: a user's roles and whether they may sign in ---------------------------
    # Access patterns: PutItem pk=CUSTOMER#<sub>, sk=ACCESS (entityType "user"). Cognito
    # holds the truth; this item exists so the table's stream audits every change of it.

    def record_access(
        self, user_id: str, before: dict[str, Any], after: dict[str, Any], *, actor: str, now: datetime
    ) -> None:
        """Record a change of access from ``before`` to ``after``. The first change of a user
        opens the record with the state it found, so even that one has a before and an after."""
        base = {
            "pk": f"CUSTOMER#{user_id}",
            "sk": "ACCESS",
            "entityType": "user",
            "entityId": user_id,
            "lastModifiedBy": actor,
            "updatedAt": now.isoformat(),
        }
        self._conditionally(  # refused once the record exists: then only the change is written
            "put_item",
            TableName=self.table_name,
            Item=to_item({**base, **before}),
            ConditionExpression="attribute_not_exists(pk)",
        )
        self._client().put_item(TableName=self.table_name, Item=to_item({**base, **after}))
