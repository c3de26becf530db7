"""Notifications worker: domain events → an e-mail (SES) and/or SMS (SNS) by the customer's
preferences, in the customer's language (salesportal.workflows.notifying).

Each record is handled alone (partial batch response): a provider failure fails that message,
which is retried and, after the last attempt, kept in the DLQ (alarmed).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.data.activity import ActivityRepository
from salesportal.data.customers import CustomerRepository
from salesportal.integrations.messaging import AwsMessenger
from salesportal.models.events import DomainEventMessage
from salesportal.observability import entrypoint, logger, metrics
from salesportal.workflows import notifying

# A batch whose every record failed is reported like any other (each message retried alone).
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


class NotificationSettings(Settings):
    customers_table_name: str
    activity_table_name: str
    notification_sender: str


def ports() -> notifying.Ports:
    settings = load(NotificationSettings)
    customers, log = (
        CustomerRepository(settings.customers_table_name),
        ActivityRepository(settings.activity_table_name),
    )
    return notifying.Ports(customers=customers, log=log, messenger=AwsMessenger(settings.notification_sender))


def handle(record: SQSRecord) -> None:
    event = DomainEventMessage.model_validate_json(record.body).to_entity()
    outcome = notifying.notify(event, ports())
    if outcome.skipped == "no_profile":
        logger.warning(
            "notification for a customer without a profile", extra={"customer_id": event.customer_id}
        )
    # The address is personal: the log names the channel, kind and language, never where it went.
    kind = outcome.message.kind if outcome.message else None
    for channel in outcome.already_sent:
        logger.info("already sent", extra={"kind": kind, "channel": channel})
    for sent in outcome.sent:
        logger.info(
            "notification sent", extra={"kind": kind, "channel": sent.channel, "language": sent.language}
        )
    if outcome.sent:
        metrics.add_metric(name="NotificationsSent", unit="Count", value=len(outcome.sent))


@entrypoint()
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=handle, processor=processor, context=context)
