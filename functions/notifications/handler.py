"""Notifications worker: domain events → an email (SES) and/or SMS (SNS) by the customer's preferences.

Each (event, channel) is recorded in the activity table after it is sent; a redelivered
event finds the record and sends nothing again. A provider failure fails the message, which
is retried and, after the last attempt, kept in the DLQ (alarmed); a channel already sent
stays sent.
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal import aws
from salesportal.config import Settings, load
from salesportal.data.activity import ActivityRepository, notification_sk
from salesportal.data.customers import CustomerRepository
from salesportal.domain.notifications import Message, render
from salesportal.observability import entrypoint, logger, metrics

# A batch whose every record failed is reported like any other (each message retried alone).
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


class NotificationSettings(Settings):
    customers_table_name: str
    activity_table_name: str
    notification_sender: str


def _channels(profile: dict[str, Any]) -> list[tuple[str, str]]:
    """(channel, address) pairs the customer asked for and can receive."""
    prefs = profile.get("contactPreferences") or {"email": True, "sms": False}
    channels = []
    if prefs.get("email", True) and profile.get("email"):
        channels.append(("email", str(profile["email"])))
    if prefs.get("sms") and profile.get("phone"):
        channels.append(("sms", str(profile["phone"])))
    return channels


def _send(channel: str, address: str, message: Message) -> str:
    if channel == "email":
        response = aws.client("sesv2").send_email(
            FromEmailAddress=load(NotificationSettings).notification_sender,
            Destination={"ToAddresses": [address]},
            Content={
                "Simple": {
                    "Subject": {"Data": message.subject, "Charset": "UTF-8"},
                    "Body": {"Text": {"Data": message.text, "Charset": "UTF-8"}},
                }
            },
        )
        return str(response.get("MessageId", ""))
    response = aws.client("sns").publish(
        PhoneNumber=address,
        Message=f"{message.subject}: {message.text}"[:1400],
        MessageAttributes={"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}},
    )
    return str(response.get("MessageId", ""))


def handle(record: SQSRecord) -> None:
    settings = load(NotificationSettings)
    event = json.loads(record.body)
    detail = event.get("detail") or {}
    message = render(
        event.get("detail-type", ""), {**(detail.get("facts") or {}), "entityId": detail.get("entityId")}
    )
    customer_id = detail.get("customerId")
    if message is None or not customer_id:
        return  # not something a customer is told about
    profile = CustomerRepository(settings.customers_table_name).get(customer_id)
    if profile is None:
        logger.warning("notification for a customer without a profile", extra={"customer_id": customer_id})
        return
    activity = ActivityRepository(settings.activity_table_name)
    for channel, address in _channels(profile):
        sk = notification_sk(detail["occurredAt"], detail["eventId"], channel)
        if activity.notification(customer_id, sk):
            logger.info("already sent", extra={"kind": message.kind, "channel": channel})
            continue
        provider_id = _send(channel, address, message)
        activity.record_notification(
            customer_id,
            sk,
            {
                "notificationId": f"{detail['eventId']}:{channel}",
                "kind": message.kind,
                "channel": channel,
                "subject": message.subject,
                "text": message.text,
                "status": "SENT",
                "sentAt": detail["occurredAt"],
                "eventType": event.get("detail-type"),
                "entityType": detail.get("entityType"),
                "entityId": detail.get("entityId"),
                "providerMessageId": provider_id,
            },
        )
        metrics.add_metric(name="NotificationsSent", unit="Count", value=1)
        # The address is personal: the log names the channel and kind, never where it went.
        logger.info("notification sent", extra={"kind": message.kind, "channel": channel})


@entrypoint()
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(event=event, record_handler=handle, processor=processor, context=context)
