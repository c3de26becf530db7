"""A Salesforce sync run's storage: customers, their links to Contacts, and the run's bookkeeping.

One object over the customers and control tables (salesportal.data.customers,
salesportal.data.salesforce_links, salesportal.data.control), so the sync workflow sees
customers as plain items and never a key, a request or a client: batches are built here,
at most ``BATCH_WRITE`` records per ``write_new`` call and ``BATCH_GET`` ids per read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from salesportal import aws
from salesportal.data.control import ControlRepository, Watermark
from salesportal.data.customers import CustomerRepository
from salesportal.data.salesforce_links import SalesforceLinks, batch_write
from salesportal.domain.crm import Link, QueueUnavailable


@dataclass(frozen=True)
class SyncRuns:
    """Sync runs as recorded in the control table (``GET /salesforce/sync/{runId}`` reads them)."""

    control: ControlRepository

    def run(self, run_id: str) -> dict[str, Any] | None:
        return self.control.salesforce_run(run_id)

    def record_run(self, run_id: str, values: Mapping[str, Any]) -> None:
        self.control.record_salesforce_run(run_id, values)


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

    def customers_by_id(self, customer_ids: list[str]) -> dict[str, dict[str, Any]]:
        return self.customers.get_many(customer_ids)

    def customers_by_email(self, email: str) -> list[dict[str, Any]]:
        return self.customers.find_by_email(email)

    def new_customer(
        self, customer_id: str, fields: dict[str, Any], *, modified: str, actor: str, now: str
    ) -> dict[str, Any]:
        return self.customers.crm_item(customer_id, fields, modified=modified, actor=actor, now=now)

    def write_new(self, records: Sequence[dict[str, Any] | Link]) -> None:
        """New customers and links, in one BatchWriteItem (at most ``BATCH_WRITE`` records)."""
        requests = [
            self.links.link_request(r.salesforce_id, r.customer_id)
            if isinstance(r, Link)
            else self.customers.put_request(r)
            for r in records
        ]
        batch_write(self.customers._client(), requests)

    def apply_crm(self, customer_id: str, fields: dict[str, Any], *, actor: str, now: str) -> None:
        self.customers.apply_crm(customer_id, fields, actor=actor, now=now)

    def linked_page(self, cursor: dict[str, Any] | None) -> tuple[list[Link], dict[str, Any] | None]:
        pairs, cursor = self.customers.linked_page(cursor)
        return [Link(s, c) for s, c in pairs], cursor

    def changed_oldest_first(
        self, *, since: str, until: str, limit: int, start: dict[str, Any] | None
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        return self.customers.changed_oldest_first(since=since, until=until, limit=limit, start=start)

    # -- bookkeeping ----------------------------------------------------------------------
    def backfill_state(self) -> dict[str, Any]:
        return self.links.backfill_state()

    def record_backfill(self, *, done: bool, cursor: Mapping[str, Any] | None, linked: int) -> None:
        self.links.record_backfill(done=done, cursor=cursor, linked=linked)

    def push_checkpoint(self) -> dict[str, Any] | None:
        return self.links.push_checkpoint()

    def move_push_checkpoint(self, checkpoint: Mapping[str, Any], *, expected_seq: int) -> bool:
        return self.links.move_push_checkpoint(checkpoint, expected_seq=expected_seq)

    def watermark(self, kind: Watermark) -> str | None:
        return self.control.salesforce_watermark(kind)

    def set_watermark(self, value: str, run_id: str, kind: Watermark) -> None:
        self.control.set_salesforce_watermark(value, run_id, kind)

    def run(self, run_id: str) -> dict[str, Any] | None:
        return SyncRuns(self.control).run(run_id)

    def record_run(self, run_id: str, values: Mapping[str, Any]) -> None:
        SyncRuns(self.control).record_run(run_id, values)
