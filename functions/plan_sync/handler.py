"""Nightly plan-delta sync (schedule): the inbox's new delta files applied (salesportal.workflows.plan_syncing).

A failed run is counted (``SyncRunsFailed``, alarmed) and raised: EventBridge retries the
invocation, then parks it in the schedule DLQ. The next run picks up whatever is left.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.data_classes import EventBridgeEvent, event_source
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.data.control import ControlRepository
from salesportal.data.plan_delta import DeltaAnnouncer, DeltaInbox, DeltaLedger, appliers, summary_document
from salesportal.data.plans import PlanRepository
from salesportal.observability import entrypoint, metrics
from salesportal.workflows import plan_syncing


class SyncSettings(Settings):
    catalog_table_name: str
    enrollments_table_name: str
    control_table_name: str
    plan_inbox_bucket_name: str
    event_bus_name: str
    event_source: str
    pii_key_id: str


def ports(s: SyncSettings) -> plan_syncing.Ports:
    return plan_syncing.Ports(
        inbox=DeltaInbox(s.plan_inbox_bucket_name),
        ledger=DeltaLedger(ControlRepository(s.control_table_name)),
        applier=appliers(PlanRepository(s.catalog_table_name), s.enrollments_table_name, s.pii_key_id),
        announcer=DeltaAnnouncer(s.event_bus_name, s.event_source),
        clock=lambda: datetime.now(UTC),
    )


@entrypoint()
@event_source(data_class=EventBridgeEvent)  # the schedule's event: nothing in it is read
def lambda_handler(event: EventBridgeEvent, context: LambdaContext) -> dict[str, Any]:
    now = datetime.now(UTC)
    try:
        summary = plan_syncing.sync(
            f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}", now, ports(load(SyncSettings))
        )
    except Exception:
        metrics.add_metric(name="SyncRunsFailed", unit="Count", value=1)
        raise
    for report in summary.files:
        metrics.add_metric(name="PlanDeltaRowsApplied", unit="Count", value=report.rows_applied)
        metrics.add_metric(name="PlanDeltaRowsQuarantined", unit="Count", value=report.quarantined)
    return summary_document(summary)
