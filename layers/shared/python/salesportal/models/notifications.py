"""What a customer reads of the messages sent to them (GET /me/notifications)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from salesportal.domain.languages import Language
from salesportal.domain.notifications import SentNotification
from salesportal.models.common import ApiModel


class Notification(ApiModel):
    notification_id: str
    kind: str
    channel: Literal["email", "sms"]
    language: Language = Field(description="The language the message was written and sent in")
    subject: str
    text: str
    status: str
    sent_at: datetime
    entity_type: str | None = None
    entity_id: str | None = None

    @classmethod
    def from_entity(cls, sent: SentNotification) -> Notification:
        return cls(
            notification_id=sent.notification_id,
            kind=sent.kind,
            channel=sent.channel,
            language=sent.language,
            subject=sent.subject,
            text=sent.text,
            status=sent.status,
            sent_at=datetime.fromisoformat(sent.sent_at),
            entity_type=sent.entity_type,
            entity_id=sent.entity_id,
        )
