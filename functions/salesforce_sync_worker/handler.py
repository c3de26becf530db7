"""Salesforce sync worker: runs a queued manual sync (pull, push or both).

One run per message. A redelivered message for a finished run does nothing. A run that
fails (Salesforce down, a token refused) is marked RETRYING and comes back with a growing
delay; after the last attempt it is FAILED, counted (``SyncRunsFailed``, alarmed) and the
message goes to the DLQ. Both the pull and the push are safe to repeat: the pull's upserts
and the push's external-id upserts are idempotent and the watermarks only move forward.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal import salesforce_sync
from salesportal.config import Settings, load
from salesportal.data.control import ControlRepository
from salesportal.data.customers import CustomerRepository
from salesportal.observability import entrypoint, logger, metrics
from salesportal.queues import delay_next_attempt

processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


class SyncWorkerSettings(Settings):
    customers_table_name: str
    control_table_name: str
    salesforce_base_url: str
    salesforce_secret_id: str
    max_receive_count: int
    source_queue_url: str


def handle(record: SQSRecord, lambda_context: LambdaContext) -> None:
    settings = load(SyncWorkerSettings)
    message = json.loads(record.body)
    run_id, direction = message["runId"], message["direction"]
    attempt = int(record.attributes.approximate_receive_count or 1)
    control = ControlRepository(settings.control_table_name)
    queued = control.salesforce_run(run_id) or {"runId": run_id, "trigger": "manual"}
    if queued.get("status") in salesforce_sync.FINISHED:
        logger.info("sync run already finished; nothing to do", extra={"run_id": run_id})
        return
    connection = salesforce_sync.Connection(
        customers=CustomerRepository(settings.customers_table_name),
        control=control,
        base_url=settings.salesforce_base_url,
        secret_id=settings.salesforce_secret_id,
    )
    base = {k: queued[k] for k in ("requestedBy", "queuedAt") if k in queued} | {"attempts": attempt}
    try:
        salesforce_sync.run(
            connection,
            run_id,
            direction,
            trigger="manual",
            now=datetime.now(UTC),
            base=base,
            time_budget=salesforce_sync.TimeBudget(lambda_context.get_remaining_time_in_millis),
        )
    except Exception:
        failed = control.salesforce_run(run_id) or {}
        if attempt < settings.max_receive_count:
            control.record_salesforce_run(run_id, {**failed, "status": "RETRYING"})
            logger.warning("sync run failed; will retry", extra={"run_id": run_id, "attempt": attempt})
            delay_next_attempt(settings.source_queue_url, record, attempt, first_s=60, max_s=900)
        else:
            metrics.add_metric(name="SyncRunsFailed", unit="Count", value=1)
            logger.error("sync run failed for good", extra={"run_id": run_id, "attempt": attempt})
        raise


@entrypoint()
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(event=event, record_handler=handle, processor=processor, context=context)
