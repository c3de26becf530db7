"""The money invariant of a policy, as a check over what the gateway and our stored records say. Pure.

A test oracle: it reads the stored items as they are, independently of the repository's mapping,
so a mapping mistake cannot hide a money mistake.

For every policy:
1. money kept by the gateway (succeeded charges - refunds) = premium of the terms actually
   covered: each paid term's premium, less the cancellation's pro-rata refund of its unused
   days (``proration.refund_cents``) when the policy was cancelled. Charges the gateway has
   settled but whose webhook has not reached us yet are in transit and not counted either way.
2. a term is paid by at most one payment, and the policy's paid terms name SUCCEEDED payments;
3. no payment stays PROCESSING once its webhook arrived, and at most one is PROCESSING
   (the policy's one charge in flight);
4. a charge that succeeded when its premium was no longer due is refunded in full and
   recorded (REFUNDED, with its refund id known to the gateway); every gateway refund is
   recorded by us.

``violations`` returns what does not hold, in words; an empty list means the books balance.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from salesportal.domain.proration import refund_cents


@dataclass(frozen=True)
class GatewayCharge:
    intent_id: str
    amount_cents: int
    status: str  # the gateway's: "succeeded" | "processing" | "requires_payment_method"


@dataclass(frozen=True)
class GatewayRefund:
    refund_id: str
    intent_id: str
    amount_cents: int


def kept_cents(charges: Iterable[GatewayCharge], refunds: Iterable[GatewayRefund]) -> int:
    """What the gateway holds for the policy: succeeded charges less refunds."""
    return sum(c.amount_cents for c in charges if c.status == "succeeded") - sum(
        r.amount_cents for r in refunds
    )


def covered_cents(policy: Mapping[str, Any], payments: Iterable[Mapping[str, Any]]) -> int:
    """The premium of the terms actually covered: every SUCCEEDED payment's term, less the
    unused days' refund when the policy was cancelled (as the cancellation computes it)."""
    cancelled = policy.get("status") == "CANCELLED"
    effective = date.fromisoformat(policy["cancellation"]["effectiveDate"]) if cancelled else None
    total = 0
    for payment in payments:
        if payment.get("status") != "SUCCEEDED":
            continue
        paid = int(payment["amountCents"])
        total += paid
        if effective is not None:
            total -= refund_cents(
                paid, date.fromisoformat(payment["termStart"]), _term_end(policy, payment), effective
            )
    return total


def _term_end(policy: Mapping[str, Any], payment: Mapping[str, Any]) -> date:
    if payment.get("termEnd"):
        return date.fromisoformat(payment["termEnd"])
    renewal = policy.get("renewal") or {}
    if payment["termStart"] == renewal.get("termStart"):
        return date.fromisoformat(renewal["termEnd"])
    return date.fromisoformat(policy["termEnd"])


def violations(
    policy: Mapping[str, Any],
    payments: Collection[Mapping[str, Any]],
    recorded_refunds: Collection[Mapping[str, Any]],
    charges: Collection[GatewayCharge],
    refunds: Collection[GatewayRefund],
    webhooks_received: Collection[str],
) -> list[str]:
    """Everything about this policy's money that does not hold (empty: all is well).

    ``webhooks_received``: ids of the charges whose settlement notice reached us.
    """
    by_id = {str(p["paymentId"]): p for p in payments}
    return [
        *_money_kept(policy, payments, by_id, charges, refunds, webhooks_received),
        *_terms_paid_once(policy, payments, by_id),
        *_charges_in_flight(policy, by_id, webhooks_received),
        *_refunds_recorded(by_id, recorded_refunds, refunds),
        *_notified_charges_recorded(by_id, charges, webhooks_received),
    ]


def _money_kept(
    policy: Mapping[str, Any],
    payments: Collection[Mapping[str, Any]],
    by_id: Mapping[str, Mapping[str, Any]],
    charges: Collection[GatewayCharge],
    refunds: Collection[GatewayRefund],
    webhooks_received: Collection[str],
) -> list[str]:
    """Money kept by the gateway = premium of the terms covered (a charge whose notice is
    still on its way is in transit, not yet ours to count)."""
    in_transit = sum(
        c.amount_cents
        for c in charges
        if c.status == "succeeded"
        and c.intent_id not in webhooks_received
        and by_id.get(c.intent_id, {}).get("status") in (None, "PROCESSING")
    )
    kept, covered = kept_cents(charges, refunds), covered_cents(policy, payments)
    if kept - in_transit == covered:
        return []
    return [
        f"gateway keeps {kept} cents ({in_transit} in transit) but the covered terms' premium is {covered}"
    ]


def _terms_paid_once(
    policy: Mapping[str, Any], payments: Collection[Mapping[str, Any]], by_id: Mapping[str, Mapping[str, Any]]
) -> list[str]:
    found: list[str] = []
    paid_per_term: dict[tuple[str, str], list[str]] = {}
    for p in payments:
        if p.get("status") == "SUCCEEDED":
            paid_per_term.setdefault((str(p["purpose"]), str(p["termStart"])), []).append(str(p["paymentId"]))
    found += [
        f"term {term} paid by {len(ids)} payments: {sorted(ids)}"
        for term, ids in paid_per_term.items()
        if len(ids) > 1
    ]
    renewal = policy.get("renewal") or {}
    for intent_id in (policy.get("paymentIntentId"), renewal.get("paymentIntentId")):
        if intent_id and by_id.get(str(intent_id), {}).get("status") != "SUCCEEDED":
            found.append(f"the policy counts {intent_id} as paid, but no SUCCEEDED payment says so")
    return found


def _charges_in_flight(
    policy: Mapping[str, Any], by_id: Mapping[str, Mapping[str, Any]], webhooks_received: Collection[str]
) -> list[str]:
    found: list[str] = []
    processing = sorted(i for i, p in by_id.items() if p.get("status") == "PROCESSING")
    settled_notice = [i for i in processing if i in webhooks_received]
    if settled_notice:
        found.append(f"payments still PROCESSING after their webhook: {settled_notice}")
    if len(processing) > 1:
        found.append(f"more than one charge in flight: {processing}")
    charge = policy.get("chargeInFlight") or {}
    if processing and charge.get("paymentId") not in processing:
        found.append(f"PROCESSING {processing} is not the policy's charge in flight")
    return found


def _refunds_recorded(
    by_id: Mapping[str, Mapping[str, Any]],
    recorded_refunds: Collection[Mapping[str, Any]],
    refunds: Collection[GatewayRefund],
) -> list[str]:
    found: list[str] = []
    gateway_refunds = {r.refund_id: r for r in refunds}
    for payment_id, payment in by_id.items():
        if payment.get("status") != "REFUNDED":
            continue
        refund = gateway_refunds.get(str(payment.get("refundId")))
        if (
            refund is None
            or refund.intent_id != payment_id
            or refund.amount_cents != int(payment["amountCents"])
        ):
            found.append(f"payment {payment_id} is REFUNDED without its full refund at the gateway")
    unrecorded = sorted(set(gateway_refunds) - {str(r["refundId"]) for r in recorded_refunds})
    if unrecorded:
        found.append(f"gateway refunds we have no record of: {unrecorded}")
    return found


def _notified_charges_recorded(
    by_id: Mapping[str, Mapping[str, Any]],
    charges: Collection[GatewayCharge],
    webhooks_received: Collection[str],
) -> list[str]:
    return [
        f"charge {c.intent_id} succeeded and was notified, but is not recorded"
        for c in charges
        if c.status == "succeeded" and c.intent_id in webhooks_received and c.intent_id not in by_id
    ]
