"""Pro-rata refunds: never negative, never more than was paid for the unused days."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from salesportal.domain.policies import term_end
from salesportal.domain.proration import refund_cents, unused_days

starts = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
paid = st.integers(min_value=0, max_value=10_000_000)
offsets = st.integers(min_value=-400, max_value=800)


def test_half_a_term_unused_refunds_half_rounded_down():
    start = date(2026, 1, 1)
    end = start + timedelta(days=365)
    assert refund_cents(36_501, start, end, start + timedelta(days=183)) == 36_501 * 182 // 365


def test_cancelling_on_the_first_day_refunds_everything_and_on_the_last_nothing():
    start, end = date(2026, 3, 1), date(2027, 3, 1)
    assert refund_cents(12_000, start, end, start) == 12_000
    assert refund_cents(12_000, start, end, end) == 0


@given(paid, starts, offsets)
def test_a_refund_is_never_negative_nor_more_than_the_unused_share_of_what_was_paid(cents, start, offset):
    end = term_end(start)
    effective = start + timedelta(days=offset)
    refund = refund_cents(cents, start, end, effective)
    term_days = (end - start).days
    assert 0 <= refund <= cents
    assert refund * term_days <= cents * unused_days(start, end, effective)


@given(paid, starts, st.integers(min_value=0, max_value=365), st.integers(min_value=0, max_value=365))
def test_cancelling_later_never_refunds_more(cents, start, a, b):
    end = term_end(start)
    early, late = sorted((a, b))
    assert refund_cents(cents, start, end, start + timedelta(days=late)) <= refund_cents(
        cents, start, end, start + timedelta(days=early)
    )


def test_a_leap_day_term_ends_on_the_28th():
    assert term_end(date(2028, 2, 29)) == date(2029, 2, 28)
