"""Which events a customer hears about, what each message says in English and in Spanish, and
that amounts and dates are written from cents and ISO dates as en-US and es-US write them."""

from __future__ import annotations

import string
from datetime import UTC, date, datetime

import pytest

from salesportal.domain import underwriting
from salesportal.domain.formatting import long_date, money
from salesportal.domain.languages import LANGUAGES
from salesportal.domain.notification_templates import (
    DECLARATIONS,
    GENERIC_REASONS,
    PAYMENT_DECLINE_CODES,
    PAYMENT_DECLINED,
    TEMPLATES,
    UNDERWRITING_REASONS,
    Kind,
)
from salesportal.domain.notifications import Facts, ReceivedEvent, Recipient, kind_of, render

OCCURRED = datetime(2026, 11, 22, 11, 0, tzinfo=UTC)
KINDS: tuple[Kind, ...] = Kind.__args__  # type: ignore[attr-defined]


def _event(detail_type: str, **facts) -> ReceivedEvent:
    return ReceivedEvent(
        event_id="3b1f6c7e0d2a4e59b8c1d7e2f4a6b8c0",
        detail_type=detail_type,
        occurred_at=OCCURRED,
        customer_id="8a1f0c2e",
        entity_type="policy",
        entity_id="01JD8X3K9Q2M4N6P8R0T2V4W6Z",
        facts=Facts(**facts),
    )


EVERY_KIND = [
    (_event("ApplicationStatusChanged", status="APPROVED"), "application_approved"),
    (_event("ApplicationStatusChanged", status="DECLINED", reasons=("Too risky.",)), "application_declined"),
    (_event("ApplicationStatusChanged", status="REFERRED"), "application_referred"),
    (_event("PolicyCreated", policy_number="TL-2026-X"), "policy_issued"),
    (_event("PaymentCreated", status="SUCCEEDED", amount_cents=12345), "payment_succeeded"),
    (_event("PaymentStatusChanged", status="FAILED", amount_cents=100), "payment_failed"),
    (_event("PolicyStatusChanged", status="CANCELLED"), "policy_cancelled"),
    (_event("PolicyStatusChanged", status="LAPSED"), "policy_lapsed"),
    (_event("RefundCreated", amount_cents=500), "refund_issued"),
    (_event("RenewalReminderCreated", days_before=7, term_end="2027-01-01"), "renewal_due"),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("event", "kind"), EVERY_KIND)
def test_each_customer_facing_event_has_a_template_in_every_language(event, kind, language):
    message = render(event, language)
    assert message is not None and message.kind == kind and message.language == language
    assert message.subject and message.text
    assert "{" not in message.subject + message.text  # every placeholder filled


def test_the_cases_above_cover_every_template():
    assert {kind for _, kind in EVERY_KIND} == set(KINDS)


@pytest.mark.parametrize(
    "event",
    [
        _event("QuoteCreated"),
        _event("PaymentCreated", status="PROCESSING"),
        _event("PolicyStatusChanged", status="ACTIVE"),
    ],
)
def test_internal_events_send_nothing(event):
    assert kind_of(event) is None and render(event, "es") is None and render(event) is None


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_language_has_every_template_and_nothing_else():
    assert set(TEMPLATES) == set(LANGUAGES)
    for language, templates in TEMPLATES.items():
        assert set(templates) == set(KINDS), language


@pytest.mark.parametrize("kind", KINDS)
def test_a_template_has_the_same_placeholders_in_every_language(kind):
    english = TEMPLATES["en"][kind]
    for language in LANGUAGES:
        template = TEMPLATES[language][kind]
        assert _placeholders(template.subject) == _placeholders(english.subject), (language, kind)
        assert _placeholders(template.text) == _placeholders(english.text), (language, kind)


def test_every_language_has_every_wording_beside_the_templates():
    assert set(PAYMENT_DECLINED) == set(LANGUAGES)
    for language in set(LANGUAGES) - {"en"}:
        # Underwriting's sentences reach the event in English: each has its translation.
        assert set(UNDERWRITING_REASONS[language]) == set(underwriting.REASON_TEXT), language
        assert set(DECLARATIONS[language]) == set(underwriting.DECLARATION_TEXT), language
        assert all(GENERIC_REASONS[language]), language
        assert PAYMENT_DECLINE_CODES[language], language


def test_a_spanish_template_is_not_left_in_english():
    for kind in KINDS:
        assert TEMPLATES["es"][kind].text != TEMPLATES["en"][kind].text, kind
        assert TEMPLATES["es"][kind].subject != TEMPLATES["en"][kind].subject, kind


