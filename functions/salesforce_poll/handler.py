"""Hourly Salesforce pull (schedule): Contacts changed since the watermark become portal customers.

The run itself (every page, ties, deletions, the watermark after each applied page, a clean
stop on a low API budget or near the timeout) is salesportal.workflows.salesforce_syncing's,
shared with the manual sync worker. A failed run is recorded, counted (``SyncRunsFailed``,
alarmed) and raised: EventBridge retries the invocation, then parks it in the schedule DLQ.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from aws_lambda_powertools.utilities.data_classes import EventBridgeEvent, event_source
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.data.control import ControlRepository
from salesportal.data.crm_sync import SyncStore
from salesportal.data.customers import CustomerRepository
from salesportal.domain.crm import RunReport
from salesportal.integrations import salesforce
from salesportal.observability import entrypoint, metrics
from salesportal.workflows import salesforce_syncing as syncing


class PollSettings(Settings):
    customers_table_name: str
    control_table_name: str
    salesforce_base_url: str
    salesforce_secret_id: str


def ports(s: PollSettings) -> syncing.Ports:
    return syncing.Ports(
        store=SyncStore(CustomerRepository(s.customers_table_name), ControlRepository(s.control_table_name)),
        salesforce=lambda: salesforce.connect(s.salesforce_base_url, s.salesforce_secret_id),
    )


@entrypoint()
@event_source(data_class=EventBridgeEvent)  # the schedule's event: nothing in it is read
def lambda_handler(event: EventBridgeEvent, context: LambdaContext) -> RunReport:
    now = datetime.now(UTC)
    run_id = f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
    budget = syncing.TimeBudget(context.get_remaining_time_in_millis)
    try:
        return syncing.run(
            ports(load(PollSettings)), run_id, "pull", trigger="schedule", now=now, time_budget=budget
        )
    except Exception:
        metrics.add_metric(name="SyncRunsFailed", unit="Count", value=1)
        raise
