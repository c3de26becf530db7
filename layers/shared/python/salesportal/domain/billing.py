"""What a payment records, and what a paid premium changes on the policy. Pure.

One charge in flight per policy: before the gateway is called, the attempt is written on the
policy (its ``ChargeInFlight``, see ``charge_in_flight``) by a write conditional on the
premium being due and no other attempt being there. The attempt holds everything the
gateway request was made of, so anyone who finds it unanswered (a timeout, a crash) can
replay that very request under its idempotency key and learn what happened instead of
guessing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from salesportal.domain.policies import Due
from salesportal.domain.sales import (
    Cancellation,
    ChargeInFlight,
    Decline,
    Paid,
    Payment,
    PaymentStatus,
    Policy,
    Purpose,
    RefundReason,
)


def charge_in_flight(
    policy: Policy,
    due: Due,
    *,
    gateway_key: str,
    client_key: str,
    payment_method: str,
    description: str,
    actor: str,
    now: datetime,
) -> ChargeInFlight:
    """The attempt written on the policy before the gateway is called: the whole request."""
    return ChargeInFlight(
        gateway_key=gateway_key,
        client_key=client_key,
        purpose=due.purpose,
        term=due.term,
        amount=policy.annual_premium.with_cents(due.amount_cents),
        payment_method=payment_method,
        description=description,
        actor=actor,
        started_at=now,
    )


def due_of(charge: ChargeInFlight) -> Due:
    """The premium a charge in flight pays for."""
    return Due(
        charge.purpose, charge.amount.amount_cents, charge.term.start, charge.term.end, charge.amount.currency
    )


def charge_metadata(customer_id: str, policy_id: str, charge: ChargeInFlight) -> dict[str, str]:
    """What the gateway keeps with the charge and sends back in its webhook; ``chargeKey``
    lets a webhook that overtakes our own record find the attempt it belongs to."""
    return {
        "customerId": customer_id,
        "policyId": policy_id,
        "purpose": charge.purpose,
        "termStart": charge.term.start.isoformat(),
        "chargeKey": charge.gateway_key,
    }


def payment_of(
    policy: Policy,
    charge: ChargeInFlight,
    payment_id: str,
    status: PaymentStatus,
    now: datetime,
    decline: Decline | None = None,
) -> Payment:
    """The record of what the gateway answered to ``charge``."""
    return Payment(
        payment_id=payment_id,
        policy_id=policy.policy_id,
        customer_id=policy.customer_id,
        status=status,
        purpose=charge.purpose,
        amount=charge.amount,
        policy_number=policy.policy_number,
        term=charge.term,
        created_at=now,
        gateway_key=charge.gateway_key,
        payment_method=charge.payment_method,
        decline=decline,
    )


def holds(policy: Policy, payment: Payment) -> bool:
    """Whether the policy's charge in flight is ``payment``'s attempt."""
    charge = policy.charge
    if charge is None:
        return False
    return charge.gateway_key == payment.gateway_key or charge.payment_id == payment.payment_id


def released(policy: Policy, payment: Payment) -> Policy:
    """The policy with its charge slot freed, if ``payment`` holds it."""
    return replace(policy, charge=None) if holds(policy, payment) else policy


def paid(policy: Policy, payment: Payment, now: datetime) -> Policy:
    """The policy once ``payment`` paid its premium: ACTIVE (first term) or its renewal PAID;
    the method is kept for renewal charges (dunning), and the slot is freed."""
    settled = Paid(payment.payment_id, payment.amount.amount_cents)
    after = released(policy, payment)
    if payment.purpose == "INITIAL":
        after = replace(after, status="ACTIVE", paid=settled, updated_at=now)
    elif after.renewal is not None:
        after = replace(after, renewal=replace(after.renewal, status="PAID", paid=settled), updated_at=now)
    if payment.payment_method:
        after = replace(after, payment_method=payment.payment_method)
    return after


def is_due(policy: Policy, purpose: Purpose, term_start: date) -> bool:
    """Whether the ``purpose`` premium for the term from ``term_start`` is still unpaid and wanted."""
    if purpose == "INITIAL":
        return policy.status == "PENDING_PAYMENT" and policy.term.start == term_start
    renewal = policy.renewal
    return (
        policy.status == "ACTIVE"
        and renewal is not None
        and renewal.status == "PENDING_PAYMENT"
        and renewal.term.start == term_start
    )


def paid_by(policy: Policy, payment_id: str) -> bool:
    """Whether the policy counts ``payment_id`` as the payment of one of its terms."""
    renewal_paid = policy.renewal.paid if policy.renewal is not None else None
    return any(p is not None and p.payment_id == payment_id for p in (policy.paid, renewal_paid))


def late_reason(policy: Policy, purpose: Purpose, term_start: date) -> RefundReason:
    """Why a charge that succeeded is not kept: the customer is owed it back in full."""
    status = policy.status
    if status == "CANCELLED":
        return "policy_cancelled"
    if status == "LAPSED":
        return "policy_lapsed"
    if status == "EXPIRED":
        return "policy_expired"
    renewal = policy.renewal
    paid_initial = purpose == "INITIAL" and status == "ACTIVE"
    paid_renewal = (
        purpose == "RENEWAL"
        and renewal is not None
        and renewal.term.start == term_start
        and renewal.status == "PAID"
    )
    rolled = purpose == "RENEWAL" and policy.term.start == term_start
    return "already_paid" if paid_initial or paid_renewal or rolled else "not_due"


def settled_cancellation(policy: Policy, payment_id: str, refunded_cents: int) -> Cancellation | None:
    """A cancelled policy's cancellation once the payment it was waiting for has settled:
    its pending refund gone, and what was refunded added to the total. None when the
    cancellation was not waiting for this payment."""
    cancellation = policy.cancellation
    if policy.status != "CANCELLED" or cancellation is None:
        return None
    pending = cancellation.pending_refund
    if pending is None or pending.payment_id != payment_id:
        return None
    refund = cancellation.refund
    return replace(
        cancellation, pending_refund=None, refund=refund.with_cents(refund.amount_cents + refunded_cents)
    )


@dataclass(frozen=True)
class PaidTerm:
    payment_id: str
    paid_cents: int
    start: date
    end: date


def paid_terms(policy: Policy) -> list[PaidTerm]:
    """The terms a policy holds money for: its current term (once paid) and a paid renewal."""
    terms = []
    if policy.paid is not None:
        terms.append(PaidTerm(policy.paid.payment_id, policy.paid.cents, policy.term.start, policy.term.end))
    renewal = policy.renewal
    if renewal is not None and renewal.status == "PAID" and renewal.paid is not None:
        terms.append(
            PaidTerm(renewal.paid.payment_id, renewal.paid.cents, renewal.term.start, renewal.term.end)
        )
    return terms
