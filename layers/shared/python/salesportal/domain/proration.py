"""Pro-rata refunds: what a cancelled term gives back for the days it will not be used."""

from __future__ import annotations

from datetime import date


def unused_days(term_start: date, term_end: date, effective: date) -> int:
    """Days of [term_start, term_end) from ``effective`` on (the effective day is not covered)."""
    start = max(effective, term_start)
    return max(0, (term_end - start).days)


def refund_cents(paid_cents: int, term_start: date, term_end: date, effective: date) -> int:
    """``paid_cents`` x unused days / term days, rounded down: never negative, never more than paid.

    Rounded down so the sum over any split of a term never refunds a cent more than was paid.
    """
    if paid_cents <= 0:
        return 0
    term_days = (term_end - term_start).days
    if term_days <= 0:
        return 0
    return paid_cents * unused_days(term_start, term_end, effective) // term_days
