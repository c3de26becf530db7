"""The fulfillment queue's message: a mail request as ``POST /plans/{planId}/mail-requests`` queues it."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from salesportal.domain.mailing import MailRequest


class _Inbound(BaseModel):
    # Producers may add fields; a consumer reads what it knows.
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True, extra="ignore")


class Recipient(_Inbound):
    name: str = Field(min_length=1)
    address: dict[str, str]


class MailRequestMessage(_Inbound):
    request_id: str = Field(min_length=1, max_length=64)
    plan_id: str = Field(min_length=1)
    plan_name: str
    recipient: Recipient
    requested_at: AwareDatetime

    def to_entity(self) -> MailRequest:
        return MailRequest(
            request_id=self.request_id,
            plan_id=self.plan_id,
            plan_name=self.plan_name,
            recipient_name=self.recipient.name,
            address=dict(self.recipient.address),
            requested_at=self.requested_at,
        )
