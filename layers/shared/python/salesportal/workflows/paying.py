"""Paying premiums and cancelling: every charge ends as cover paid for or money given back.

The rules (``salesportal.domain.ledger`` states them as a checkable invariant):
- At most one charge in flight per policy. An attempt is written on the policy
  (``chargeInFlight``) by a write conditional on the premium being due and no other attempt
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

Every write is guarded by the state it was decided on (DynamoDB conditions and
transactions, no locks): a lost race re-reads and decides again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from salesportal.data.sales import (
    ABSENT,
    CHARGE,
    PolicyWrite,
    SalesRepository,
    StateChanged,
    charge_guard,
    due_guard,
    money_guard,
)
from salesportal.domain import billing
from salesportal.domain import policies as lifecycle
from salesportal.domain.proration import refund_cents
from salesportal.errors import Conflict, NotFound, Unprocessable
from salesportal.integrations.payments import PaymentDeclined, PaymentGateway, PaymentRejected

ROUNDS = 6  # reads-decide-write rounds before giving up on a policy that keeps changing
# An attempt older than this cannot still be in the hands of the invocation that claimed it
# (the payments function stops at 29 s, API Gateway's limit): its answer was lost.
ABANDONED_AFTER = timedelta(seconds=60)
KEY_REUSED = "This Idempotency-Key was used for a different payment; send a new key for a new attempt."

Kind = Literal["paid", "processing", "refunded", "failed", "recorded_before"]


@dataclass(frozen=True)
class Ports:
    sales: SalesRepository
    gateway: PaymentGateway
    actor: str
    now: str  # ISO 8601, UTC


@dataclass(frozen=True)
class Outcome:
    kind: Kind
    payment: dict[str, Any]


def processing_conflict(charge: Mapping[str, Any]) -> Conflict:
    details = {"paymentId": charge["paymentId"]} if charge.get("paymentId") else {}
    return Conflict(
        "A payment for this policy is still processing; wait for its outcome before paying again.",
        code="payment_processing",
        details=details or None,
    )


def _policy(ports: Ports, customer_id: str, policy_id: str) -> dict[str, Any]:
    policy = ports.sales.get_policy(customer_id, policy_id)
    if policy is None:
        raise NotFound("No such policy.", code="policy_not_found")
    return policy


def abandoned(charge: Mapping[str, Any], now: str) -> bool:
    """Whether an attempt still without an answer was left behind (a crash, a lost answer)."""
    return datetime.fromisoformat(now) - datetime.fromisoformat(str(charge["startedAt"])) >= ABANDONED_AFTER


def _ours(policy: Mapping[str, Any], payment: Mapping[str, Any]) -> bool:
    charge = policy.get(CHARGE)
    if not charge:
        return False
    return bool(
        charge.get("gatewayKey") == payment.get("gatewayKey")
        or charge.get("paymentId") == payment["paymentId"]
    )


def _release(policy: Mapping[str, Any], payment: Mapping[str, Any]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Guard and removal that free the policy's charge slot if ``payment`` holds it."""
    if _ours(policy, payment):
        return charge_guard(policy), (CHARGE,)
    return {}, ()


