"""Salesforce sync worker: runs a queued manual sync (salesportal.workflows.salesforce_syncing).

One run per message; a redelivered message for a finished run does nothing. A run that
fails (Salesforce down, a token refused) is marked RETRYING and comes back with a growing
delay; after the last attempt it is FAILED, counted (``SyncRunsFailed``, alarmed) and the
message goes to the DLQ. The pull's upserts and the push's external-id upserts are
idempotent and the watermarks only move forward, so a retry is safe.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.data.control import ControlRepository
from salesportal.data.crm_sync import SyncStore
from salesportal.data.customers import CustomerRepository
from salesportal.integrations import salesforce
from salesportal.models.inbound import SyncRunMessage
from salesportal.observability import entrypoint, logger, metrics
from salesportal.queues import delay_next_attempt
from salesportal.workflows import salesforce_syncing as syncing

processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


class SyncWorkerSettings(Settings):
    customers_table_name: str
    control_table_name: str
    salesforce_base_url: str
    salesforce_secret_id: str
    max_receive_count: int
    source_queue_url: str


def ports(s: SyncWorkerSettings) -> syncing.Ports:
    return syncing.Ports(
        store=SyncStore(CustomerRepository(s.customers_table_name), ControlRepository(s.control_table_name)),
        salesforce=lambda: salesforce.connect(s.salesforce_base_url, s.salesforce_secret_id),
    )


def handle(record: SQSRecord, lambda_context: LambdaContext) -> None:
    s = load(SyncWorkerSettings)
    message = SyncRunMessage.model_validate_json(record.body)
    attempt = int(record.attributes.approximate_receive_count or 1)
    queued = syncing.QueuedRun(
        message.run_id, message.direction, attempt, last=attempt >= s.max_receive_count
    )
    budget = syncing.TimeBudget(lambda_context.get_remaining_time_in_millis)
    try:
        syncing.run_queued(queued, ports(s), now=datetime.now(UTC), time_budget=budget)
    except Exception:
        if queued.last:
            metrics.add_metric(name="SyncRunsFailed", unit="Count", value=1)
            logger.error("sync run failed for good", extra={"run_id": queued.run_id, "attempt": attempt})
        else:
            logger.warning("sync run failed; will retry", extra={"run_id": queued.run_id, "attempt": attempt})
            delay_next_attempt(s.source_queue_url, record, attempt, first_s=60, max_s=900)
        raise


@entrypoint()
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=handle, processor=processor, context=context)
