"""The activity table: per customer, the notification log (and later analytics events).

Access patterns:
- a customer's notifications, newest first, paginated:
  Query pk=CUSTOMER#<sub>, begins_with(sk, "NOTIFICATION#"), ScanIndexForward=false
- one delivery: GetItem sk=NOTIFICATION#<occurredAt>#<eventId>#<channel>. The key is built
  from the domain event, so the same event delivered twice finds its earlier record and is
  not sent again. Each entry keeps the text as sent, in the language it was sent in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from salesportal.data.dynamo import Page, TableRepository, to_item
from salesportal.domain.languages import language_of
from salesportal.domain.notifications import SentNotification

MAX_PAGE = 50


def _pk(customer_id: str) -> str:
    return f"CUSTOMER#{customer_id}"


def notification_sk(occurred_at: str, event_id: str, channel: str) -> str:
    return f"NOTIFICATION#{occurred_at}#{event_id}#{channel}"


def _notification_item(sent: SentNotification) -> dict[str, Any]:
    return {
        "pk": _pk(sent.customer_id),
        "sk": notification_sk(sent.sent_at, sent.event_id, sent.channel),
        "notificationId": sent.notification_id,
        "kind": sent.kind,
        "language": sent.language,
        "channel": sent.channel,
        "subject": sent.subject,
        "text": sent.text,
        "status": sent.status,
        "sentAt": sent.sent_at,
        "eventType": sent.event_type,
        "entityType": sent.entity_type,
        "entityId": sent.entity_id,
        "providerMessageId": sent.provider_message_id,
    }


def _notification(item: Mapping[str, Any]) -> SentNotification:
    # Entries written before languages existed were all rendered in English.
    return SentNotification(
        customer_id=str(item["pk"]).removeprefix("CUSTOMER#"),
        event_id=str(item["notificationId"]).rsplit(":", 1)[0],
        channel=item["channel"],
        kind=item["kind"],
        language=language_of(item.get("language")),
        subject=item["subject"],
        text=item["text"],
        status=item["status"],
        sent_at=item["sentAt"],
        event_type=item.get("eventType") or "",
        entity_type=item.get("entityType"),
        entity_id=item.get("entityId"),
        provider_message_id=item.get("providerMessageId") or "",
    )


@dataclass(frozen=True)
class ActivityRepository(TableRepository):
    def was_sent(self, customer_id: str, *, occurred_at: str, event_id: str, channel: str) -> bool:
        """Whether this event's message already went out on ``channel`` (a redelivery)."""
        key = {"pk": _pk(customer_id), "sk": notification_sk(occurred_at, event_id, channel)}
        response = self._client().get_item(
            TableName=self.table_name, Key=to_item(key), ProjectionExpression="pk"
        )
        return "Item" in response

    def record_sent(self, sent: SentNotification) -> None:
        self._client().put_item(TableName=self.table_name, Item=to_item(_notification_item(sent)))

    def notifications(self, customer_id: str, *, limit: int, token: str | None) -> Page[SentNotification]:
        page = self._newest_first(_pk(customer_id), "NOTIFICATION#", limit=min(limit, MAX_PAGE), token=token)
        return Page([_notification(i) for i in page.items], page.next_token)