# -- paying ---------------------------------------------------------------------------------
def pay(ports: Ports, customer_id: str, policy_id: str, *, client_key: str, payment_method: str) -> Outcome:
    """One customer payment attempt. Raises Conflict (nothing due, another attempt
    processing), PaymentDeclined, PaymentRejected, DependencyError (answer unknown: the same
    key resumes it)."""
    for _ in range(ROUNDS):
        policy = _policy(ports, customer_id, policy_id)
        charge = policy.get(CHARGE)
        if charge:
            if charge["clientKey"] == client_key:
                if charge["paymentMethod"] != payment_method:
                    raise Unprocessable(KEY_REUSED, code="idempotency_key_reused")
                if charge.get("paymentId"):
                    return _recorded(ports, customer_id, policy_id, charge["paymentId"])
                return make_charge(ports, customer_id, policy_id, policy, charge)
            if charge.get("paymentId") or not abandoned(charge, ports.now):
                # Processing at the gateway, or still being sent by the invocation that
                # claimed it: that invocation's answer settles it. Replaying it from here too
                # would only race it for the same charge.
                raise processing_conflict(charge)
            resolve(ports, customer_id, policy_id, policy, charge)
            continue
        due = lifecycle.amount_due(policy)
        charge = billing.charge_in_flight(
            policy,
            due,
            gateway_key=f"pay:{policy_id}:{due.purpose}:{due.term_start}:{client_key}",
            client_key=client_key,
            payment_method=payment_method,
            description=f"Policy {policy['policyNumber']} {due.purpose.lower()} premium",
            actor=ports.actor,
            now=ports.now,
        )
        if claim(ports, customer_id, policy_id, charge, {}):
            return make_charge(ports, customer_id, policy_id, policy, charge)
    raise Conflict("The policy changed while paying; retry.", code="policy_changed")


def claim(
    ports: Ports,
    customer_id: str,
    policy_id: str,
    charge: Mapping[str, Any],
    fields: Mapping[str, Any],
    extra_guard: Mapping[str, Any] | None = None,
) -> bool:
    """Write ``charge`` on the policy if its premium is still due and no attempt is there."""
    guard = {**due_guard(charge["purpose"], charge["termStart"]), CHARGE: ABSENT, **(extra_guard or {})}
    return ports.sales.write_policy(
        customer_id, policy_id, PolicyWrite({**fields, CHARGE: dict(charge)}, guard), actor=ports.actor
    )


def _recorded(ports: Ports, customer_id: str, policy_id: str, payment_id: str) -> Outcome:
    payment = ports.sales.get_payment(customer_id, policy_id, payment_id)
    if payment is None:  # the slot names a payment we always record first
        raise StateChanged(f"PAYMENT#{policy_id}#{payment_id}")
    return Outcome(kind_of(payment), payment)


def kind_of(payment: Mapping[str, Any]) -> Kind:
    return {
        "SUCCEEDED": "paid",
        "PROCESSING": "processing",
        "REFUNDED": "refunded",
        "FAILED": "failed",
    }.get(str(payment.get("status")), "recorded_before")  # type: ignore[return-value]


def resolve(
    ports: Ports, customer_id: str, policy_id: str, policy: Mapping[str, Any], charge: Mapping[str, Any]
) -> Outcome | None:
    """Learn the answer of an attempt nobody heard back from, by replaying its very request
    (same key, same body: the gateway answers what it did, or does it now). None when it
    was declined or refused (recorded, slot freed). Conflict while it is still in progress
    at the gateway; DependencyError while the gateway cannot tell."""
    try:
        return make_charge(ports, customer_id, policy_id, policy, charge)
    except PaymentDeclined:
        return None
    except PaymentRejected as rejected:
        if rejected.in_progress:
            raise processing_conflict(charge) from None
        return None


