"""In-memory ports of the paying and renewing workflows: the sales table and the payment gateway.

``FakeSales`` keeps entities and applies a ``PolicyChange`` as the repository does: only what
differs between ``before`` and ``after`` is written, and only while what ``expect`` names
still holds of the stored policy; payments, refunds and reminders are written once; a
record is all or nothing. ``FakeGateway`` answers by payment method and replays its first
answer for a key, as the real gateway does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime
from typing import Any

from salesportal.data import sales_items
from salesportal.data.sales import Expect, PolicyChange
from salesportal.domain import billing
from salesportal.domain.sales import Money, Payment, Policy, Refund, Reminder, Term
from salesportal.integrations.http import DependencyError
from salesportal.integrations.payments import PaymentDeclined, PaymentIntent, PaymentRejected
from salesportal.integrations.payments import Refund as GatewayRefund

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
CUSTOMER, POLICY_ID = "c-1", "01JD8X3K9Q2M4N6P8R0T2V4W6Z"
PREMIUM = 36_500


def a_policy(**overrides: Any) -> Policy:
    """A policy pending its first premium (term 2026-12-01 to 2027-12-01), as issued."""
    policy = Policy(
        policy_id=POLICY_ID,
        customer_id=CUSTOMER,
        policy_number="TL-2026-8R0T2V4W6Z",
        application_id=POLICY_ID,
        quote_id="01JD8X3K9Q2M4N6P8R0T2V4W00",
        product_id="term-life",
        coverage_option_code="TL-250K",
        state="CA",
        status="PENDING_PAYMENT",
        term=Term(date(2026, 12, 1), date(2027, 12, 1)),
        annual_premium=Money(PREMIUM),
        monthly_premium=Money(PREMIUM // 12),
        date_of_birth=date(1985, 6, 1),
        risk_factors={"smoker": "false"},
        issued_at=NOW,
        updated_at=NOW,
    )
    return replace(policy, **overrides)


_ITEM_DEFAULTS: Mapping[str, Any] = {
    "policyId": POLICY_ID,
    "customerId": CUSTOMER,
    "policyNumber": "TL-2026-X",
    "productId": "term-life",
    "coverageOptionCode": "TL-250K",
    "status": "ACTIVE",
    "termStart": "2026-01-01",
    "termEnd": "2027-01-01",
    "annualPremium": {"amountCents": PREMIUM, "currency": "USD"},
    "dateOfBirth": "1985-06-01",
    "issuedAt": "2026-01-01T00:00:00+00:00",
}
_CHARGE_DEFAULTS: Mapping[str, Any] = {
    "gatewayKey": "pay:key",
    "clientKey": "client-key",
    "purpose": "INITIAL",
    "termStart": "2026-01-01",
    "termEnd": "2027-01-01",
    "amountCents": PREMIUM,
    "paymentMethod": "tok_visa",
    "startedAt": "2026-01-01T00:00:00+00:00",
}
_RENEWAL_DEFAULTS: Mapping[str, Any] = {"requestedAt": "2026-11-01T00:00:00+00:00"}


def policy_from(values: Mapping[str, Any]) -> Policy:
    """A policy from the stored attributes a test states (the rest as any policy has them)."""
    item = {**_ITEM_DEFAULTS, **values}
    if item.get("chargeInFlight"):
        item["chargeInFlight"] = {**_CHARGE_DEFAULTS, **item["chargeInFlight"]}
    if item.get("renewal"):
        item["renewal"] = {**_RENEWAL_DEFAULTS, **item["renewal"]}
    return sales_items.policy_from_item(item)


def _holds(expect: Expect, stored: Policy, before: Policy) -> bool:
    """Whether ``expect``, stated against ``before``, holds of the stored policy."""
    checks: list[Callable[[], bool]] = [
        lambda: not expect.statuses or stored.status in expect.statuses,
        lambda: expect.due is None or billing.is_due(stored, *expect.due),
        lambda: expect.charge != "none" or stored.charge is None,
        lambda: expect.charge != "as_read" or _key(stored) == _key(before),
        lambda: not expect.money or _money_state(stored) == _money_state(before),
        lambda: not expect.dunning_count or _attempts(stored) == _attempts(before),
        lambda: expect.pending_refund_of is None or _pending(stored) == expect.pending_refund_of,
    ]
    return all(check() for check in checks)


def _key(policy: Policy) -> str | None:
    return policy.charge.gateway_key if policy.charge else None


def _attempts(policy: Policy) -> int | None:
    return policy.renewal.attempts if policy.renewal else None


def _pending(policy: Policy) -> str | None:
    cancellation = policy.cancellation
    return cancellation.pending_refund.payment_id if cancellation and cancellation.pending_refund else None


def _money_state(policy: Policy) -> tuple[Any, ...]:
    renewal = policy.renewal
    return (
        policy.status,
        policy.term.start,
        policy.paid.payment_id if policy.paid else None,
        (renewal.status, renewal.term.start, renewal.paid.payment_id if renewal.paid else None)
        if renewal
        else None,
        _key(policy),
        policy.charge.payment_id if policy.charge else None,
    )


def _applied(change: PolicyChange, stored: Policy) -> Policy:
    """The stored policy with what the change changes (attribute by attribute, as an update)."""
    changed = {
        f.name: getattr(change.after, f.name)
        for f in fields(Policy)
        if getattr(change.after, f.name) != getattr(change.before, f.name)
    }
    return replace(stored, **changed)


@dataclass
class FakeSales:
    policies: dict[str, Policy] = field(default_factory=dict)
    payments_by_id: dict[str, Payment] = field(default_factory=dict)
    refunds_by_id: dict[str, Refund] = field(default_factory=dict)
    reminders: dict[tuple[str, date, int], Reminder] = field(default_factory=dict)
    refused: int = 0  # records refused by a condition
    # Runs before a record is applied: a test's way to make "someone else" write in between.
    meanwhile: list[Callable[[FakeSales], None]] = field(default_factory=list)

    def add(self, policy: Policy) -> Policy:
        self.policies[policy.policy_id] = policy
        return policy

    def policy(self, customer_id: str, policy_id: str) -> Policy | None:
        found = self.policies.get(policy_id)
        return found if found is not None and found.customer_id == customer_id else None

    def payment(self, customer_id: str, policy_id: str, payment_id: str) -> Payment | None:
        found = self.payments_by_id.get(payment_id)
        return found if found is not None and found.customer_id == customer_id else None

    def payments(self, policy_id: str) -> list[Payment]:
        return [p for p in self.payments_by_id.values() if p.policy_id == policy_id]

    def refunds(self, policy_id: str) -> list[Refund]:
        return [r for r in self.refunds_by_id.values() if r.policy_id == policy_id]

    def active_policies_ending(self, first_day: date, last_day: date) -> list[Policy]:
        return [
            p for p in self.policies.values() if p.status == "ACTIVE" and first_day <= p.term.end <= last_day
        ]

    def record(
        self,
        *,
        actor: str,
        policy: PolicyChange | None = None,
        payment: Payment | None = None,
        settles: bool = False,
        refunds: Sequence[Refund] = (),
    ) -> bool:
        while self.meanwhile:
            self.meanwhile.pop(0)(self)
        if not self._allowed(policy, payment, settles, refunds):
            self.refused += 1
            return False
        if policy is not None:
            stored = self.policies[policy.after.policy_id]
            self.policies[stored.policy_id] = _applied(policy, stored)
        if payment is not None:
            self.payments_by_id[payment.payment_id] = payment
        for refund in refunds:
            self.refunds_by_id[refund.refund_id] = refund
        return True

    def _allowed(
        self, policy: PolicyChange | None, payment: Payment | None, settles: bool, refunds: Sequence[Refund]
    ) -> bool:
        if payment is not None:
            existing = self.payments_by_id.get(payment.payment_id)
            if settles and (existing is None or existing.status != "PROCESSING"):
                return False  # settles only a PROCESSING payment
            if not settles and existing is not None:
                return False  # a new payment is written once
        if any(r.refund_id in self.refunds_by_id for r in refunds):
            return False
        if policy is None or policy.before == policy.after:
            return True
        stored = self.policies.get(policy.after.policy_id)
        return stored is not None and _holds(policy.expect, stored, policy.before)

    def record_reminder_sent(self, reminder: Reminder, *, actor: str) -> bool:
        key = (reminder.policy_id, reminder.term_end, reminder.days_before)
        if key in self.reminders:
            return False
        self.reminders[key] = reminder
        stored = self.policies[reminder.policy_id]
        self.policies[stored.policy_id] = replace(
            stored, reminders_sent=stored.reminders_sent | {reminder.days_before}
        )
        return True


@dataclass
class FakeGateway:
    """Answers by payment method: ``tok_visa`` succeeds, ``tok_async`` is processing,
    ``tok_declined`` is declined, ``tok_refused`` is refused; ``down`` makes every call fail."""

    down: bool = False
    answers: dict[str, PaymentIntent | Exception] = field(default_factory=dict)  # by idempotency key
    charges: list[PaymentIntent] = field(default_factory=list)  # every charge made (not replays)
    refunds: dict[str, GatewayRefund] = field(default_factory=dict)  # by idempotency key

    def charge(
        self,
        *,
        amount_cents: int,
        currency: str,
        payment_method: str,
        idempotency_key: str,
        description: str,
        metadata: Mapping[str, str],
    ) -> PaymentIntent:
        if self.down:
            raise DependencyError("payments", "unavailable")
        if idempotency_key not in self.answers:
            self.answers[idempotency_key] = self._answer(amount_cents, currency, payment_method, metadata)
        answer = self.answers[idempotency_key]
        if isinstance(answer, Exception):
            raise answer
        return answer

    def _answer(
        self, amount_cents: int, currency: str, method: str, metadata: Mapping[str, str]
    ) -> PaymentIntent | Exception:
        intent_id = f"pi_{len(self.answers) + 1}"
        if method == "tok_declined":
            return PaymentDeclined(
                "card_declined", "insufficient_funds", "Your card has insufficient funds.", intent_id
            )
        if method == "tok_refused":
            return PaymentRejected("resource_missing", "No such payment method.", "payment_method")
        status = "processing" if method == "tok_async" else "succeeded"
        intent = PaymentIntent(intent_id, status, amount_cents, currency, dict(metadata))
        self.charges.append(intent)
        return intent

    def refund(
        self, *, payment_intent_id: str, amount_cents: int, idempotency_key: str, metadata: Mapping[str, str]
    ) -> GatewayRefund:
        if self.down:
            raise DependencyError("payments", "unavailable")
        if idempotency_key not in self.refunds:
            refund_id = f"re_{len(self.refunds) + 1}"
            self.refunds[idempotency_key] = GatewayRefund(
                refund_id, "succeeded", amount_cents, payment_intent_id
            )
        return self.refunds[idempotency_key]

    def settle(self, intent_id: str, status: str = "succeeded") -> PaymentIntent:
        """The gateway finishes a processing charge (what its webhook then says)."""
        for i, intent in enumerate(self.charges):
            if intent.id == intent_id:
                self.charges[i] = replace(intent, status=status)
                return self.charges[i]
        raise KeyError(intent_id)

    def kept_cents(self) -> int:
        charged = sum(c.amount_cents for c in self.charges if c.status == "succeeded")
        return charged - sum(r.amount_cents for r in self.refunds.values())
