"""Telling a customer about a domain event: in their language, on the channels they chose, once.

Each (event, channel) is logged after it is sent; a redelivered event finds the log entry
and sends nothing again on that channel. A provider failure is raised (the queue retries the
event); a channel already sent stays sent, so the retry sends only what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from salesportal.domain.notifications import (
    Message,
    ReceivedEvent,
    Recipient,
    SentNotification,
    kind_of,
    message_for,
)
from salesportal.integrations.messaging import Messenger


class Recipients(Protocol):
    def recipient(self, customer_id: str) -> Recipient | None: ...


class NotificationLog(Protocol):
    def was_sent(self, customer_id: str, *, occurred_at: str, event_id: str, channel: str) -> bool: ...

    def record_sent(self, sent: SentNotification) -> None: ...


@dataclass(frozen=True)
class Ports:
    customers: Recipients
    log: NotificationLog
    messenger: Messenger


Skipped = Literal["not_for_customers", "no_profile"]


@dataclass(frozen=True)
class Outcome:
    message: Message | None = None
    sent: tuple[SentNotification, ...] = ()
    already_sent: tuple[str, ...] = ()  # channels a previous delivery of the event reached
    skipped: Skipped | None = None


def notify(event: ReceivedEvent, ports: Ports) -> Outcome:
    customer_id = event.customer_id
    kind = kind_of(event)
    if customer_id is None or kind is None:
        return Outcome(skipped="not_for_customers")
    recipient = ports.customers.recipient(customer_id)
    if recipient is None:
        return Outcome(skipped="no_profile")
    message = message_for(kind, event, recipient.language)
    occurred_at = event.occurred_at.isoformat()
    sent: list[SentNotification] = []
    already: list[str] = []
    for channel, address in recipient.channels():
        if ports.log.was_sent(customer_id, occurred_at=occurred_at, event_id=event.event_id, channel=channel):
            already.append(channel)
            continue
        if channel == "email":
            provider_id = ports.messenger.email(address, message.subject, message.text)
        else:
            provider_id = ports.messenger.sms(address, message.subject, message.text)
        entry = SentNotification(
            customer_id=customer_id,
            event_id=event.event_id,
            channel=channel,
            kind=message.kind,
            language=message.language,
            subject=message.subject,
            text=message.text,
            status="SENT",
            sent_at=occurred_at,
            event_type=event.detail_type,
            entity_type=event.entity_type,
            entity_id=event.entity_id,
            provider_message_id=provider_id,
        )
        ports.log.record_sent(entry)
        sent.append(entry)
    return Outcome(message=message, sent=tuple(sent), already_sent=tuple(already))
