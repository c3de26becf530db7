"""Paying premiums and cancelling: every charge ends as cover paid for or money given back.

The rules (``tests.support.ledger``, a test oracle, states them as a checkable invariant):
- At most one charge in flight per policy. An attempt is written on the policy (its
  ``ChargeInFlight``) by a write conditional on the premium being due and no other attempt
  being there, *before* the gateway is called; two requests racing cannot both pass it.
  A new attempt while one is processing is refused (409 ``payment_processing``).
- The attempt holds the whole gateway request. A retry with the same key resumes it (the
  gateway replays its first answer), and anyone who finds an attempt whose answer never
  arrived (a gateway timeout, a crashed invocation) replays that request to learn the
  answer, so an unknown outcome is resolved, never guessed and never charged twice.
- Every settlement is recorded. A charge that succeeds when its premium is no longer due
  (already paid, policy cancelled, lapsed or expired) is refunded in full at once, under a
  gateway key derived from the payment id, and recorded as REFUNDED with its refund.
- A cancellation while a charge is processing succeeds; the cancellation says a refund is
  pending, and the settlement refunds it in full (no day of the term it paid for was
  covered). A charge whose answer is unknown is resolved first, so the refunds are right.

Charging a premium is one step, ``charge``: the customer's payment (``pay``) and the renewal
job's dunning (``workflows.renewing``) both claim an attempt and hand it to it.

Every write is guarded by the state it was decided on (conditional writes and transactions,
no locks): a lost race re-reads and decides again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Literal

from salesportal.data.sales import Expect, PolicyChange
from salesportal.domain import billing
from salesportal.domain import policies as lifecycle
from salesportal.domain.proration import refund_cents
from salesportal.domain.sales import (
    Cancellation,
    ChargeInFlight,
    Decline,
    GatewayNotice,
    LateRefund,
    Money,
    Payment,
    PendingRefund,
    Policy,
    Refund,
    Renewal,
)
from salesportal.errors import Conflict, NotFound, PaymentRequired, ServiceUnavailable, Unprocessable
from salesportal.integrations.http import DependencyError
from salesportal.integrations.payments import PaymentDeclined, PaymentGateway, PaymentRejected
from salesportal.workflows.sales_ports import SalesStore

ROUNDS = 6  # reads-decide-write rounds before giving up on a policy that keeps changing
# An attempt older than this cannot still be in the hands of the invocation that claimed it
# (the payments function stops at 29 s, API Gateway's limit): its answer was lost.
ABANDONED_AFTER = timedelta(seconds=60)
KEY_REUSED = "This Idempotency-Key was used for a different payment; send a new key for a new attempt."
SUCCEEDED, FAILED = "payment_intent.succeeded", "payment_intent.payment_failed"

Kind = Literal["paid", "processing", "refunded", "failed", "recorded_before"]
Settlement = Literal["settled", "refunded", "already_settled", "unknown_payment", "ignored"]


def _uncounted(name: str) -> None:
    """The default counter: business events are not counted."""


@dataclass(frozen=True)
class Ports:
    sales: SalesStore
    gateway: PaymentGateway
    actor: str
    now: datetime  # aware, UTC
    count: Callable[[str], None] = field(default=_uncounted)  # a business event, by metric name


@dataclass(frozen=True)
class Outcome:
    kind: Kind
    payment: Payment


Notice = GatewayNotice


def processing_conflict(charge: ChargeInFlight) -> Conflict:
    details = {"paymentId": charge.payment_id} if charge.payment_id else None
    return Conflict(
        "A payment for this policy is still processing; wait for its outcome before paying again.",
        code="payment_processing",
        details=details,
    )


def _policy(ports: Ports, customer_id: str, policy_id: str) -> Policy:
    policy = ports.sales.policy(customer_id, policy_id)
    if policy is None:
        raise NotFound("No such policy.", code="policy_not_found")
    return policy


def _changed(action: str) -> Conflict:
    return Conflict(f"The policy changed while {action}; retry.", code="policy_changed")


def abandoned(charge: ChargeInFlight, now: datetime) -> bool:
    """Whether an attempt still without an answer was left behind (a crash, a lost answer)."""
    return now - charge.started_at >= ABANDONED_AFTER


def kind_of(payment: Payment) -> Kind:
    kinds: dict[str, Kind] = {
        "SUCCEEDED": "paid",
        "PROCESSING": "processing",
        "REFUNDED": "refunded",
        "FAILED": "failed",
    }
    return kinds.get(payment.status, "recorded_before")


# -- paying ---------------------------------------------------------------------------------
def pay_premium(
    ports: Ports, customer_id: str, policy_id: str, *, client_key: str, payment_method: str
) -> Outcome:
    """A customer's payment as the API answers it: paid or processing, or a typed refusal
    (402 declined, 409 nothing due or processing, 422 refused, 503 answer unknown)."""
    try:
        outcome = pay(ports, customer_id, policy_id, client_key=client_key, payment_method=payment_method)
    except PaymentDeclined as declined:
        ports.count("PaymentsDeclined")
        raise PaymentRequired(
            declined.message, details={"declineCode": declined.decline_code or declined.code}
        ) from None
    except PaymentRejected as rejected:
        raise _refused(rejected) from None
    except DependencyError:
        raise ServiceUnavailable(
            "The payment gateway did not answer. Retry with the same Idempotency-Key: you will not be charged twice.",
            code="payment_gateway_unavailable",
        ) from None
    payment = outcome.payment
    kind = kind_of(payment) if outcome.kind == "recorded_before" else outcome.kind
    if kind == "refunded":
        # Charged after the premium stopped being due (another payment or a cancellation
        # got there first): the money went straight back.
        ports.count("LateChargesRefunded")
        refund_id = payment.late_refund.refund_id if payment.late_refund else None
        raise Conflict(
            "This premium is no longer due; the charge has been refunded in full.",
            code="nothing_due",
            details={"paymentId": payment.payment_id, "refundId": refund_id},
        )
    if kind == "failed":
        decline = payment.decline
        raise PaymentRequired(
            (decline.message if decline else "") or "The payment failed.",
            details={"declineCode": (decline.code if decline else "") or "declined"},
        )
    if kind == "paid":
        ports.count("PaymentsSucceeded")
    return Outcome(kind, payment)


def _refused(rejected: PaymentRejected) -> Conflict | Unprocessable:
    if rejected.in_progress:
        return Conflict("A payment with this Idempotency-Key is in progress.", code="payment_in_progress")
    if rejected.code == "idempotency_error":
        return Unprocessable(KEY_REUSED, code="idempotency_key_reused")
    field_name = "paymentMethod" if rejected.param == "payment_method" else (rejected.param or "body")
    return Unprocessable(
        f"The payment gateway refused the request: {rejected.message}",
        code="payment_rejected",
        details=[{"field": field_name, "message": rejected.message, "type": rejected.code or "invalid"}],
    )


def pay(ports: Ports, customer_id: str, policy_id: str, *, client_key: str, payment_method: str) -> Outcome:
    """One customer payment attempt. Raises Conflict (nothing due, another attempt
    processing), PaymentDeclined, PaymentRejected, DependencyError (answer unknown: the same
    key resumes it)."""
    for _ in range(ROUNDS):
        policy = _policy(ports, customer_id, policy_id)
        charge = policy.charge
        if charge is not None:
            if charge.client_key == client_key:
                return _resume(ports, policy, charge, payment_method)
            if charge.payment_id or not abandoned(charge, ports.now):
                # Processing at the gateway, or still being sent by the invocation that
                # claimed it: that invocation's answer settles it. Replaying it from here too
                # would only race it for the same charge.
                raise processing_conflict(charge)
            resolve(ports, policy, charge)
            continue
        due = lifecycle.amount_due(policy)
        charge = billing.charge_in_flight(
            policy,
            due,
            gateway_key=f"pay:{policy_id}:{due.purpose}:{due.term_start}:{client_key}",
            client_key=client_key,
            payment_method=payment_method,
            description=f"Policy {policy.policy_number} {due.purpose.lower()} premium",
            actor=ports.actor,
            now=ports.now,
        )
        claimed = claim(ports, policy, charge)
        if claimed is not None:
            return charge_premium(ports, claimed, charge)
    raise _changed("paying")


def _resume(ports: Ports, policy: Policy, charge: ChargeInFlight, payment_method: str) -> Outcome:
    """The same key again: the attempt it made, answered or resumed."""
    if charge.payment_method != payment_method:
        raise Unprocessable(KEY_REUSED, code="idempotency_key_reused")
    if charge.payment_id:
        return _recorded(ports, policy, charge.payment_id)
    return charge_premium(ports, policy, charge)


def claim(
    ports: Ports, policy: Policy, charge: ChargeInFlight, *, renewal: Renewal | None = None
) -> Policy | None:
    """Write ``charge`` on the policy if its premium is still due and no attempt is there
    (and, with ``renewal``, the renewal's dunning count as read: it is counted in the same
    write). The policy holding it, or None when it was not claimed."""
    after = replace(policy, charge=charge)
    if renewal is not None:
        after = replace(after, renewal=renewal, updated_at=ports.now)
    expect = Expect(due=(charge.purpose, charge.term.start), charge="none", dunning_count=renewal is not None)
    return (
        after if ports.sales.record(actor=ports.actor, policy=PolicyChange(policy, after, expect)) else None
    )


def _recorded(ports: Ports, policy: Policy, payment_id: str) -> Outcome:
    payment = ports.sales.payment(policy.customer_id, policy.policy_id, payment_id)
    if payment is None:  # the slot names a payment we always record first
        raise _changed("paying")
    return Outcome(kind_of(payment), payment)


def resolve(ports: Ports, policy: Policy, charge: ChargeInFlight) -> Outcome | None:
    """Learn the answer of an attempt nobody heard back from, by replaying its very request
    (same key, same body: the gateway answers what it did, or does it now). None when it
    was declined or refused (recorded, slot freed). Conflict while it is still in progress
    at the gateway; DependencyError while the gateway cannot tell."""
    try:
        return charge_premium(ports, policy, charge)
    except PaymentDeclined:
        return None
    except PaymentRejected as rejected:
        if rejected.in_progress:
            raise processing_conflict(charge) from None
        return None


def charge_premium(ports: Ports, policy: Policy, charge: ChargeInFlight) -> Outcome:
    """THE charge step: send (or replay) the attempt claimed on ``policy`` and record what the
    gateway answered. Raises PaymentDeclined / PaymentRejected (recorded, slot freed unless
    the gateway is still on it) and DependencyError (answer unknown: the attempt stays)."""
    held = replace(policy, charge=charge)
    try:
        intent = ports.gateway.charge(
            amount_cents=charge.amount.amount_cents,
            currency=charge.amount.currency,
            payment_method=charge.payment_method,
            idempotency_key=charge.gateway_key,
            description=charge.description,
            metadata=billing.charge_metadata(policy.customer_id, policy.policy_id, charge),
        )
    except PaymentDeclined as declined:
        payment_id = declined.payment_intent_id or f"declined-{charge.client_key}"
        decline = Decline(declined.decline_code or declined.code, declined.message)
        _free(ports, held, billing.payment_of(held, charge, payment_id, "FAILED", ports.now, decline))
        raise
    except PaymentRejected as rejected:
        if not rejected.in_progress:  # refused: nothing was charged under this key
            _free(ports, held, None)
        raise
    if intent.status == "succeeded":
        settled = settle_succeeded(ports, billing.payment_of(held, charge, intent.id, "SUCCEEDED", ports.now))
        # Recorded first by someone who replayed this attempt: the caller's answer is the same.
        return Outcome(kind_of(settled.payment), settled.payment)
    payment = billing.payment_of(held, charge, intent.id, "PROCESSING", ports.now)
    noted = replace(held, charge=replace(charge, payment_id=intent.id))
    if ports.sales.record(
        actor=ports.actor, policy=PolicyChange(held, noted, Expect(charge="as_read")), payment=payment
    ):
        return Outcome("processing", payment)
    existing = ports.sales.payment(policy.customer_id, policy.policy_id, intent.id)
    if existing is not None:  # its webhook (or a replay) recorded it first
        return Outcome(kind_of(existing), existing)
    # The attempt is no longer on the policy (settled by a webhook that overtook this
    # answer is the only way): keep the record of the payment all the same.
    ports.sales.record(actor=ports.actor, payment=payment)
    return Outcome("processing", payment)


def _free(ports: Ports, held: Policy, failed: Payment | None) -> None:
    """The attempt is over without money taken: record the failure and free the slot."""
    change = PolicyChange(held, replace(held, charge=None), Expect(charge="as_read"))
    if failed is None:
        ports.sales.record(actor=ports.actor, policy=change)
        return
    if not ports.sales.record(actor=ports.actor, policy=change, payment=failed):
        # A replayed decline: already recorded, or the slot already freed by its first answer.
        ports.sales.record(actor=ports.actor, payment=failed)
        ports.sales.record(actor=ports.actor, policy=change)


# -- settling -------------------------------------------------------------------------------
def settle_succeeded(ports: Ports, payment: Payment, *, settles: bool = False) -> Outcome:
    """A charge that took the money: it pays its premium if that is still due, else it is
    refunded in full at once. ``settles``: the payment is recorded PROCESSING (a webhook)."""
    customer_id, policy_id, payment_id = payment.customer_id, payment.policy_id, payment.payment_id
    for _ in range(ROUNDS):
        # Settled already (a replay, a racing webhook or resolver): never decide twice.
        existing = ports.sales.payment(customer_id, policy_id, payment_id)
        if existing is not None and existing.status != "PROCESSING":
            return Outcome("recorded_before", existing)
        settles = settles or existing is not None
        policy = _policy(ports, customer_id, policy_id)
        if billing.paid_by(policy, payment_id):  # settled between the two reads
            return _recorded(ports, policy, payment_id)
        slot: Literal["as_read", "any"] = "as_read" if billing.holds(policy, payment) else "any"
        if billing.is_due(policy, payment.purpose, payment.term.start):
            paid = replace(payment, status="SUCCEEDED", settled_at=ports.now)
            after = billing.paid(policy, paid, ports.now)
            expect = Expect(due=(payment.purpose, payment.term.start), charge=slot)
            if ports.sales.record(
                actor=ports.actor, policy=PolicyChange(policy, after, expect), payment=paid, settles=settles
            ):
                return Outcome("paid", paid)
        else:
            outcome = _refund_late(ports, policy, payment, Expect(charge=slot), settles)
            if outcome is not None:
                return outcome
    raise _changed("settling a payment")


def _refund_late(
    ports: Ports, policy: Policy, payment: Payment, expect: Expect, settles: bool
) -> Outcome | None:
    reason = billing.late_reason(policy, payment.purpose, payment.term.start)
    # The key (and body) depend on the payment alone: a retry refunds once.
    refund = ports.gateway.refund(
        payment_intent_id=payment.payment_id,
        amount_cents=payment.amount.amount_cents,
        idempotency_key=f"late:{payment.payment_id}",
        metadata={
            "policyId": policy.policy_id,
            "customerId": policy.customer_id,
            "reason": "late_settlement",
        },
    )
    refunded = replace(
        payment,
        status="REFUNDED",
        settled_at=ports.now,
        late_refund=LateRefund(refund.id, refund.amount_cents, reason),
    )
    record = _refund(ports, policy, payment.payment_id, refund.id, refund.status, reason, refund.amount_cents)
    after = billing.released(policy, payment)
    cancellation = billing.settled_cancellation(policy, payment.payment_id, refund.amount_cents)
    if cancellation is not None:
        after = replace(after, cancellation=cancellation, updated_at=ports.now)
        expect = replace(expect, pending_refund_of=payment.payment_id)
    if ports.sales.record(
        actor=ports.actor,
        policy=PolicyChange(policy, after, expect),
        payment=refunded,
        settles=settles,
        refunds=[record],
    ):
        return Outcome("refunded", refunded)
    return None


def _refund(
    ports: Ports, policy: Policy, payment_id: str, refund_id: str, status: str, reason: str, cents: int
) -> Refund:
    return Refund(
        refund_id=refund_id,
        policy_id=policy.policy_id,
        customer_id=policy.customer_id,
        payment_id=payment_id,
        status=status.upper(),
        reason=reason,
        amount=Money(cents, policy.currency),
        policy_number=policy.policy_number,
        created_at=ports.now,
    )


def settle_failed(ports: Ports, payment: Payment, decline: Decline) -> Outcome:
    """A PROCESSING charge that took no money: FAILED, and the policy free for another attempt."""
    customer_id, policy_id, payment_id = payment.customer_id, payment.policy_id, payment.payment_id
    for _ in range(ROUNDS):
        current = ports.sales.payment(customer_id, policy_id, payment_id)
        if current is None or current.status != "PROCESSING":
            return Outcome("recorded_before", current or payment)
        policy = _policy(ports, customer_id, policy_id)
        expect = Expect(charge="as_read" if billing.holds(policy, current) else "any")
        after = billing.released(policy, current)
        cancellation = billing.settled_cancellation(policy, payment_id, 0)
        if cancellation is not None:
            after = replace(after, cancellation=cancellation, updated_at=ports.now)
            expect = replace(expect, pending_refund_of=payment_id)
        failed = replace(current, status="FAILED", settled_at=ports.now, decline=decline)
        if ports.sales.record(
            actor=ports.actor, policy=PolicyChange(policy, after, expect), payment=failed, settles=True
        ):
            return Outcome("failed", failed)
    raise _changed("settling a payment")


def settle(ports: Ports, notice: Notice) -> Settlement:
    """What a gateway notice settles: its payment paid, refunded (late) or failed, once.
    503 when a late charge could not be refunded yet: nothing was recorded, and the gateway
    delivers the notice again."""
    try:
        outcome = _settle(ports, notice)
    except DependencyError:
        raise ServiceUnavailable(
            "The payment gateway did not answer; deliver this event again.",
            code="payment_gateway_unavailable",
        ) from None
    if outcome in ("settled", "refunded", "already_settled"):
        ports.count(
            {"settled": "WebhooksApplied", "refunded": "LateChargesRefunded"}.get(
                outcome, "WebhooksAlreadyApplied"
            )
        )
    return outcome


def _settle(ports: Ports, notice: Notice) -> Settlement:
    if not notice.customer_id or not notice.policy_id or notice.type not in (SUCCEEDED, FAILED):
        return "ignored"  # not about a payment of ours, or not about an outcome
    payment = webhook_payment(ports, notice, notice.customer_id, notice.policy_id)
    if payment is None:
        return "unknown_payment"
    if payment.status != "PROCESSING":
        outcome: Settlement = "already_settled"
    elif notice.type == SUCCEEDED:
        kind = settle_succeeded(ports, payment, settles=True).kind
        outcome = "settled" if kind == "paid" else "refunded" if kind == "refunded" else "already_settled"
    else:
        failed = settle_failed(ports, payment, notice.decline)
        outcome = "settled" if failed.kind == "failed" else "already_settled"
    return outcome


def webhook_payment(ports: Ports, notice: Notice, customer_id: str, policy_id: str) -> Payment | None:
    """The payment a gateway notice is about. A notice can overtake our own record of a
    processing charge; the attempt on the policy (matched by its gateway key) is then
    recorded from here, so the notice still settles it."""
    payment = ports.sales.payment(customer_id, policy_id, notice.intent_id)
    if payment is not None:
        return payment
    policy = ports.sales.policy(customer_id, policy_id)
    charge = policy.charge if policy is not None else None
    if policy is None or charge is None or charge.gateway_key != notice.charge_key:
        return None
    processing = billing.payment_of(policy, charge, notice.intent_id, "PROCESSING", ports.now)
    noted = replace(policy, charge=replace(charge, payment_id=notice.intent_id))
    ports.sales.record(
        actor=ports.actor, policy=PolicyChange(policy, noted, Expect(charge="as_read")), payment=processing
    )
    return ports.sales.payment(customer_id, policy_id, notice.intent_id)


# -- cancelling -----------------------------------------------------------------------------
def cancel(
    ports: Ports,
    customer_id: str,
    policy_id: str,
    *,
    effective: date | None,
    reason: str,
    note: str | None,
) -> Policy:
    """Cancel, refunding the unused part of every paid term pro rata (each refund keyed by
    the payment it returns, so a retry refunds once). A charge still processing is refunded
    in full when it settles; the cancellation names it as a pending refund. 503 when the
    gateway does not answer: nothing is cancelled, and a retry refunds nothing twice."""
    try:
        return _cancel(ports, customer_id, policy_id, effective=effective, reason=reason, note=note)
    except DependencyError:
        raise ServiceUnavailable(
            "The payment gateway did not answer; nothing was cancelled. Retry: a refund is never made twice.",
            code="payment_gateway_unavailable",
        ) from None


def _cancel(
    ports: Ports, customer_id: str, policy_id: str, *, effective: date | None, reason: str, note: str | None
) -> Policy:
    today = ports.now.date()
    for _ in range(ROUNDS):
        policy = _policy(ports, customer_id, policy_id)
        when = effective or today
        lifecycle.check_cancellable(policy, when, today)
        charge = policy.charge
        if charge is not None and not charge.payment_id:
            # An attempt whose answer is unknown: learn it, so the refunds below are right.
            resolve(ports, policy, charge)
            continue
        refunds = [
            refund
            for term in billing.paid_terms(policy)
            if (refund := _refund_unused(ports, policy, term, when, reason)) is not None
        ]
        cancellation = Cancellation(
            effective_date=when,
            reason=reason,
            note=note or None,
            refund=Money(sum(r.amount.amount_cents for r in refunds), policy.currency),
            requested_at=ports.now,
            pending_refund=PendingRefund(charge.amount, charge.payment_id)
            if charge is not None and charge.payment_id
            else None,
        )
        after = replace(policy, status="CANCELLED", cancellation=cancellation, updated_at=ports.now)
        if ports.sales.record(
            actor=ports.actor, policy=PolicyChange(policy, after, Expect(money=True)), refunds=refunds
        ):
            ports.count("PoliciesCancelled")
            return after
    raise _changed("cancelling")


def _refund_unused(
    ports: Ports, policy: Policy, term: billing.PaidTerm, effective: date, reason: str
) -> Refund | None:
    cents = refund_cents(term.paid_cents, term.start, term.end, effective)
    if cents <= 0:
        return None
    refund = ports.gateway.refund(
        payment_intent_id=term.payment_id,
        amount_cents=cents,
        idempotency_key=f"cancel:{policy.policy_id}:{term.payment_id}",
        metadata={"policyId": policy.policy_id, "customerId": policy.customer_id, "reason": reason},
    )
    return _refund(
        ports, policy, term.payment_id, refund.id, refund.status, "cancellation", refund.amount_cents
    )
