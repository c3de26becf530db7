"""Domain events as a worker's queue delivers them: the outbox's detail in an EventBridge envelope.

The one model of an inbound domain event, read by every worker the outbox feeds (underwriting,
policy documents, AI answers, notifications, analytics). The stream processor writes the detail
(salesportal.domain.outbox.domain_event, serialised by salesportal.bus); an EventBridge rule
sends the whole event to the worker's queue, one per SQS message body. Parsing it here gives a
worker typed fields, and a body of another shape fails that one record (retried, then kept in
the queue's DLQ) with the validation error in the log, instead of a KeyError deep in a workflow.

It lives here rather than in models/inbound.py because a worker that reads an event then loads
pydantic alone, not what the stream processor needs to read a stream record (Powertools'
DynamoDB stream classes, the outbox rules, the item plumbing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

if TYPE_CHECKING:  # imported where converted: the workers that never convert skip its cost
    from salesportal.domain.notifications import ReceivedEvent


class _Inbound(BaseModel):
    # Producers may add fields; a consumer reads what it knows.
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True, extra="ignore")


class EventFacts(_Inbound):
    """The outbox's EVENT_FACTS (states, amounts, dates, references), each there only when the
    changed item has it. Nothing personal: the outbox never publishes more."""

    status: str | None = None
    policy_number: str | None = None
    policy_id: str | None = None
    application_id: str | None = None
    product_id: str | None = None
    product_name: str | None = None
    amount_cents: int | None = None
    currency: str | None = None
    purpose: str | None = None
    reasons: list[str] | None = None
    decline_code: str | None = None
    decline_message: str | None = None
    days_before: int | None = None
    term_start: str | None = None  # ISO dates
    term_end: str | None = None
    effective_date: str | None = None


class EventDetail(_Inbound):
    """What changed, who changed it and when; the owner when the entity has one."""

    event_id: str = Field(min_length=1)  # the stream record's: a redelivery carries the same
    occurred_at: AwareDatetime  # the commit time, UTC
    # The outbox always names the entity and the action; a worker given none finds nothing.
    entity_type: str = ""
    entity_id: str = ""
    action: str = ""  # created, updated, deleted
    actor: str = ""  # lastModifiedBy of the item ("system" when unset)
    customer_id: str = ""  # absent for an entity no customer owns
    changed_fields: list[str] = []
    previous_status: str | None = None  # on a <Entity>StatusChanged only
    facts: EventFacts = EventFacts()


class DomainEventMessage(BaseModel):
    """The EventBridge event (``detail-type`` and ``detail``; the envelope's other fields unread)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    detail_type: Annotated[str, Field(alias="detail-type", min_length=1)]
    detail: EventDetail

    def to_entity(self) -> ReceivedEvent:
        """The event as the notifying workflow reads it."""
        from salesportal.domain.notifications import Facts, ReceivedEvent

        detail, facts = self.detail, self.detail.facts
        return ReceivedEvent(
            event_id=detail.event_id,
            detail_type=self.detail_type,
            occurred_at=detail.occurred_at,
            customer_id=detail.customer_id or None,
            entity_type=detail.entity_type or None,
            entity_id=detail.entity_id or None,
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
