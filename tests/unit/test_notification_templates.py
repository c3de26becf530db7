"""Which events a customer hears about, and that messages quote amounts from cents."""

from __future__ import annotations

import pytest

from salesportal.domain.notifications import money, render


@pytest.mark.parametrize(
    ("detail_type", "facts", "kind"),
    [
        ("ApplicationStatusChanged", {"status": "APPROVED"}, "application_approved"),
        (
            "ApplicationStatusChanged",
            {"status": "DECLINED", "reasons": ["Too risky."]},
            "application_declined",
        ),
        ("ApplicationStatusChanged", {"status": "REFERRED"}, "application_referred"),
        ("PolicyCreated", {"policyNumber": "TL-2026-X"}, "policy_issued"),
        ("PaymentCreated", {"status": "SUCCEEDED", "amountCents": 12345}, "payment_succeeded"),
        ("PaymentStatusChanged", {"status": "FAILED", "amountCents": 100}, "payment_failed"),
        ("PolicyStatusChanged", {"status": "CANCELLED"}, "policy_cancelled"),
        ("PolicyStatusChanged", {"status": "LAPSED"}, "policy_lapsed"),
        ("RefundCreated", {"amountCents": 500}, "refund_issued"),
        ("RenewalReminderCreated", {"daysBefore": 7, "termEnd": "2027-01-01"}, "renewal_due"),
    ],
)
def test_each_customer_facing_event_has_a_template(detail_type, facts, kind):
    message = render(detail_type, facts)
    assert message is not None and message.kind == kind and message.subject and message.text


@pytest.mark.parametrize(
    ("detail_type", "facts"),
    [
        ("QuoteCreated", {}),
        ("PaymentCreated", {"status": "PROCESSING"}),
        ("PolicyStatusChanged", {"status": "ACTIVE"}),
    ],
)
def test_internal_events_send_nothing(detail_type, facts):
    assert render(detail_type, facts) is None


def test_amounts_are_formatted_from_integer_cents():
    assert money(123456) == "$1,234.56" and money(5) == "$0.05" and money(100, "EUR") == "EUR 1.00"
    message = render("PaymentCreated", {"status": "SUCCEEDED", "amountCents": 40345, "policyNumber": "TL-1"})
    assert message is not None and "$403.45" in message.text and "TL-1" in message.text
