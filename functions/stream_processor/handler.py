"""The outbox: DynamoDB stream records become audit records and EventBridge domain events.

Each record is handled alone (partial batch response): a poison record is reported as
failed and retried, then parked in the failure queue, without blocking the others. The
audit write is conditional on the stream event id and comes before the publish, so a retry
after a failed publish writes no second audit record.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal import bus
from salesportal.config import Settings, load
from salesportal.data.audit import AuditRepository
from salesportal.data.dynamo import plain
from salesportal.domain.outbox import CommittedChange, audit_record, domain_event
from salesportal.observability import entrypoint, logger

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


class StreamSettings(Settings):
    audit_table_name: str
    event_bus_name: str
    event_source: str


def _change(record: DynamoDBRecord) -> CommittedChange:
    stream = record.dynamodb
    if stream is None:  # every real stream record carries its images
        raise ValueError(f"stream record {record.event_id} has no dynamodb section")
    # Every real stream record carries its commit time; the audit key is built from it,
    # so a replayed record maps to the same audit item.
    created = stream.approximate_creation_date_time
    if created is None:
        raise ValueError(f"stream record {record.event_id} has no ApproximateCreationDateTime")
    return CommittedChange(
        event_id=record.event_id or "",
        operation=record.event_name.name if record.event_name else "MODIFY",  # type: ignore[arg-type]
        committed_at=datetime.fromtimestamp(created, UTC),
        old=plain(stream.old_image or {}),
        new=plain(stream.new_image or {}),
        sequence=stream.sequence_number or "",
    )


def handle(record: DynamoDBRecord) -> None:
    settings = load(StreamSettings)
    change = _change(record)
    audit = audit_record(change)
    written = AuditRepository(settings.audit_table_name).append(audit)
    event = domain_event(audit, change)
    bus.publish([event], bus_name=settings.event_bus_name, source=settings.event_source)
    logger.info(
        "change recorded",
        extra={
            "entity": audit.entity,
            "action": audit.action,
            "event": event.detail_type,
            "replay": not written,
        },
    )


@entrypoint()
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=handle, processor=processor, context=context)
