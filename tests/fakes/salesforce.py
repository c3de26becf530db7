"""In-memory ports of a Salesforce sync run: the store (customers, links, bookkeeping) and Salesforce.

The store keeps customers as the table's items and hands the sync entities through the
customers repository's own mapping, so a test asserts on what would be stored."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from salesportal.data.customers import crm_customer
from salesportal.data.dynamo import Page
from salesportal.domain.crm import PORTAL_ID_FIELD, CrmCustomer, Link, NewCustomer, parse_stamp
from salesportal.integrations.salesforce import Budget


@dataclass
class FakeStore:
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    watermarks: dict[str, str] = field(default_factory=dict)
    checkpoint: dict[str, Any] | None = None
    seq: int = 0
    backfill: dict[str, Any] = field(default_factory=dict)
    runs: dict[str, dict[str, Any]] = field(default_factory=dict)
    run_history: list[tuple[str, str]] = field(default_factory=list)  # (run id, status) as recorded
    writes: int = 0
    linked_page_size: int = 1000  # the index scan's page

    def add_customer(self, customer_id: str, **fields: Any) -> None:
        self.customers[customer_id] = {"customerId": customer_id, **fields}

    # -- pages ----------------------------------------------------------------------------
    def links_of(self, salesforce_ids: list[str]) -> dict[str, str]:
        return {i: self.links[i] for i in salesforce_ids if i in self.links}

    def customers_by_id(self, customer_ids: list[str]) -> dict[str, CrmCustomer]:
        return {i: crm_customer(self.customers[i]) for i in customer_ids if i in self.customers}

    def customers_by_email(self, email: str) -> list[CrmCustomer]:
        return [crm_customer(c) for c in self.customers.values() if c.get("email") == email]

    @staticmethod
    def _item(new: NewCustomer) -> dict[str, Any]:
        return {
            **new.fields,
            "customerId": new.customer_id,
            "source": "salesforce",
            "createdAt": new.modified,
            "updatedAt": new.modified,
            "crmSyncedAt": new.synced_at,
        }

    def new_customer(self, new: NewCustomer) -> CrmCustomer:
        return crm_customer(self._item(new))

    def write_new(self, records: Sequence[NewCustomer | Link]) -> None:
        assert len(records) <= 25, "one BatchWriteItem holds 25 requests"
        self.writes += 1
        for record in records:
            if isinstance(record, Link):
                self.links[record.salesforce_id] = record.customer_id
            else:
                self.customers[record.customer_id] = self._item(record)

    def apply_crm(self, customer_id: str, fields: dict[str, Any], *, actor: str, now: str) -> None:
        self.customers[customer_id].update(fields, crmSyncedAt=now)  # never updatedAt

    def linked_page(self, cursor: str | None) -> Page[Link]:
        linked = [
            Link(c["salesforceId"], c["customerId"]) for c in self.customers.values() if c.get("salesforceId")
        ]
        first = int(cursor or 0)
        more = first + self.linked_page_size < len(linked)
        return Page(
            linked[first : first + self.linked_page_size],
            str(first + self.linked_page_size) if more else None,
        )

    def changed_oldest_first(
        self, *, since: str, until: str, limit: int, token: str | None
    ) -> Page[CrmCustomer]:
        window = sorted(
            (c for c in self.customers.values() if since <= c.get("updatedAt", "") <= until),
            key=lambda c: (c["updatedAt"], c["customerId"]),
        )
        first = int(token or 0)
        page = [crm_customer(c) for c in window[first : first + limit]]
        more = first + limit < len(window)
        return Page(page, str(first + limit) if more else None)

    # -- bookkeeping ----------------------------------------------------------------------
    def backfill_state(self) -> dict[str, Any]:
        return dict(self.backfill)

    def record_backfill(self, *, done: bool, cursor: str | None, linked: int) -> None:
        self.backfill = {"done": done, "cursor": cursor, "linked": linked}

    def push_checkpoint(self) -> dict[str, Any] | None:
        return None if self.checkpoint is None else {**self.checkpoint, "seq": self.seq}

    def move_push_checkpoint(self, checkpoint: Mapping[str, Any], *, expected_seq: int) -> bool:
        if self.checkpoint is not None and self.seq != expected_seq:
            return False
        self.checkpoint, self.seq = dict(checkpoint), expected_seq + 1
        return True

    def watermark(self, kind: str) -> str | None:
        return self.watermarks.get(kind)

    def set_watermark(self, value: str, run_id: str, kind: str) -> None:
        self.watermarks[kind] = max(value, self.watermarks.get(kind, value))

    def run(self, run_id: str) -> dict[str, Any] | None:
        return self.runs.get(run_id)

    def record_run(self, run_id: str, values: Mapping[str, Any]) -> None:
        self.runs[run_id] = dict(values)
        self.run_history.append((run_id, str(values.get("status"))))


def contact(
    contact_id: str,
    stamp: str,
    *,
    email: str | None = None,
    last: str = "Rivera",
    deleted: bool = False,
    **more: Any,
) -> dict[str, Any]:
    """A Contact as Salesforce's query returns it (stamps in its ``.000+0000`` form)."""
    return {
        "Id": contact_id,
        "FirstName": "Dana",
        "LastName": last,
        "Email": email,
        "IsDeleted": deleted,
        "SystemModstamp": stamp,
        "LastModifiedDate": stamp,
        **more,
    }


@dataclass
class FakeSalesforce:
    contacts: list[dict[str, Any]] = field(default_factory=list)
    page_size: int = 2
    budget: Budget | None = None
    refuse: set[str] = field(default_factory=set)  # portal customer ids whose save is refused
    saved: list[dict[str, Any]] = field(default_factory=list)
    pages_read: int = 0
    _next_id: int = 0

    def contact_pages(self, since: datetime) -> Iterator[tuple[list[dict[str, Any]], bool]]:
        changed = sorted(
            (c for c in self.contacts if parse_stamp(c["SystemModstamp"]) >= since),
            key=lambda c: (c["SystemModstamp"], c["Id"]),
        )
        pages = [changed[i : i + self.page_size] for i in range(0, len(changed), self.page_size)] or [[]]
        for number, page in enumerate(pages, 1):
            self.pages_read += 1
            yield page, number < len(pages)

    def _save(self, record: dict[str, Any], created: bool) -> dict[str, Any]:
        if record[PORTAL_ID_FIELD] in self.refuse:
            return {"success": False, "errors": [{"statusCode": "REQUIRED_FIELD_MISSING", "message": "nope"}]}
        self.saved.append(record)
        if not created:
            return {"id": record["Id"], "success": True, "created": False}
        self._next_id += 1
        return {"id": f"003NEW{self._next_id:04d}", "success": True, "created": True}

    def upsert_contacts(self, external_id_field: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        assert external_id_field == PORTAL_ID_FIELD
        return [self._save(r, created=True) for r in records]

    def update_contacts(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [self._save(r, created=False) for r in records]
