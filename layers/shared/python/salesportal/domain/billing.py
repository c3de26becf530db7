"""What a payment records, and what a paid premium changes on the policy. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from salesportal.domain.policies import Due


def payment_item(
    payment_id: str, status: str, due: Due, policy: Mapping[str, Any], now: str, **extra: Any
) -> dict[str, Any]:
    currency = policy["annualPremium"].get("currency", "USD")
    return {
        "paymentId": payment_id,
        "status": status,
        "purpose": due.purpose,
        "amount": {"amountCents": due.amount_cents, "currency": currency},
        "amountCents": due.amount_cents,  # event facts: what the notification quotes
        "currency": currency,
        "policyNumber": policy["policyNumber"],
        "termStart": due.term_start.isoformat(),
        "createdAt": now,
        **extra,
    }


def paid_policy_fields(
    policy: Mapping[str, Any], purpose: str, amount_cents: int, intent_id: str, method: str | None, now: str
) -> dict[str, Any]:
    """The policy after a premium is paid: ACTIVE (first term) or its renewal PAID."""
    fields: dict[str, Any]
    if purpose == "INITIAL":
        fields = {
            "status": "ACTIVE",
            "paidCents": amount_cents,
            "paymentIntentId": intent_id,
            "updatedAt": now,
        }
    else:
        renewal = {
            **policy["renewal"],
            "status": "PAID",
            "paidCents": amount_cents,
            "paymentIntentId": intent_id,
        }
        fields = {"renewal": renewal, "updatedAt": now}
    if method:
        fields["paymentMethod"] = method  # kept for renewal charges (dunning)
    return fields


def expected_status(purpose: str) -> tuple[str, ...]:
    """The policy state a payment for ``purpose`` is conditional on."""
    return ("PENDING_PAYMENT",) if purpose == "INITIAL" else ("ACTIVE",)
