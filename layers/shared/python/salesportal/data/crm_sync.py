"""A Salesforce sync run's storage: customers, their links to Contacts, and the run's bookkeeping.

One object over the customers and control tables (salesportal.data.customers,
salesportal.data.salesforce_links, salesportal.data.control), so the sync workflow sees
customers as ``CrmCustomer`` entities and never a key, a request or a client: batches are
built here, at most ``BATCH_WRITE`` records per ``write_new`` call and ``BATCH_GET`` ids per
read. The run's own records (the backfill marker, the push checkpoint, a run's report) are
JSON shapes the workflow writes whole; they are validated against their TypedDicts as read.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from botocore.exceptions import BotoCoreError, ClientError
from pydantic import TypeAdapter

from salesportal import aws
from salesportal.data.control import ControlRepository, Watermark
from salesportal.data.customers import CustomerRepository
from salesportal.data.dynamo import Page
from salesportal.data.salesforce_links import SalesforceLinks, batch_write
from salesportal.domain.crm import (
    BackfillState,
    CrmCustomer,
    CrmFields,
    Cursor,
    Link,
    NewCustomer,
    PushCheckpoint,
    QueueUnavailable,
    RunReport,
)


# Each stored record read as its TypedDict says it is: every known attribute checked (numbers
# made ints), the table's own keys and anything unknown left out. A record that does not fit
# raises, failing the run, rather than steering it with a value of the wrong type. The
# validators are built on first use, so a cold start never pays for them.
@cache
def _run_report() -> TypeAdapter[RunReport]:
    return TypeAdapter(RunReport)


@cache
def _backfill_state() -> TypeAdapter[BackfillState]:
    return TypeAdapter(BackfillState)


@cache
def _push_checkpoint() -> TypeAdapter[PushCheckpoint]:
    return TypeAdapter(PushCheckpoint)


def listed_at(run: RunReport) -> str | None:
    """Where a run sits in the list: its first moment (queued for a manual run, started for a
    scheduled one), which every later write of the run carries unchanged, as fixed-width UTC
    so that text order is time order."""
    moment = run.get("queuedAt") or run.get("startedAt")
    if moment is None:
        return None
    return datetime.fromisoformat(moment).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class SyncRuns:
    """Sync runs as recorded in the control table (``GET /salesforce/sync/{runId}`` reads one,
    ``GET /salesforce/sync`` lists them)."""

    control: ControlRepository

    def run(self, run_id: str) -> RunReport | None:
        item = self.control.salesforce_run(run_id)
        return None if item is None else _run_report().validate_python(item)

    def record_run(self, run_id: str, values: RunReport) -> None:
        self.control.record_salesforce_run(run_id, values, listed_at=listed_at(values))

    def newest_first(self, *, limit: int, token: str | None) -> Page[RunReport]:
        """Runs recorded since the listing began, latest first moment first (``InvalidCursor``
        for a token this listing did not hand out)."""
        page = self.control.salesforce_runs_newest_first(limit=limit, token=token)
        return Page([_run_report().validate_python(item) for item in page.items], page.next_token)


@dataclass(frozen=True)
class SyncRunQueue:
    """The sync worker's queue: one message per manual run."""

    queue_url: str

    def send(self, run_id: str, direction: str) -> None:
        try:
            aws.client("sqs").send_message(
                QueueUrl=self.queue_url, MessageBody=json.dumps({"runId": run_id, "direction": direction})
            )
        except (BotoCoreError, ClientError) as exc:
            raise QueueUnavailable(type(exc).__name__) from exc


@dataclass(frozen=True)
class SyncStore:
    """Everything a Salesforce sync run reads and writes."""

    customers: CustomerRepository
    control: ControlRepository

    @property
    def links(self) -> SalesforceLinks:
        return SalesforceLinks(self.control.table_name, self.customers.dynamodb)

    # -- customers and links, a page at a time --------------------------------------------
    def links_of(self, salesforce_ids: list[str]) -> dict[str, str]:
        return self.links.customer_ids(salesforce_ids)

    def customers_by_id(self, customer_ids: list[str]) -> dict[str, CrmCustomer]:
        return self.customers.crm_customers(customer_ids)

    def customers_by_email(self, email: str) -> list[CrmCustomer]:
        return self.customers.crm_customers_by_email(email)

    def new_customer(self, new: NewCustomer) -> CrmCustomer:
        return self.customers.new_crm_customer(new)

    def write_new(self, records: Sequence[NewCustomer | Link]) -> None:
        """New customers and links, in one BatchWriteItem (at most ``BATCH_WRITE`` records)."""
        requests = [
            self.links.link_request(r.salesforce_id, r.customer_id)
            if isinstance(r, Link)
            else self.customers.put_request(r)
            for r in records
        ]
        batch_write(self.customers._client(), requests)

    def apply_crm(self, customer_id: str, fields: CrmFields, *, actor: str, now: str) -> None:
        self.customers.apply_crm(customer_id, dict(fields), actor=actor, now=now)

    def linked_page(self, cursor: Cursor | None) -> Page[Link]:
        page = self.customers.linked_page(cursor)
        return Page([Link(s, c) for s, c in page.items], page.next_token)

    def changed_oldest_first(
        self, *, since: str, until: str, limit: int, token: Cursor | None
    ) -> Page[CrmCustomer]:
        return self.customers.changed_oldest_first(since=since, until=until, limit=limit, token=token)

    # -- bookkeeping ----------------------------------------------------------------------
    def backfill_state(self) -> BackfillState:
        return _backfill_state().validate_python(self.links.backfill_state())

    def record_backfill(self, *, done: bool, cursor: Cursor | None, linked: int) -> None:
        self.links.record_backfill(done=done, cursor=cursor, linked=linked)

    def push_checkpoint(self) -> PushCheckpoint | None:
        item = self.links.push_checkpoint()
        return None if item is None else _push_checkpoint().validate_python(item)

    def move_push_checkpoint(self, checkpoint: PushCheckpoint, *, expected_seq: int) -> bool:
        return self.links.move_push_checkpoint(dict(checkpoint), expected_seq=expected_seq)

    def watermark(self, kind: Watermark) -> str | None:
        return self.control.salesforce_watermark(kind)

    def set_watermark(self, value: str, run_id: str, kind: Watermark) -> None:
        self.control.set_salesforce_watermark(value, run_id, kind)

    def run(self, run_id: str) -> RunReport | None:
        return SyncRuns(self.control).run(run_id)

    def record_run(self, run_id: str, values: RunReport) -> None:
        SyncRuns(self.control).record_run(run_id, values)
