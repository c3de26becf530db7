"""Hourly Salesforce pull: Contacts changed since the watermark become portal customers.

The run itself (every page, ties, deletions, Decimal, the watermark after each applied
page, a clean stop on a low API budget or near the timeout) is salesportal.salesforce_sync's,
shared with the manual sync worker. A failed run is recorded, counted (``SyncRunsFailed``, alarmed) and
raised: EventBridge retries the invocation, then parks it in the schedule DLQ.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal import salesforce_sync
from salesportal.config import Settings, load
from salesportal.data.control import ControlRepository
from salesportal.data.customers import CustomerRepository
from salesportal.observability import entrypoint, metrics


class PollSettings(Settings):
    customers_table_name: str
    control_table_name: str
    salesforce_base_url: str
    salesforce_secret_id: str


def connection() -> salesforce_sync.Connection:
    settings = load(PollSettings)
    return salesforce_sync.Connection(
        customers=CustomerRepository(settings.customers_table_name),
        control=ControlRepository(settings.control_table_name),
        base_url=settings.salesforce_base_url,
        secret_id=settings.salesforce_secret_id,
    )


@entrypoint()
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    now = datetime.now(UTC)
    run_id = f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
    try:
        return salesforce_sync.run(
            connection(),
            run_id,
            "pull",
            trigger="schedule",
            now=now,
            time_budget=salesforce_sync.TimeBudget(context.get_remaining_time_in_millis),
        )
    except Exception:
        metrics.add_metric(name="SyncRunsFailed", unit="Count", value=1)
        raise
