"""Which domain events a customer hears about, what the message says, and where it goes.

Pure: an event's type and its non-personal facts in, a message rendered in the recipient's
language (or None) out. Amounts are written here from integer cents and dates from ISO dates,
as the language's US locale writes them (salesportal.domain.formatting); nothing personal is
ever in the facts. The words are salesportal.domain.notification_templates'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from salesportal.domain import formatting
from salesportal.domain.languages import DEFAULT_LANGUAGE, Language
from salesportal.domain.notification_templates import (
    PAYMENT_DECLINE_CODES,
    PAYMENT_DECLINED,
    TEMPLATES,
    Kind,
    reason_translations,
)

Channel = Literal["email", "sms"]
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def money(cents: int | None, currency: str = "USD") -> str:
    """Money as en-US writes it, for English-only documents (the policy document)."""
    return formatting.money(int(cents or 0), currency)


@dataclass(frozen=True)
class Facts:
    """The facts of a domain event a message may quote (the outbox's EVENT_FACTS)."""

    status: str | None = None
    policy_number: str | None = None
    amount_cents: int | None = None
    currency: str = "USD"
    reasons: tuple[str, ...] = ()
    decline_code: str | None = None
    decline_message: str | None = None
    days_before: int | None = None
    term_end: str | None = None  # ISO date
    effective_date: str | None = None  # ISO date


@dataclass(frozen=True)
class ReceivedEvent:
    """A committed change as the outbox announced it, reduced to what notifying needs."""

    event_id: str
    detail_type: str  # PolicyCreated, PaymentStatusChanged…
    occurred_at: datetime
    customer_id: str | None
    entity_type: str | None
    entity_id: str | None
    facts: Facts


@dataclass(frozen=True)
class Message:
    kind: Kind  # the template's stable name, e.g. "application_approved"
    language: Language
    subject: str
    text: str


@dataclass(frozen=True)
class Recipient:
    """What a customer's profile says about reaching them."""

    customer_id: str
    email: str | None
    phone: str | None
    wants_email: bool = True
    wants_sms: bool = False
    language: Language = DEFAULT_LANGUAGE

    def channels(self) -> list[tuple[Channel, str]]:
        """(channel, address) pairs the customer asked for and can receive."""
        found: list[tuple[Channel, str]] = []
        if self.wants_email and self.email:
            found.append(("email", self.email))
        if self.wants_sms and self.phone:
            found.append(("sms", self.phone))
        return found


@dataclass(frozen=True)
class SentNotification:
    """One message delivered on one channel: the notification log's entry."""

    customer_id: str
    event_id: str
    channel: Channel
    kind: Kind
    language: Language
    subject: str
    text: str
    status: str
    sent_at: str  # ISO 8601: when the event occurred (stable across redeliveries)
    event_type: str
    entity_type: str | None
    entity_id: str | None
    provider_message_id: str

    @property
    def notification_id(self) -> str:
        return f"{self.event_id}:{self.channel}"


def _decline_reason(facts: Facts, language: Language) -> str:
    if language == "en":
        return facts.decline_message or PAYMENT_DECLINED[language]
    codes = PAYMENT_DECLINE_CODES.get(language, {})
    return codes.get(facts.decline_code or "", PAYMENT_DECLINED[language])


def _reasons(facts: Facts, language: Language) -> str:
    translated = reason_translations(language)
    return " ".join(translated.get(r, r) for r in facts.reasons)


# Events told whatever their facts, and events told only in some statuses.
_ALWAYS: dict[str, Kind] = {
    "PolicyCreated": "policy_issued",
    "RefundCreated": "refund_issued",
    "RenewalReminderCreated": "renewal_due",
}
_PAYMENT: dict[str, Kind] = {"SUCCEEDED": "payment_succeeded", "FAILED": "payment_failed"}
_BY_STATUS: dict[str, dict[str, Kind]] = {
    "ApplicationStatusChanged": {
        "APPROVED": "application_approved",
        "DECLINED": "application_declined",
        "REFERRED": "application_referred",
    },
    "PaymentCreated": _PAYMENT,
    "PaymentStatusChanged": _PAYMENT,
    "PolicyStatusChanged": {"CANCELLED": "policy_cancelled", "LAPSED": "policy_lapsed"},
}


def kind_of(event: ReceivedEvent) -> Kind | None:
    """The template ``event`` is told with, or None when a customer is not told about it."""
    if event.detail_type in _ALWAYS:
        return _ALWAYS[event.detail_type]
    return _BY_STATUS.get(event.detail_type, {}).get(event.facts.status or "")


def _date(kind: Kind, event: ReceivedEvent, language: Language) -> str:
    """The message's date as the locale writes it; text that is not an ISO date is quoted as it came."""
    if kind == "renewal_due":
        value = event.facts.term_end
    else:  # a cancellation without an effective date takes effect when it is committed
        value = event.facts.effective_date or event.occurred_at.date().isoformat()
    if value is None or not _ISO_DATE.fullmatch(value):
        return value or ""
    try:
        return formatting.long_date(date.fromisoformat(value), language)
    except ValueError:  # shaped like a date, but not one (2026-02-30)
        return value


def message_for(kind: Kind, event: ReceivedEvent, language: Language) -> Message:
    """The message of template ``kind`` about ``event``, written in ``language``."""
    facts = event.facts
    values = {
        "policy": facts.policy_number or event.entity_id or "",
        "amount": formatting.money(facts.amount_cents or 0, facts.currency, language),
        "reason": _decline_reason(facts, language),
        "reasons": _reasons(facts, language),
        "date": _date(kind, event, language),
        "days": "" if facts.days_before is None else str(facts.days_before),
    }
    template = TEMPLATES[language][kind]
    return Message(
        kind=kind,
        language=language,
        subject=template.subject.format_map(values).strip(),
        text=template.text.format_map(values).strip(),
    )


def render(event: ReceivedEvent, language: Language = DEFAULT_LANGUAGE) -> Message | None:
    """The message ``event`` becomes in ``language``, or None when a customer is not told."""
    kind = kind_of(event)
    return None if kind is None else message_for(kind, event, language)
