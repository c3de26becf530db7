"""What a payment records, and what a paid premium changes on the policy. Pure.

One charge in flight per policy: before the gateway is called, the attempt is written on the
policy (``chargeInFlight``, see ``charge_in_flight``) by a write conditional on the premium
being due and no other attempt being there. The record holds everything the gateway request
was made of, so anyone who finds it unanswered (a timeout, a crash) can replay that very
request under its idempotency key and learn what happened instead of guessing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from salesportal.domain.policies import Due

CHARGE = "chargeInFlight"


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
        "termEnd": due.term_end.isoformat(),
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


def charge_in_flight(
    policy: Mapping[str, Any],
    due: Due,
    *,
    gateway_key: str,
    client_key: str,
    payment_method: str,
    description: str,
    actor: str,
    now: str,
) -> dict[str, Any]:
    """The attempt written on the policy before the gateway is called: the whole request."""
    return {
        "gatewayKey": gateway_key,
        "clientKey": client_key,
        "purpose": due.purpose,
        "termStart": due.term_start.isoformat(),
        "termEnd": due.term_end.isoformat(),
        "amountCents": due.amount_cents,
        "currency": policy["annualPremium"].get("currency", "USD"),
        "paymentMethod": payment_method,
        "description": description,
        "actor": actor,
        "startedAt": now,
    }


def due_of(charge: Mapping[str, Any]) -> Due:
    """The premium a charge in flight pays for."""
    return Due(
        charge["purpose"],
        int(charge["amountCents"]),
        date.fromisoformat(charge["termStart"]),
        date.fromisoformat(charge["termEnd"]),
    )


def charge_metadata(customer_id: str, policy_id: str, charge: Mapping[str, Any]) -> dict[str, str]:
    """What the gateway keeps with the charge and sends back in its webhook; ``chargeKey``
    lets a webhook that overtakes our own record find the attempt it belongs to."""
    return {
        "customerId": customer_id,
        "policyId": policy_id,
        "purpose": str(charge["purpose"]),
        "termStart": str(charge["termStart"]),
        "chargeKey": str(charge["gatewayKey"]),
    }


def is_due(policy: Mapping[str, Any], purpose: str, term_start: str) -> bool:
    """Whether the ``purpose`` premium for the term from ``term_start`` is still unpaid and wanted."""
    if purpose == "INITIAL":
        return policy.get("status") == "PENDING_PAYMENT" and policy.get("termStart") == term_start
    renewal = policy.get("renewal") or {}
    return (
        policy.get("status") == "ACTIVE"
        and renewal.get("status") == "PENDING_PAYMENT"
        and renewal.get("termStart") == term_start
    )


def paid_by(policy: Mapping[str, Any], payment_id: str) -> bool:
    """Whether the policy counts ``payment_id`` as the payment of one of its terms."""
    renewal = policy.get("renewal") or {}
    return payment_id in (policy.get("paymentIntentId"), renewal.get("paymentIntentId"))


def late_reason(policy: Mapping[str, Any], purpose: str, term_start: str) -> str:
    """Why a charge that succeeded is not kept: the customer is owed it back in full."""
    status = policy.get("status")
    if status == "CANCELLED":
        return "policy_cancelled"
    if status in ("LAPSED", "EXPIRED"):
        return f"policy_{str(status).lower()}"
    paid_initial = purpose == "INITIAL" and status == "ACTIVE"
    renewal = policy.get("renewal") or {}
    paid_renewal = (
        purpose == "RENEWAL" and renewal.get("termStart") == term_start and renewal.get("status") == "PAID"
    )
    rolled = purpose == "RENEWAL" and policy.get("termStart") == term_start
    return "already_paid" if paid_initial or paid_renewal or rolled else "not_due"


def settled_cancellation(
    policy: Mapping[str, Any], payment_id: str, refunded_cents: int
) -> dict[str, Any] | None:
    """A cancelled policy's cancellation once the payment it was waiting for has settled:
    its pending refund gone, and what was refunded added to the total. None when the
    cancellation was not waiting for this payment."""
    cancellation = policy.get("cancellation") or {}
    pending = cancellation.get("pendingRefund") or {}
    if policy.get("status") != "CANCELLED" or pending.get("paymentId") != payment_id:
        return None
    refund = cancellation.get("refund") or {"amountCents": 0, "currency": pending.get("currency", "USD")}
    return {
        **{k: v for k, v in cancellation.items() if k != "pendingRefund"},
        "refund": {**refund, "amountCents": int(refund["amountCents"]) + refunded_cents},
    }


@dataclass(frozen=True)
class PaidTerm:
    payment_id: str
    paid_cents: int
    start: date
    end: date


def paid_terms(policy: Mapping[str, Any]) -> list[PaidTerm]:
    """The terms a policy holds money for: its current term (once paid) and a paid renewal."""
    terms = []
    if policy.get("paymentIntentId"):
        terms.append(
            PaidTerm(
                str(policy["paymentIntentId"]),
                int(policy.get("paidCents", 0)),
                date.fromisoformat(policy["termStart"]),
                date.fromisoformat(policy["termEnd"]),
            )
        )
    renewal = policy.get("renewal") or {}
    if renewal.get("status") == "PAID" and renewal.get("paymentIntentId"):
        terms.append(
            PaidTerm(
                str(renewal["paymentIntentId"]),
                int(renewal.get("paidCents", 0)),
                date.fromisoformat(renewal["termStart"]),
                date.fromisoformat(renewal["termEnd"]),
            )
        )
    return terms
