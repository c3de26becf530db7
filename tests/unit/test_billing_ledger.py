"""The money invariant and the billing rules it rests on, over plain values."""

from __future__ import annotations

from datetime import date

from salesportal.domain import billing
from salesportal.domain.policies import daily_actions
from salesportal.domain.proration import refund_cents
from salesportal.domain.sales import Money
from tests.fakes.sales import policy_from
from tests.support import ledger

PREMIUM = 36500
TERM = {"termStart": "2026-01-01", "termEnd": "2027-01-01"}


def _policy(**fields):
    return {
        "status": "ACTIVE",
        "policyNumber": "TL-2026-X",
        "annualPremium": {"amountCents": PREMIUM},
        **TERM,
        **fields,
    }


def _payment(payment_id, status, **fields):
    return {
        "paymentId": payment_id,
        "status": status,
        "purpose": "INITIAL",
        "amountCents": PREMIUM,
        **TERM,
        **fields,
    }


def _charge(intent_id, status="succeeded"):
    return ledger.GatewayCharge(intent_id, PREMIUM, status)


def test_a_paid_policy_balances():
    policy = _policy(paymentIntentId="pi_1", paidCents=PREMIUM)
    assert ledger.violations(policy, [_payment("pi_1", "SUCCEEDED")], [], [_charge("pi_1")], [], set()) == []


def test_two_charges_for_one_term_do_not_balance():
    """Defect 1 as the books see it: a second charge kept for a term already paid."""
    policy = _policy(paymentIntentId="pi_2", paidCents=PREMIUM)
    payments = [_payment("pi_1", "SUCCEEDED"), _payment("pi_2", "SUCCEEDED")]
    found = ledger.violations(policy, payments, [], [_charge("pi_1"), _charge("pi_2")], [], {"pi_1"})
    assert any("paid by 2 payments" in f for f in found), found


def test_a_payment_left_processing_after_its_webhook_is_reported():
    policy = _policy(status="PENDING_PAYMENT", chargeInFlight={"paymentId": "pi_1"})
    found = ledger.violations(
        policy, [_payment("pi_1", "PROCESSING")], [], [_charge("pi_1")], [], webhooks_received={"pi_1"}
    )
    assert any("PROCESSING after their webhook" in f for f in found), found
    assert any("gateway keeps" in f for f in found), found


def test_a_settled_charge_whose_webhook_has_not_arrived_is_in_transit():
    policy = _policy(status="PENDING_PAYMENT", chargeInFlight={"paymentId": "pi_1"})
    assert ledger.violations(policy, [_payment("pi_1", "PROCESSING")], [], [_charge("pi_1")], [], set()) == []


def test_a_cancelled_policy_keeps_the_used_days_only():
    effective = "2026-04-01"
    policy = _policy(
        status="CANCELLED",
        paymentIntentId="pi_1",
        paidCents=PREMIUM,
        cancellation={"effectiveDate": effective},
    )
    back = refund_cents(PREMIUM, date(2026, 1, 1), date(2027, 1, 1), date.fromisoformat(effective))
    refund = ledger.GatewayRefund("re_1", "pi_1", back)
    assert (
        ledger.violations(
            policy,
            [_payment("pi_1", "SUCCEEDED")],
            [{"refundId": "re_1"}],
            [_charge("pi_1")],
            [refund],
            set(),
        )
        == []
    )
    # Defect 2 as the books see it: a processing charge that settled after the cancellation, kept.
    late = _payment("pi_2", "SUCCEEDED")
    found = ledger.violations(
        policy,
        [_payment("pi_1", "SUCCEEDED"), late],
        [{"refundId": "re_1"}],
        [_charge("pi_1"), _charge("pi_2")],
        [refund],
        {"pi_2"},
    )
    assert found, found


def test_a_late_settlement_refunded_in_full_and_recorded_balances():
    policy = _policy(status="CANCELLED", cancellation={"effectiveDate": "2026-01-01"})
    refunded = _payment("pi_1", "REFUNDED", refundId="re_1")
    refund = ledger.GatewayRefund("re_1", "pi_1", PREMIUM)
    assert (
        ledger.violations(policy, [refunded], [{"refundId": "re_1"}], [_charge("pi_1")], [refund], {"pi_1"})
        == []
    )
    unrecorded = ledger.violations(policy, [refunded], [], [_charge("pi_1")], [refund], {"pi_1"})
    assert any("no record" in f for f in unrecorded), unrecorded


def test_a_premium_stops_being_due_once_paid_or_cancelled():
    pending = policy_from(_policy(status="PENDING_PAYMENT"))
    assert billing.is_due(pending, "INITIAL", date(2026, 1, 1))
    assert not billing.is_due(policy_from(_policy()), "INITIAL", date(2026, 1, 1))
    assert billing.late_reason(policy_from(_policy()), "INITIAL", date(2026, 1, 1)) == "already_paid"
    cancelled = policy_from(_policy(status="CANCELLED"))
    assert billing.late_reason(cancelled, "INITIAL", date(2026, 1, 1)) == "policy_cancelled"
    renewal = {"status": "PENDING_PAYMENT", "termStart": "2027-01-01", "termEnd": "2028-01-01"}
    renewing = policy_from(_policy(renewal={**renewal, "annualPremium": {"amountCents": PREMIUM}}))
    assert billing.is_due(renewing, "RENEWAL", date(2027, 1, 1))
    assert not billing.is_due(renewing, "RENEWAL", date(2026, 1, 1))  # another term


def test_a_cancellation_waiting_for_a_payment_adds_its_refund_when_it_settles():
    policy = policy_from(
        _policy(
            status="CANCELLED",
            cancellation={
                "effectiveDate": "2026-03-01",
                "reason": "OTHER",
                "requestedAt": "2026-03-01T00:00:00+00:00",
                "refund": {"amountCents": 0, "currency": "USD"},
                "pendingRefund": {"amountCents": PREMIUM, "currency": "USD", "paymentId": "pi_1"},
            },
        )
    )
    settled = billing.settled_cancellation(policy, "pi_1", PREMIUM)
    assert settled is not None and settled.pending_refund is None
    assert settled.refund == Money(PREMIUM, "USD")
    assert billing.settled_cancellation(policy, "pi_other", PREMIUM) is None


def test_dunning_waits_for_a_renewal_payment_that_is_processing():
    renewal = {"status": "PENDING_PAYMENT", "termStart": "2027-01-01", "termEnd": "2028-01-01", "attempts": 0}
    renewal["annualPremium"] = {"amountCents": PREMIUM}
    policy = policy_from(_policy(renewal=renewal, paymentMethod="tok_visa"))
    assert daily_actions(policy, date(2026, 12, 28)).charge_renewal
    in_flight = policy_from(
        _policy(renewal=renewal, paymentMethod="tok_visa", chargeInFlight={"paymentId": "pi_9"})
    )
    assert not daily_actions(in_flight, date(2026, 12, 28)).charge_renewal
    # At the term's end: no lapse while the renewal may yet be paid; it lapses once it failed.
    assert daily_actions(in_flight, date(2027, 1, 1)).term_ended is None
    assert daily_actions(policy, date(2027, 1, 1)).term_ended == "LAPSE"