def make_charge(
    ports: Ports, customer_id: str, policy_id: str, policy: Mapping[str, Any], charge: Mapping[str, Any]
) -> Outcome:
    """Send (or replay) the attempt's request and record what the gateway answered."""
    due = billing.due_of(charge)
    common = {"gatewayKey": charge["gatewayKey"], "paymentMethod": charge["paymentMethod"]}
    try:
        intent = ports.gateway.charge(
            amount_cents=int(charge["amountCents"]),
            currency=str(charge["currency"]),
            payment_method=str(charge["paymentMethod"]),
            idempotency_key=str(charge["gatewayKey"]),
            description=str(charge["description"]),
            metadata=billing.charge_metadata(customer_id, policy_id, charge),
        )
    except PaymentDeclined as declined:
        failed = billing.payment_item(
            declined.payment_intent_id or f"declined-{charge['clientKey']}",
            "FAILED",
            due,
            policy,
            ports.now,
            declineCode=declined.decline_code or declined.code,
            declineMessage=declined.message,
            **common,
        )
        _free(ports, customer_id, policy_id, charge, failed)
        raise
    except PaymentRejected as rejected:
        if not rejected.in_progress:  # refused: nothing was charged under this key
            _free(ports, customer_id, policy_id, charge, None)
        raise
    if intent.status == "succeeded":
        payment = billing.payment_item(intent.id, "SUCCEEDED", due, policy, ports.now, **common)
        settled = settle_succeeded(ports, customer_id, policy_id, payment, settles=False)
        # Recorded first by someone who replayed this attempt: the caller's answer is the same.
        return Outcome(kind_of(settled.payment), settled.payment)
    payment = billing.payment_item(intent.id, "PROCESSING", due, policy, ports.now, **common)
    noted = PolicyWrite(
        {CHARGE: {**charge, "paymentId": intent.id}}, {f"{CHARGE}.gatewayKey": charge["gatewayKey"]}
    )
    if ports.sales.record_charge(
        customer_id, policy_id, payment, settles=False, policy=noted, actor=ports.actor
    ):
        return Outcome("processing", payment)
    existing = ports.sales.get_payment(customer_id, policy_id, intent.id)
    if existing is not None:  # its webhook (or a replay) recorded it first
        return Outcome(kind_of(existing), existing)
    # The attempt is no longer on the policy (settled by a webhook that overtook this
    # answer is the only way): keep the record of the payment all the same.
    ports.sales.record_charge(customer_id, policy_id, payment, settles=False, policy=None, actor=ports.actor)
    return Outcome("processing", payment)


def _free(
    ports: Ports,
    customer_id: str,
    policy_id: str,
    charge: Mapping[str, Any],
    failed: Mapping[str, Any] | None,
) -> None:
    """The attempt is over without money taken: record the failure and free the slot."""
    write = PolicyWrite({}, {f"{CHARGE}.gatewayKey": charge["gatewayKey"]}, (CHARGE,))
    if failed is None:
        ports.sales.write_policy(customer_id, policy_id, write, actor=ports.actor)
        return
    if not ports.sales.record_charge(
        customer_id, policy_id, failed, settles=False, policy=write, actor=ports.actor
    ):
        # A replayed decline: already recorded, or the slot already freed by its first answer.
        ports.sales.record_charge(
            customer_id, policy_id, failed, settles=False, policy=None, actor=ports.actor
        )
        ports.sales.write_policy(customer_id, policy_id, write, actor=ports.actor)


# -- settling -------------------------------------------------------------------------------
def settle_succeeded(
    ports: Ports, customer_id: str, policy_id: str, payment: Mapping[str, Any], *, settles: bool
) -> Outcome:
    """A charge that took the money: it pays its premium if that is still due, else it is
    refunded in full at once. ``settles``: the payment is recorded PROCESSING (a webhook)."""
    purpose, term_start = str(payment["purpose"]), str(payment["termStart"])
    amount = int(payment["amountCents"])
    payment_id = str(payment["paymentId"])
    for _ in range(ROUNDS):
        # Settled already (a replay, a racing webhook or resolver): never decide twice.
        existing = ports.sales.get_payment(customer_id, policy_id, payment_id)
        if existing is not None and existing["status"] != "PROCESSING":
            return Outcome("recorded_before", existing)
        settles = settles or existing is not None
        policy = _policy(ports, customer_id, policy_id)
        if billing.paid_by(policy, payment_id):  # settled between the two reads
            return _recorded(ports, customer_id, policy_id, payment_id)
        guard, remove = _release(policy, payment)
        if billing.is_due(policy, purpose, term_start):
            paid = {**payment, "status": "SUCCEEDED", "settledAt": ports.now}
            fields = billing.paid_policy_fields(
                policy, purpose, amount, str(payment["paymentId"]), payment.get("paymentMethod"), ports.now
            )
            write = PolicyWrite(fields, {**due_guard(purpose, term_start), **guard}, remove)
            if ports.sales.record_charge(
                customer_id, policy_id, paid, settles=settles, policy=write, actor=ports.actor
            ):
                return Outcome("paid", paid)
        else:
            outcome = _refund_late(ports, customer_id, policy_id, policy, payment, guard, remove, settles)
            if outcome is not None:
                return outcome
    raise StateChanged(f"POLICY#{policy_id}")


