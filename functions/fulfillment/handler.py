"""Fulfillment worker: queued mail requests → the Fulfillment API, each mailed once
(``workflows.mailing``); a failed message is retried alone, then kept in the DLQ (alarmed)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal import secrets
from salesportal.config import Settings, load
from salesportal.data.mail_requests import MailRequests
from salesportal.integrations.fulfillment import HttpFulfillment
from salesportal.models.mail import MailRequestMessage
from salesportal.observability import count, entrypoint, logger
from salesportal.workflows import mailing

# A batch whose every record failed is reported like any other (each message retried alone).
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
METRICS = {"sent": "MailRequestsSent", "rejected": "MailRequestsRejected"}


class FulfillmentSettings(Settings):
    control_table_name: str
    fulfillment_base_url: str
    fulfillment_secret_id: str


def _ports() -> mailing.Ports:
    s = load(FulfillmentSettings)
    api_key = secrets.get_json(s.fulfillment_secret_id, "apiKey")[
        "apiKey"
    ]  # per invocation: rotation is seen
    return mailing.Ports(
        MailRequests(s.control_table_name),
        HttpFulfillment(s.fulfillment_base_url, api_key),
        datetime.now(UTC),
    )


def handle(record: SQSRecord) -> None:
    ports = _ports()  # a secret not set up fails every message alike, and says which secret
    request = MailRequestMessage.model_validate_json(record.body).to_entity()
    outcome = mailing.mail(ports, request)
    if outcome in METRICS:
        count(METRICS[outcome])
    logger.info("mail request " + outcome, extra={"request_id": request.request_id})


@entrypoint()
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=handle, processor=processor, context=context)
