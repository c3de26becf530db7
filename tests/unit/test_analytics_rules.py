"""Analytics counting rules with plain values: which event moves which counter; the totals."""

from __future__ import annotations

from datetime import date

import pytest

from infrastructure import manifest
from salesportal.domain.analytics import COUNTED_EVENTS, increments, summary

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
    ],
)
def test_what_is_not_counted(detail_type, detail):
    assert increments(detail_type, detail) is None


def test_totals_and_rates_over_days():
    days = [
        {
            "day": "2026-11-21",
            "quotes": 3,
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
    assert totals["approvalRate"] == 0.5 and totals["applicationsByStatus"]["DECLINED"] == 2
    assert totals["signInsPerUser"] == 1.5 and totals["premiumWrittenCents"] == 900
    assert summary([])["approvalRate"] is None  # no decisions: no rate, not zero


def test_the_recorders_queue_subscribes_to_exactly_the_counted_events():
    assert manifest.queue("analytics").subscribes_to == COUNTED_EVENTS