def _refund_late(
    ports: Ports,
    customer_id: str,
    policy_id: str,
    policy: Mapping[str, Any],
    payment: Mapping[str, Any],
    guard: dict[str, Any],
    remove: tuple[str, ...],
    settles: bool,
) -> Outcome | None:
    payment_id, amount = str(payment["paymentId"]), int(payment["amountCents"])
    reason = billing.late_reason(policy, str(payment["purpose"]), str(payment["termStart"]))
    # The key (and body) depend on the payment alone: a retry refunds once.
    refund = ports.gateway.refund(
        payment_intent_id=payment_id,
        amount_cents=amount,
        idempotency_key=f"late:{payment_id}",
        metadata={"policyId": policy_id, "customerId": customer_id, "reason": "late_settlement"},
    )
    refunded = {
        **payment,
        "status": "REFUNDED",
        "settledAt": ports.now,
        "refundId": refund.id,
        "refundedCents": refund.amount_cents,
        "refundReason": reason,
    }
    currency = str(payment.get("currency", "USD"))
    record = {
        "refundId": refund.id,
        "paymentIntentId": payment_id,
        "status": refund.status.upper(),
        "reason": reason,
        "amount": {"amountCents": refund.amount_cents, "currency": currency},
        "amountCents": refund.amount_cents,
        "currency": currency,
        "policyNumber": policy["policyNumber"],
        "createdAt": ports.now,
    }
    fields: dict[str, Any] = {}
    cancellation = billing.settled_cancellation(policy, payment_id, refund.amount_cents)
    if cancellation is not None:
        fields = {"cancellation": cancellation, "updatedAt": ports.now}
        guard = {**guard, "cancellation.pendingRefund.paymentId": payment_id}
    write = PolicyWrite(fields, guard, remove) if fields or remove else None
    if ports.sales.record_charge(
        customer_id, policy_id, refunded, settles=settles, policy=write, refund=record, actor=ports.actor
    ):
        return Outcome("refunded", refunded)
    return None


def settle_failed(
    ports: Ports, customer_id: str, policy_id: str, payment_id: str, decline: Mapping[str, str]
) -> Outcome:
    """A PROCESSING charge that took no money: FAILED, and the policy free for another attempt."""
    for _ in range(ROUNDS):
        payment = ports.sales.get_payment(customer_id, policy_id, payment_id)
        if payment is None or payment["status"] != "PROCESSING":
            raise StateChanged(f"PAYMENT#{policy_id}#{payment_id}")
        policy = _policy(ports, customer_id, policy_id)
        guard, remove = _release(policy, payment)
        fields: dict[str, Any] = {}
        cancellation = billing.settled_cancellation(policy, payment_id, 0)
        if cancellation is not None:
            fields = {"cancellation": cancellation, "updatedAt": ports.now}
            guard = {**guard, "cancellation.pendingRefund.paymentId": payment_id}
        failed = {**payment, "status": "FAILED", "settledAt": ports.now, **decline}
        write = PolicyWrite(fields, guard, remove) if fields or remove else None
        if ports.sales.record_charge(
            customer_id, policy_id, failed, settles=True, policy=write, actor=ports.actor
        ):
            return Outcome("failed", failed)
    raise StateChanged(f"POLICY#{policy_id}")


