"""Reporting the business by day with in-memory day counters: the range's totals and every
day of it, and the ranges refused before anything is read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import pytest

from salesportal.domain.raw import ItemImage
from salesportal.errors import BadRequest
from salesportal.workflows import reporting


@dataclass
class FakeCounters:
    stored: list[dict[str, int | str]] = field(default_factory=list)
    reads: list[tuple[date, date]] = field(default_factory=list)

    def days(self, first: date, last: date) -> Sequence[ItemImage]:
        self.reads.append((first, last))
        return [d for d in self.stored if first.isoformat() <= str(d["day"]) <= last.isoformat()]


def test_a_range_adds_up_its_days_and_lists_every_one_of_them():
    counters = FakeCounters(
        [
            {"day": "2026-11-20", "quotes": 4, "policies": 1, "applicationsApproved": 1},
            {"day": "2026-11-22", "quotes": 6, "policies": 2, "applicationsDeclined": 1},
            {"day": "2026-11-30", "quotes": 100},  # outside the range
        ]
    )
    report = reporting.report(counters, date(2026, 11, 20), date(2026, 11, 23))
    assert (report.totals["quotes"], report.totals["policies"]) == (10, 3)
    assert report.totals["quoteToPolicyConversion"] == 0.3 and report.totals["approvalRate"] == 0.5
    assert [d["day"] for d in report.days] == [date(2026, 11, d) for d in (20, 21, 22, 23)]
    assert [d["quotes"] for d in report.days] == [4, 0, 6, 0]  # a quiet day is zeros


@pytest.mark.parametrize(
    ("first", "last", "parameter"),
    [(date(2026, 11, 2), date(2026, 11, 1), "from"), (date(2025, 1, 1), date(2026, 1, 2), "to")],
)
def test_a_backwards_or_too_long_range_is_a_400_naming_the_parameter_and_reads_nothing(
    first, last, parameter
):
    counters = FakeCounters()
    with pytest.raises(BadRequest) as refused:
        reporting.report(counters, first, last)
    assert refused.value.code == "invalid_parameter"
    assert refused.value.details[0]["field"] == parameter and counters.reads == []


def test_a_full_leap_year_is_the_longest_range_served():
    report = reporting.report(FakeCounters(), date(2028, 1, 1), date(2028, 12, 31))
    assert len(report.days) == reporting.MAX_DAYS == 366
