"""Renewal offers and the daily renewal run, over in-memory ports (tests/fakes/sales.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from salesportal.domain.sales import Money, Paid, Policy, Renewal, Term
from salesportal.errors import Conflict
from salesportal.models.rating import AgeBand, RateTable
from salesportal.workflows import renewal_offers, renewing
from tests.fakes.sales import CUSTOMER, NOW, POLICY_ID, PREMIUM, FakeGateway, FakeSales, a_policy

TODAY = date(2027, 11, 26)  # the term ends on 2027-12-01: five days left
RUN_AT = datetime.combine(TODAY, NOW.timetz())
NEXT_TERM = Term(date(2027, 12, 1), date(2028, 12, 1))
RENEWAL_PREMIUM = 40_000


def _renewal(**fields) -> Renewal:
    renewal = Renewal(NEXT_TERM, Money(RENEWAL_PREMIUM), Money(3_400), "PENDING_PAYMENT", NOW)
    return replace(renewal, **fields)


def _active(**fields) -> Policy:
    defaults = {"status": "ACTIVE", "paid": Paid("pi_0", PREMIUM), "payment_method": "tok_visa"}
    return a_policy(**{**defaults, **fields})


def _run(sales: FakeSales, gateway: FakeGateway, today: date = TODAY) -> renewing.Summary:
    ports = renewing.Ports(sales, gateway, "system:renewals", datetime.combine(today, NOW.timetz()))
    return renewing.run(ports, today)


def _world(policy: Policy) -> tuple[FakeSales, FakeGateway]:
    sales = FakeSales()
    sales.add(policy)
    return sales, FakeGateway()


def test_an_unpaid_renewal_is_charged_through_the_payment_rules_once_a_day():
    sales, gateway = _world(_active(renewal=_renewal()))
    summary = _run(sales, gateway)
    assert (summary.charged, summary.reminders, summary.errors) == (1, 1, 0)
    renewal = sales.policies[POLICY_ID].renewal
    assert renewal is not None and renewal.status == "PAID" and renewal.attempts == 1
    assert renewal.last_attempt_on == TODAY and renewal.paid is not None
    [payment] = sales.payments(POLICY_ID)
    assert (payment.purpose, payment.amount, payment.term) == ("RENEWAL", Money(RENEWAL_PREMIUM), NEXT_TERM)
    assert sales.policies[POLICY_ID].charge is None
    again = _run(sales, gateway)  # a retried run the same day
    assert (again.charged, again.reminders) == (0, 0) and len(gateway.charges) == 1


def test_declined_renewals_are_retried_daily_up_to_the_limit_then_the_term_lapses():
    sales, gateway = _world(_active(renewal=_renewal(), payment_method="tok_declined"))
    for day in range(3):
        assert _run(sales, gateway, TODAY + timedelta(days=day)).declined == 1
    assert _run(sales, gateway, TODAY + timedelta(days=3)).declined == 0  # three attempts: no more
    renewal = sales.policies[POLICY_ID].renewal
    assert renewal is not None and renewal.attempts == 3
    assert [p.status for p in sales.payments(POLICY_ID)] == ["FAILED"] * 3
    ended = _run(sales, gateway, NEXT_TERM.start)
    assert ended.terms_ended == 1 and sales.policies[POLICY_ID].status == "LAPSED"


def test_a_paid_renewal_becomes_the_term_when_the_old_one_ends():
    paid = _renewal(status="PAID", paid=Paid("pi_9", RENEWAL_PREMIUM))
    sales, gateway = _world(_active(renewal=paid, reminders_sent=frozenset({30, 7})))
    assert _run(sales, gateway, NEXT_TERM.start).terms_ended == 1
    policy = sales.policies[POLICY_ID]
    assert (policy.status, policy.term, policy.paid, policy.renewal) == (
        "ACTIVE",
        NEXT_TERM,
        Paid("pi_9", RENEWAL_PREMIUM),
        None,
    )
    assert policy.annual_premium == Money(RENEWAL_PREMIUM) and policy.reminders_sent == frozenset()


def test_a_renewal_payment_still_processing_keeps_the_term_from_lapsing():
    sales, gateway = _world(_active(renewal=_renewal(), payment_method="tok_async"))
    assert _run(sales, gateway).processing == 1
    assert _run(sales, gateway, NEXT_TERM.start).terms_ended == 0
    assert sales.policies[POLICY_ID].status == "ACTIVE"


def test_a_policy_without_renewal_expires_and_reminders_go_out_once():
    sales, gateway = _world(_active())
    first = _run(sales, gateway, date(2027, 11, 1))  # 30 days before the end
    assert first.reminders == 1 and _run(sales, gateway, date(2027, 11, 2)).reminders == 0
    [reminder] = sales.reminders.values()
    assert (reminder.days_before, reminder.term_end) == (30, date(2027, 12, 1))
    assert _run(sales, gateway, NEXT_TERM.start).terms_ended == 1
    assert sales.policies[POLICY_ID].status == "EXPIRED"


def test_a_gateway_outage_is_counted_and_does_not_stop_the_other_policies():
    sales, gateway = _world(_active(renewal=_renewal()))
    other = _active(policy_id="01JD8X3K9Q2M4N6P8R0T2V4W70", term=Term(date(2026, 11, 1), TODAY))
    sales.add(other)
    gateway.down = True
    summary = _run(sales, gateway)
    assert summary.errors == 1 and summary.failed_policies == [POLICY_ID]
    assert summary.terms_ended == 1 and sales.policies[other.policy_id].status == "EXPIRED"


class _Rates:
    def __init__(self, table: RateTable | None) -> None:
        self.table = table

    def rate_table(self, product_id: str) -> RateTable | None:
        return self.table


TABLE = RateTable(
    base_monthly_cents={"TL-250K": 3_000},
    age_bands=[AgeBand(min_age=18, max_age=80, factor=Decimal("1.5"))],
    state_factors={"CA": Decimal("1")},
    risk_factors={"smoker": {"false": Decimal("1"), "true": Decimal("2")}},
)


def _offer(sales: FakeSales, table: RateTable | None = TABLE, when: date = date(2027, 10, 15)) -> Policy:
    ports = renewal_offers.OfferPorts(
        sales, _Rates(table), "customer:c-1", datetime.combine(when, NOW.timetz())
    )
    return renewal_offers.offer(ports, CUSTOMER, POLICY_ID)


def test_a_renewal_offer_is_rated_on_todays_table_with_the_policys_loading():
    sales, _ = _world(_active(premium_adjustment_bps=1_000))
    renewed = _offer(sales)
    assert renewed == sales.policies[POLICY_ID]
    renewal = renewed.renewal
    assert renewal is not None and renewal.term == NEXT_TERM and renewal.status == "PENDING_PAYMENT"
    assert renewal.monthly_premium == Money(4_950)  # 3000 x 1.5 = 4500, +10 %
    assert renewal.annual_premium == Money(59_400)


def test_a_renewal_offer_is_refused_outside_its_window_twice_or_for_a_withdrawn_product():
    sales, _ = _world(_active())
    with pytest.raises(Conflict) as early:
        _offer(sales, when=date(2027, 9, 1))
    assert early.value.code == "outside_renewal_window"
    with pytest.raises(Conflict) as withdrawn:
        _offer(sales, table=None)
    assert withdrawn.value.code == "product_withdrawn"
    _offer(sales)
    with pytest.raises(Conflict) as twice:
        _offer(sales)
    assert twice.value.code == "renewal_exists"
