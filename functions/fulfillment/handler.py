"""Fulfillment worker: queued mail requests → the Fulfillment API, each mailed once.

A request already SENT is skipped (the same request queued twice). An outage fails the
message, which is retried and then kept in the DLQ (alarmed); a request the API rejects
(4xx) is recorded REJECTED with the reason and not retried, since it would fail the same way.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal import secrets
from salesportal.config import Settings, load
from salesportal.data.control import ControlRepository
from salesportal.integrations.checks import RequestRejected
from salesportal.integrations.fulfillment import Fulfillment, HttpFulfillment
from salesportal.observability import entrypoint, logger, metrics

# A batch whose every record failed is reported like any other (each message retried alone).
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


class FulfillmentSettings(Settings):
    control_table_name: str
    fulfillment_base_url: str
    fulfillment_secret_id: str


@cache
def fulfillment() -> Fulfillment:
    s = load(FulfillmentSettings)
    return HttpFulfillment(s.fulfillment_base_url, secrets.get_json(s.fulfillment_secret_id)["apiKey"])


def handle(record: SQSRecord) -> None:
    message = json.loads(record.body)
    request_id = message["requestId"]
    control = ControlRepository(load(FulfillmentSettings).control_table_name)
    previous = control.mail_request(request_id)
    if previous and previous.get("status") in ("SENT", "REJECTED"):
        logger.info(
            "mail request already handled", extra={"request_id": request_id, "status": previous["status"]}
        )
        return
    now = datetime.now(UTC).isoformat()
    record_values = {
        "requestId": request_id,
        "planId": message["planId"],
        "requestedAt": message["requestedAt"],
    }
    try:
        fulfillment_id = fulfillment().send(
            request_id=request_id,
            plan_id=message["planId"],
            plan_name=message["planName"],
            recipient=message["recipient"],
        )
    except RequestRejected as exc:
        control.record_mail_request(
            request_id, {**record_values, "status": "REJECTED", "reason": str(exc)[:300], "updatedAt": now}
        )
        metrics.add_metric(name="MailRequestsRejected", unit="Count", value=1)
        logger.warning(
            "mail request rejected by the Fulfillment API",
            extra={"request_id": request_id, "status": exc.status},
        )
        return
    control.record_mail_request(
        request_id, {**record_values, "status": "SENT", "fulfillmentId": fulfillment_id, "updatedAt": now}
    )
    metrics.add_metric(name="MailRequestsSent", unit="Count", value=1)
    logger.info("mail request sent", extra={"request_id": request_id, "fulfillment_id": fulfillment_id})


@entrypoint()
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(event=event, record_handler=handle, processor=processor, context=context)
