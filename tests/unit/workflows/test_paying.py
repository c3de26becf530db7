"""Paying premiums, settling notices and cancelling, over in-memory ports (tests/fakes/sales.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from salesportal.domain.proration import refund_cents
from salesportal.domain.sales import ChargeInFlight, Decline, GatewayNotice, Money, Paid, Renewal, Term
from salesportal.errors import Conflict, PaymentRequired, ServiceUnavailable, Unprocessable
from salesportal.integrations.http import DependencyError
from salesportal.workflows import paying
from tests.fakes.sales import CUSTOMER, NOW, POLICY_ID, PREMIUM, FakeGateway, FakeSales, a_policy


def _ports(sales: FakeSales, gateway: FakeGateway, now=NOW, counted: list[str] | None = None) -> paying.Ports:
    return paying.Ports(sales, gateway, "customer:c-1", now, (counted if counted is not None else []).append)


def _world(**policy) -> tuple[FakeSales, FakeGateway]:
    sales = FakeSales()
    sales.add(a_policy(**policy))
    return sales, FakeGateway()


def _pay(sales, gateway, key="key-0001", method="tok_visa", now=NOW) -> paying.Outcome:
    return paying.pay(_ports(sales, gateway, now), CUSTOMER, POLICY_ID, client_key=key, payment_method=method)


def _notice(intent_id: str, kind: str = paying.SUCCEEDED, charge_key: str | None = None) -> GatewayNotice:
    return GatewayNotice(
        "evt_1", kind, intent_id, CUSTOMER, POLICY_ID, charge_key, Decline("card_declined", "No.")
    )


def test_a_card_that_succeeds_pays_the_first_premium_once():
    sales, gateway = _world()
    counted: list[str] = []
    outcome = paying.pay_premium(
        _ports(sales, gateway, counted=counted),
        CUSTOMER,
        POLICY_ID,
        client_key="key-0001",
        payment_method="tok_visa",
    )
    policy = sales.policies[POLICY_ID]
    assert outcome.kind == "paid" and outcome.payment.status == "SUCCEEDED"
    assert outcome.payment.amount == Money(PREMIUM) and outcome.payment.purpose == "INITIAL"
    assert policy.status == "ACTIVE" and policy.paid == Paid(outcome.payment.payment_id, PREMIUM)
    assert policy.charge is None and policy.payment_method == "tok_visa"
    assert counted == ["PaymentsSucceeded"]
    with pytest.raises(Conflict) as again:  # another key: nothing is due any more
        _pay(sales, gateway, key="key-0002")
    assert again.value.code == "nothing_due"
    assert len(gateway.charges) == 1 and gateway.kept_cents() == PREMIUM


def test_a_processing_charge_holds_the_policy_until_its_notice_settles_it():
    sales, gateway = _world()
    outcome = _pay(sales, gateway, method="tok_async")
    assert outcome.kind == "processing"
    charge = sales.policies[POLICY_ID].charge
    assert charge is not None and charge.payment_id == outcome.payment.payment_id
    with pytest.raises(Conflict) as busy:
        _pay(sales, gateway, key="key-0002")
    assert busy.value.code == "payment_processing" and busy.value.details == {"paymentId": charge.payment_id}
    gateway.settle(outcome.payment.payment_id)
    assert paying.settle(_ports(sales, gateway), _notice(outcome.payment.payment_id)) == "settled"
    assert paying.settle(_ports(sales, gateway), _notice(outcome.payment.payment_id)) == "already_settled"
    policy = sales.policies[POLICY_ID]
    assert policy.status == "ACTIVE" and policy.charge is None
    assert sales.payments_by_id[outcome.payment.payment_id].status == "SUCCEEDED"
    assert len(gateway.charges) == 1


def test_a_declined_card_is_recorded_and_leaves_the_policy_pending_and_free():
    sales, gateway = _world()
    with pytest.raises(PaymentRequired) as declined:
        paying.pay_premium(
            _ports(sales, gateway), CUSTOMER, POLICY_ID, client_key="key-0001", payment_method="tok_declined"
        )
    assert declined.value.details == {"declineCode": "insufficient_funds"}
    policy = sales.policies[POLICY_ID]
    assert policy.status == "PENDING_PAYMENT" and policy.charge is None
    [failed] = sales.payments(POLICY_ID)
    assert (
        failed.status == "FAILED"
        and failed.decline is not None
        and failed.decline.code == "insufficient_funds"
    )
    assert _pay(sales, gateway, key="key-0002").kind == "paid"  # another card, another key


def test_a_refused_method_is_422_naming_the_field_and_frees_the_policy():
    sales, gateway = _world()
    with pytest.raises(Unprocessable) as refused:
        paying.pay_premium(
            _ports(sales, gateway), CUSTOMER, POLICY_ID, client_key="key-0001", payment_method="tok_refused"
        )
    assert refused.value.code == "payment_rejected" and refused.value.details[0]["field"] == "paymentMethod"
    assert sales.policies[POLICY_ID].charge is None and sales.payments(POLICY_ID) == []


def test_an_unanswered_charge_stays_claimed_and_the_same_key_resumes_it_without_charging_twice():
    sales, gateway = _world()
    gateway.down = True
    with pytest.raises(ServiceUnavailable):
        paying.pay_premium(
            _ports(sales, gateway), CUSTOMER, POLICY_ID, client_key="key-0001", payment_method="tok_visa"
        )
    claimed = sales.policies[POLICY_ID].charge
    assert claimed is not None and claimed.payment_id is None
    gateway.down = False
    with pytest.raises(Conflict) as other_key:  # still in the hands of its own invocation
        _pay(sales, gateway, key="key-0002")
    assert other_key.value.code == "payment_processing"
    assert _pay(sales, gateway, key="key-0001").kind == "paid"
    assert len(gateway.charges) == 1 and gateway.kept_cents() == PREMIUM


def test_an_abandoned_attempt_is_learned_by_replaying_it_not_charged_again():
    sales, gateway = _world()
    gateway.down = True
    with pytest.raises(DependencyError):
        _pay(sales, gateway)
    gateway.down = False
    later = NOW + paying.ABANDONED_AFTER
    with pytest.raises(Conflict) as answer:  # the replay paid the premium: nothing left to pay
        _pay(sales, gateway, key="key-0002", now=later)
    assert answer.value.code == "nothing_due"
    assert sales.policies[POLICY_ID].status == "ACTIVE" and len(gateway.charges) == 1


def test_the_same_key_with_another_method_is_refused():
    sales, gateway = _world()
    gateway.down = True
    with pytest.raises(DependencyError):
        _pay(sales, gateway)
    with pytest.raises(Unprocessable) as reused:
        _pay(sales, gateway, method="tok_mastercard")
    assert reused.value.code == "idempotency_key_reused"


def test_a_claim_lost_to_another_attempt_is_told_a_payment_is_processing():
    sales, gateway = _world()
    rival = ChargeInFlight(
        "pay:rival",
        "rival-key-01",
        "INITIAL",
        a_policy().term,
        Money(PREMIUM),
        "tok_visa",
        "rival",
        "x",
        NOW,
        "pi_r",
    )
    sales.meanwhile.append(lambda s: s.add(replace(s.policies[POLICY_ID], charge=rival)))
    with pytest.raises(Conflict) as lost:
        _pay(sales, gateway)
    assert lost.value.code == "payment_processing" and gateway.charges == []


def test_a_notice_that_overtakes_our_record_is_recorded_from_the_attempt_and_settles_it():
    sales, gateway = _world()
    charge = ChargeInFlight(
        "pay:k", "key-0001", "INITIAL", a_policy().term, Money(PREMIUM), "tok_async", "d", "customer:c-1", NOW
    )
    sales.add(replace(sales.policies[POLICY_ID], charge=charge))
    assert paying.settle(_ports(sales, gateway), _notice("pi_77", charge_key="pay:k")) == "settled"
    assert sales.payments_by_id["pi_77"].status == "SUCCEEDED"
    assert sales.policies[POLICY_ID].status == "ACTIVE" and sales.policies[POLICY_ID].charge is None
    assert paying.settle(_ports(sales, gateway), _notice("pi_unknown")) == "unknown_payment"


def test_a_failed_notice_frees_the_policy_for_another_attempt():
    sales, gateway = _world()
    outcome = _pay(sales, gateway, method="tok_async")
    notice = _notice(outcome.payment.payment_id, kind=paying.FAILED)
    assert paying.settle(_ports(sales, gateway), notice) == "settled"
    failed = sales.payments_by_id[outcome.payment.payment_id]
    assert failed.status == "FAILED" and failed.decline == Decline("card_declined", "No.")
    assert sales.policies[POLICY_ID].charge is None and sales.policies[POLICY_ID].status == "PENDING_PAYMENT"


def test_cancelling_a_paid_policy_refunds_the_unused_days_once():
    sales, gateway = _world()
    paid = _pay(sales, gateway).payment
    effective = date(2027, 3, 1)
    cancelled = paying.cancel(
        _ports(sales, gateway, now=NOW + timedelta(days=1)),
        CUSTOMER,
        POLICY_ID,
        effective=effective,
        reason="OTHER",
        note=None,
    )
    back = refund_cents(PREMIUM, date(2026, 12, 1), date(2027, 12, 1), effective)
    assert cancelled.status == "CANCELLED" and sales.policies[POLICY_ID] == cancelled
    assert cancelled.cancellation is not None and cancelled.cancellation.refund == Money(back)
    assert cancelled.cancellation.pending_refund is None
    [refund] = sales.refunds(POLICY_ID)
    assert (refund.payment_id, refund.amount, refund.reason) == (paid.payment_id, Money(back), "cancellation")
    assert gateway.kept_cents() == PREMIUM - back


def test_a_charge_that_succeeds_after_the_cancellation_is_refunded_in_full():
    sales, gateway = _world()
    processing = _pay(sales, gateway, method="tok_async").payment
    cancelled = paying.cancel(
        _ports(sales, gateway), CUSTOMER, POLICY_ID, effective=None, reason="OTHER", note="x"
    )
    assert cancelled.cancellation is not None
    assert cancelled.cancellation.pending_refund is not None
    assert cancelled.cancellation.pending_refund.payment_id == processing.payment_id
    gateway.settle(processing.payment_id)
    counted: list[str] = []
    assert (
        paying.settle(_ports(sales, gateway, counted=counted), _notice(processing.payment_id)) == "refunded"
    )
    assert counted == ["LateChargesRefunded"]
    refunded = sales.payments_by_id[processing.payment_id]
    assert refunded.status == "REFUNDED" and refunded.late_refund is not None
    assert refunded.late_refund.reason == "policy_cancelled" and refunded.late_refund.cents == PREMIUM
    policy = sales.policies[POLICY_ID]
    assert policy.cancellation is not None and policy.cancellation.pending_refund is None
    assert policy.cancellation.refund == Money(PREMIUM) and policy.charge is None
    assert gateway.kept_cents() == 0


def test_a_cancellation_the_gateway_cannot_refund_is_503_and_changes_nothing():
    sales, gateway = _world()
    _pay(sales, gateway)
    before = sales.policies[POLICY_ID]
    gateway.down = True
    with pytest.raises(ServiceUnavailable):
        paying.cancel(_ports(sales, gateway), CUSTOMER, POLICY_ID, effective=None, reason="OTHER", note=None)
    assert sales.policies[POLICY_ID] == before and sales.refunds(POLICY_ID) == []


def test_a_renewal_premium_is_due_only_for_its_own_term():
    renewal_term = Term(date(2027, 12, 1), date(2028, 12, 1))
    sales, gateway = _world(status="ACTIVE", paid=Paid("pi_0", PREMIUM))
    policy = sales.policies[POLICY_ID]
    with pytest.raises(Conflict):
        _pay(sales, gateway)
    renewal = Renewal(renewal_term, Money(40_000), Money(3_333), "PENDING_PAYMENT", NOW)
    sales.add(replace(policy, renewal=renewal))
    outcome = _pay(sales, gateway, key="renew-0001")
    assert outcome.payment.purpose == "RENEWAL" and outcome.payment.term == renewal_term
    stored = sales.policies[POLICY_ID].renewal
    assert (
        stored is not None
        and stored.status == "PAID"
        and stored.paid == Paid(outcome.payment.payment_id, 40_000)
    )
