"""The notifying workflow with in-memory ports: the recipient's language and channels, sent once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from salesportal.domain.notifications import Facts, ReceivedEvent, Recipient, SentNotification
from salesportal.integrations.messaging import SMS_MAX_CHARS, SMS_MAX_CHARS_UCS2, sms_body
from salesportal.workflows import notifying

EVENT = ReceivedEvent(
    event_id="e1",
    detail_type="PaymentCreated",
    occurred_at=datetime(2026, 11, 22, 11, 0, tzinfo=UTC),
    customer_id="c1",
    entity_type="payment",
    entity_id="p1",
    facts=Facts(status="SUCCEEDED", amount_cents=40345, policy_number="TL-1"),
)


@dataclass
class Customers:
    recipients: dict[str, Recipient]

    def recipient(self, customer_id: str) -> Recipient | None:
        return self.recipients.get(customer_id)


@dataclass
class Log:
    entries: dict[tuple[str, str, str, str], SentNotification] = field(default_factory=dict)

    def was_sent(self, customer_id: str, *, occurred_at: str, event_id: str, channel: str) -> bool:
        return (customer_id, occurred_at, event_id, channel) in self.entries

    def record_sent(self, sent: SentNotification) -> None:
        self.entries[(sent.customer_id, sent.sent_at, sent.event_id, sent.channel)] = sent


@dataclass
class Messenger:
    outbox: list[tuple[str, str, str, str]] = field(default_factory=list)
    failing: set[str] = field(default_factory=set)

    def email(self, to: str, subject: str, text: str) -> str:
        return self._send("email", to, subject, text)

    def sms(self, to: str, subject: str, text: str) -> str:
        return self._send("sms", to, subject, text)

    def _send(self, channel: str, to: str, subject: str, text: str) -> str:
        if channel in self.failing:
            raise ConnectionError(f"{channel} provider down")
        self.outbox.append((channel, to, subject, text))
        return f"m{len(self.outbox)}"


def _ports(*recipients: Recipient) -> tuple[notifying.Ports, Log, Messenger]:
    log, messenger = Log(), Messenger()
    return notifying.Ports(Customers({r.customer_id: r for r in recipients}), log, messenger), log, messenger


def test_a_spanish_speaking_customer_is_written_to_in_spanish_on_both_channels():
    ports, log, messenger = _ports(
        Recipient("c1", email="ana@example.com", phone="+15125550100", wants_sms=True, language="es")
    )
    outcome = notifying.notify(EVENT, ports)
    assert [(c, to, s) for c, to, s, _ in messenger.outbox] == [
        ("email", "ana@example.com", "Recibimos su pago"),
        ("sms", "+15125550100", "Recibimos su pago"),
    ]
    assert messenger.outbox[0][3] == "Recibimos su pago de $403.45 para la póliza TL-1. Gracias."
    assert [s.language for s in outcome.sent] == ["es", "es"]
    assert {s.notification_id for s in log.entries.values()} == {"e1:email", "e1:sms"}
    assert {s.provider_message_id for s in log.entries.values()} == {"m1", "m2"}


def test_a_customer_without_a_language_is_written_to_in_english():
    ports, _, messenger = _ports(Recipient("c1", email="dana@example.com", phone=None))
    notifying.notify(EVENT, ports)
    assert messenger.outbox == [
        (
            "email",
            "dana@example.com",
            "Payment received",
            "We received your payment of $403.45 for policy TL-1. Thank you.",
        )
    ]


def test_a_redelivered_event_sends_nothing_again():
    ports, _, messenger = _ports(Recipient("c1", email="dana@example.com", phone=None))
    notifying.notify(EVENT, ports)
    again = notifying.notify(EVENT, ports)
    assert len(messenger.outbox) == 1 and again.sent == () and again.already_sent == ("email",)


def test_a_provider_failure_raises_and_the_retry_sends_only_what_is_missing():
    ports, log, messenger = _ports(
        Recipient("c1", email="dana@example.com", phone="+15125550100", wants_sms=True)
    )
    messenger.failing.add("sms")
    with pytest.raises(ConnectionError):
        notifying.notify(EVENT, ports)
    assert [s.channel for s in log.entries.values()] == ["email"]  # the e-mail went and is logged
    messenger.failing.clear()
    retried = notifying.notify(EVENT, ports)
    assert [c for c, *_ in messenger.outbox] == ["email", "sms"]
    assert retried.already_sent == ("email",) and [s.channel for s in retried.sent] == ["sms"]


def test_events_not_for_customers_and_customers_without_a_profile_get_nothing():
    ports, log, messenger = _ports()
    quote = ReceivedEvent("e2", "QuoteCreated", EVENT.occurred_at, "c1", "quote", "q1", Facts())
    assert notifying.notify(quote, ports).skipped == "not_for_customers"
    assert notifying.notify(EVENT, ports).skipped == "no_profile"
    assert messenger.outbox == [] and log.entries == {}


def test_an_sms_is_held_to_what_sns_sends_in_one_publish():
    assert len(sms_body("Subject", "x" * 5000)) == SMS_MAX_CHARS
    assert len(sms_body("Póliza", "x" * 5000)) == SMS_MAX_CHARS_UCS2  # UCS-2: two bytes a letter
    assert sms_body("Recibimos su pago", "Gracias.") == "Recibimos su pago: Gracias."
