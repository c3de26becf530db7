"""Domain events as a worker's queue delivers them: the outbox's detail in an EventBridge envelope.

The stream processor (salesportal.domain.outbox) writes the detail; an EventBridge rule sends
the whole event to the worker's queue, one per SQS message body. Parsing it here gives a
worker typed fields, and a body of another shape fails that one record (retried, then
kept in the queue's DLQ) instead of a KeyError deep in a workflow.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from salesportal.domain.notifications import Facts, ReceivedEvent


class _Inbound(BaseModel):
    # Producers may add fields; a consumer reads what it knows.
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True, extra="ignore")


class EventFacts(_Inbound):
    """The facts a message may quote: the outbox's EVENT_FACTS (states, amounts, dates, references)."""

    status: str | None = None
    policy_number: str | None = None
    amount_cents: int | None = None
    currency: str | None = None
    reasons: list[str] | None = None
    decline_code: str | None = None
    decline_message: str | None = None
    days_before: int | None = None
    term_end: str | None = None
    effective_date: str | None = None


class EventDetail(_Inbound):
    event_id: str = Field(min_length=1)
    occurred_at: AwareDatetime
    customer_id: str | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    facts: EventFacts = EventFacts()


class DomainEventMessage(BaseModel):
    """The EventBridge event (``detail-type`` and ``detail``; the envelope's other fields unread)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    detail_type: Annotated[str, Field(alias="detail-type")]
    detail: EventDetail

    def to_entity(self) -> ReceivedEvent:
        detail, facts = self.detail, self.detail.facts
        return ReceivedEvent(
            event_id=detail.event_id,
            detail_type=self.detail_type,
            occurred_at=detail.occurred_at,
            customer_id=detail.customer_id or None,
            entity_type=detail.entity_type,
            entity_id=detail.entity_id,
            facts=Facts(
                status=facts.status,
                policy_number=facts.policy_number,
                amount_cents=facts.amount_cents,
                currency=facts.currency or "USD",
                reasons=tuple(facts.reasons or ()),
                decline_code=facts.decline_code,
                decline_message=facts.decline_message,
                days_before=facts.days_before,
                term_end=facts.term_end,
                effective_date=facts.effective_date,
            ),
        )
