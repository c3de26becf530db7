"""Analytics recorder: domain events → per-day counters, each event counted once.

The counting rules are salesportal.domain.analytics (pure); a redelivered event finds its
marker and adds nothing. A record that fails (DynamoDB throttled) is retried alone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.data.analytics import AnalyticsRepository
from salesportal.domain.analytics import METRICS, increments
from salesportal.models.events import DomainEventMessage
from salesportal.observability import entrypoint, logger, metrics

processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


class RecorderSettings(Settings):
    analytics_table_name: str


def handle(record: SQSRecord) -> None:
    message = DomainEventMessage.model_validate_json(record.body)
    # The counting rules read the detail as published: JSON values, the time as ISO text.
    counted = increments(message.detail_type, message.detail.model_dump(by_alias=True, mode="json"))
    if counted is None:
        return
    event_id = message.detail.event_id
    added = AnalyticsRepository(load(RecorderSettings).analytics_table_name).count_event(
        event_id, counted.day, counted.counters, datetime.now(UTC)
    )
    if not added:
        logger.info("event already counted", extra={"event": message.detail_type, "event_id": event_id})
        return
    for counter, metric in METRICS.items():
        if counted.counters.get(counter):
            metrics.add_metric(name=metric, unit="Count", value=counted.counters[counter])


@entrypoint()
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=handle, processor=processor, context=context)