def webhook_payment(
    ports: Ports, customer_id: str, policy_id: str, intent: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The payment a gateway notice is about. A notice can overtake our own record of a
    processing charge; the attempt on the policy (matched by its gateway key) is then
    recorded from here, so the notice still settles it."""
    payment = ports.sales.get_payment(customer_id, policy_id, str(intent["id"]))
    if payment is not None:
        return payment
    policy = ports.sales.get_policy(customer_id, policy_id)
    charge = (policy or {}).get(CHARGE)
    metadata = intent.get("metadata") or {}
    if policy is None or not charge or charge["gatewayKey"] != metadata.get("chargeKey"):
        return None
    processing = billing.payment_item(
        str(intent["id"]),
        "PROCESSING",
        billing.due_of(charge),
        policy,
        ports.now,
        gatewayKey=charge["gatewayKey"],
        paymentMethod=charge["paymentMethod"],
    )
    noted = PolicyWrite(
        {CHARGE: {**charge, "paymentId": intent["id"]}}, {f"{CHARGE}.gatewayKey": charge["gatewayKey"]}
    )
    ports.sales.record_charge(
        customer_id, policy_id, processing, settles=False, policy=noted, actor=ports.actor
    )
    return ports.sales.get_payment(customer_id, policy_id, str(intent["id"]))


# -- cancelling -----------------------------------------------------------------------------
def cancel(
    ports: Ports,
    customer_id: str,
    policy_id: str,
    *,
    effective: date | None,
    today: date,
    reason: str,
    note: str | None,
) -> dict[str, Any]:
    """Cancel, refunding the unused part of every paid term pro rata (each refund keyed by
    the payment it returns, so a retry refunds once). A charge still processing is refunded
    in full when it settles; the cancellation names it as a pending refund."""
    for _ in range(ROUNDS):
        policy = _policy(ports, customer_id, policy_id)
        when = effective or today
        lifecycle.check_cancellable(policy, when, today)
        charge = policy.get(CHARGE)
        if charge and not charge.get("paymentId"):
            # An attempt whose answer is unknown: learn it, so the refunds below are right.
            resolve(ports, customer_id, policy_id, policy, charge)
            continue
        currency = policy["annualPremium"].get("currency", "USD")
        refunds: list[Mapping[str, Any]] = []
        for term in billing.paid_terms(policy):
            refund = _refund_unused(ports, customer_id, policy_id, policy, term, when, reason, currency)
            if refund is not None:
                refunds.append(refund)
        total = sum(int(r["amountCents"]) for r in refunds)
        cancellation: dict[str, Any] = {
            "effectiveDate": when.isoformat(),
            "reason": reason,
            **({"note": note} if note else {}),
            "refund": {"amountCents": total, "currency": currency},
            "requestedAt": ports.now,
        }
        if charge:
            cancellation["pendingRefund"] = {
                "amountCents": int(charge["amountCents"]),
                "currency": charge["currency"],
                "paymentId": charge["paymentId"],
            }
        fields = {"cancellation": cancellation, "effectiveDate": when.isoformat(), "updatedAt": ports.now}
        if ports.sales.cancel_with_refunds(
            customer_id, policy_id, refunds, fields, guard=money_guard(policy), actor=ports.actor
        ):
            return {**policy, **fields, "status": "CANCELLED"}
    raise Conflict("The policy changed while cancelling; retry.", code="policy_changed")


def _refund_unused(
    ports: Ports,
    customer_id: str,
    policy_id: str,
    policy: Mapping[str, Any],
    term: billing.PaidTerm,
    effective: date,
    reason: str,
    currency: str,
) -> dict[str, Any] | None:
    cents = refund_cents(term.paid_cents, term.start, term.end, effective)
    if cents <= 0:
        return None
    refund = ports.gateway.refund(
        payment_intent_id=term.payment_id,
        amount_cents=cents,
        idempotency_key=f"cancel:{policy_id}:{term.payment_id}",
        metadata={"policyId": policy_id, "customerId": customer_id, "reason": reason},
    )
    return {
        "refundId": refund.id,
        "paymentIntentId": term.payment_id,
        "status": refund.status.upper(),
        "reason": "cancellation",
        "amount": {"amountCents": refund.amount_cents, "currency": currency},
        "amountCents": refund.amount_cents,
        "currency": currency,
        "policyNumber": policy["policyNumber"],
        "createdAt": ports.now,
    }
