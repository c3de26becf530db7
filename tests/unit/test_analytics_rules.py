"""Analytics counting rules with plain values: which event moves which counter; the totals."""

from __future__ import annotations

from datetime import date

import pytest

from infrastructure import manifest
from salesportal.domain.analytics import COUNTED_EVENTS, daily, increments, range_problem, summary

AT = "2026-11-22T23:59:59+00:00"


def _detail(actor="customer:c-1", **facts):
    return {"eventId": "e-1", "actor": actor, "occurredAt": AT, "facts": facts}


@pytest.mark.parametrize(
    ("detail_type", "detail", "counters"),
    [
        ("CustomerCreated", _detail(actor="system:post_confirmation"), {"signUps": 1}),
        ("QuoteCreated", _detail(status="QUOTED"), {"quotes": 1}),
        ("ApplicationCreated", _detail(status="SUBMITTED"), {"applications": 1}),
        ("ApplicationStatusChanged", _detail(status="APPROVED"), {"applicationsApproved": 1}),
        ("ApplicationStatusChanged", _detail(status="UNDER_REVIEW"), {"applicationsUnderReview": 1}),
        ("ApplicationStatusChanged", _detail(status="ACCEPTED"), {"applicationsAccepted": 1}),
        ("PolicyCreated", _detail(status="PENDING_PAYMENT"), {"policies": 1}),
        (
            "PaymentCreated",
            _detail(status="SUCCEEDED", amountCents=12000),
            {"paymentsSucceeded": 1, "premiumWrittenCents": 12000},
        ),
        (
            "PaymentStatusChanged",
            _detail(status="SUCCEEDED", amountCents=500),
            {"paymentsSucceeded": 1, "premiumWrittenCents": 500},
        ),
        ("PaymentCreated", _detail(status="FAILED", amountCents=12000), {"paymentsFailed": 1}),
        ("AiQueryCreated", _detail(status="QUEUED"), {"aiQueries": 1}),
    ],
)
def test_each_counted_event_moves_its_counters_on_its_own_utc_day(detail_type, detail, counters):
    counted = increments(detail_type, detail)
    assert counted is not None and counted.day == date(2026, 11, 22) and dict(counted.counters) == counters


@pytest.mark.parametrize(
    ("detail_type", "detail"),
    [
        ("CustomerCreated", _detail(actor="system:salesforce")),  # pulled from the CRM: not a sign-up
        ("PaymentCreated", _detail(status="PENDING", amountCents=100)),  # not yet written
        ("PolicyStatusChanged", _detail(status="ACTIVE")),
        ("ApplicationStatusChanged", _detail()),
        ("ApplicationStatusChanged", _detail(status="WITHDRAWN")),  # no such status: no stray counter
        ("RefundCreated", _detail(status="SUCCEEDED", amountCents=100)),
    ],
)
def test_what_is_not_counted(detail_type, detail):
    assert increments(detail_type, detail) is None


def test_an_event_stamped_with_another_offset_counts_on_its_utc_day():
    counted = increments("QuoteCreated", {**_detail(), "occurredAt": "2026-11-21T20:30:00-05:00"})
    assert counted is not None and counted.day == date(2026, 11, 22)


def test_totals_and_rates_over_days():
    days = [
        {
            "day": "2026-11-21",
            "quotes": 3,
            "applications": 2,
            "policies": 1,
            "applicationsApproved": 2,
            "signIns": 4,
            "activeUsers": 2,
        },
        {
            "day": "2026-11-22",
            "quotes": 1,
            "applicationsDeclined": 2,
            "premiumWrittenCents": 900,
            "signIns": 2,
            "activeUsers": 2,
        },
    ]
    totals = summary(days)
    assert totals["quotes"] == 4 and totals["quoteToPolicyConversion"] == 0.25
    assert totals["approvalRate"] == 0.5
    assert totals["applicationsByStatus"] == {
        "SUBMITTED": 2,
        "UNDER_REVIEW": 0,
        "REFERRED": 0,
        "APPROVED": 2,
        "DECLINED": 2,
        "ACCEPTED": 0,
    }
    assert totals["signInsPerUser"] == 1.5 and totals["premiumWrittenCents"] == 900
    assert summary([])["approvalRate"] is None  # no decisions: no rate, not zero


def test_the_recorders_queue_subscribes_to_exactly_the_counted_events():
    assert manifest.queue("analytics").subscribes_to == COUNTED_EVENTS


def test_every_day_of_the_range_is_reported_oldest_first_with_zeros_where_nothing_happened():
    stored = [{"day": "2026-11-22", "quotes": 2, "policies": 1}, {"day": "2026-11-20", "signIns": 3}]
    days = daily(date(2026, 11, 20), date(2026, 11, 23), stored)
    assert [d["day"] for d in days] == [date(2026, 11, d) for d in (20, 21, 22, 23)]
    assert days[0]["signIns"] == 3 and days[1]["signIns"] == 0 and days[1]["quotes"] == 0
    assert days[2]["quotes"] == 2 and days[2]["quoteToPolicyConversion"] == 0.5
    assert days[3]["quoteToPolicyConversion"] is None


@pytest.mark.parametrize(
    ("first", "last", "problem"),
    [
        (date(2026, 11, 22), date(2026, 11, 22), None),
        (date(2025, 11, 23), date(2026, 11, 23), None),  # 366 days: a leap-free year plus a day
        (date(2026, 11, 22), date(2026, 11, 21), "from"),
        (date(2025, 11, 22), date(2026, 11, 23), "to"),  # 367 days
    ],
)
def test_a_range_is_at_most_366_days_and_in_order(first, last, problem):
    found = range_problem(first, last, 366)
    assert (found[0] if found else None) == problem