def test_amounts_are_formatted_from_integer_cents():
    assert money(123456) == "$1,234.56" and money(5) == "$0.05" and money(100, "EUR") == "EUR 1.00"
    event = _event("PaymentCreated", status="SUCCEEDED", amount_cents=40345, policy_number="TL-1")
    message = render(event)
    assert message is not None and "$403.45" in message.text and "TL-1" in message.text


@pytest.mark.parametrize(
    ("cents", "currency", "written"),
    [
        (123456, "USD", "$1,234.56"),
        (123456789, "USD", "$1,234,567.89"),
        (-500, "USD", "-$5.00"),
        (123450, "EUR", "EUR 1,234.50"),
        (0, "USD", "$0.00"),
    ],
)
def test_es_us_writes_money_as_the_us_does(cents, currency, written):
    # es-US (CLDR, the portal's Intl): "." before the cents, "," between thousands, $ first.
    assert money(cents, currency, "en") == written
    assert money(cents, currency, "es") == written


def test_dates_are_written_for_each_locale():
    assert long_date(date(2027, 1, 1), "en") == "January 1, 2027"
    assert long_date(date(2027, 1, 1), "es") == "1 de enero de 2027"
    assert long_date(date(2026, 11, 22), "es") == "22 de noviembre de 2026"


def test_a_spanish_payment_receipt_reads_in_spanish_with_us_money():
    event = _event("PaymentCreated", status="SUCCEEDED", amount_cents=123456, policy_number="TL-1")
    message = render(event, "es")
    assert message is not None
    assert message.subject == "Recibimos su pago"
    assert message.text == "Recibimos su pago de $1,234.56 para la póliza TL-1. Gracias."


def test_a_renewal_reminder_writes_its_date_in_the_language():
    event = _event("RenewalReminderCreated", days_before=7, term_end="2027-01-01", policy_number="TL-1")
    english, spanish = render(event, "en"), render(event, "es")
    assert english is not None and spanish is not None
    assert english.subject == "Policy TL-1 renews in 7 days"
    assert "ends on January 1, 2027." in english.text
    assert spanish.subject == "Su póliza TL-1 se renueva en 7 días"
    assert "termina el 1 de enero de 2027." in spanish.text


def test_a_cancellation_without_an_effective_date_is_dated_when_it_happened():
    event = _event("PolicyStatusChanged", status="CANCELLED", policy_number="TL-1")
    message = render(event, "es")
    assert (
        message is not None
        and message.text == "Su póliza TL-1 queda cancelada a partir del 22 de noviembre de 2026."
    )


def test_underwriting_reasons_are_told_in_spanish_and_a_reviewers_own_words_as_written():
    reasons = (
        underwriting.readable("tobacco_use"),
        underwriting.declared("chronicCondition"),
        "Custom note.",
    )
    event = _event("ApplicationStatusChanged", status="DECLINED", reasons=reasons)
    spanish, english = render(event, "es"), render(event, "en")
    assert spanish is not None and english is not None
    assert "El consumo de tabaco aumenta el riesgo que cubriríamos." in spanish.text
    assert "afección médica crónica" in spanish.text and spanish.text.endswith("Custom note.")
    assert english.text == ("We are sorry: we cannot offer cover on this application. " + " ".join(reasons))


def test_a_declined_payment_quotes_the_gateway_in_english_and_its_code_in_spanish():
    event = _event(
        "PaymentStatusChanged",
        status="FAILED",
        amount_cents=100,
        policy_number="TL-1",
        decline_code="insufficient_funds",
        decline_message="Your card has insufficient funds.",
    )
    english, spanish = render(event, "en"), render(event, "es")
    assert english is not None and "failed: Your card has insufficient funds. Please" in english.text
    assert spanish is not None and "Su tarjeta no tiene fondos suficientes." in spanish.text
    unknown = render(_event("PaymentStatusChanged", status="FAILED", decline_code="new_code"), "es")
    assert unknown is not None and PAYMENT_DECLINED["es"] in unknown.text


def test_a_recipient_is_reached_only_where_they_asked_and_can_be():
    both = Recipient("c", email="a@example.com", phone="+15125550100", wants_sms=True)
    assert both.channels() == [("email", "a@example.com"), ("sms", "+15125550100")]
    assert Recipient("c", email=None, phone="+15125550100", wants_sms=True).channels() == [
        ("sms", "+15125550100")
    ]
    assert Recipient("c", email="a@example.com", phone=None, wants_sms=True).channels() == [
        ("email", "a@example.com")
    ]
    assert Recipient("c", email="a@example.com", phone=None, wants_email=False).channels() == []
