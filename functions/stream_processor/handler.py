"""The outbox: DynamoDB stream records become audit records and EventBridge domain events.

Each record is handled alone (partial batch response): a poison record is reported as
failed and retried, then parked in the failure queue, without blocking the others. The
audit write is conditional on the stream event id and comes before the publish, so a retry
after a failed publish writes no second audit record.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal import bus
from salesportal.config import Settings, load
from salesportal.data.audit import AuditRepository
from salesportal.domain.outbox import audit_record, domain_event
from salesportal.models.inbound import committed_change
from salesportal.observability import entrypoint, logger

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


class StreamSettings(Settings):
    audit_table_name: str
    event_bus_name: str
    event_source: str


def handle(record: DynamoDBRecord) -> None:
    settings = load(StreamSettings)
    change = committed_change(record)
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
