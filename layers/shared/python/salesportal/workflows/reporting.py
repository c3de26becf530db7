"""Reporting the business by day for admins: a range's totals and each of its days.

One read of the day counters the recorder keeps (never a Scan); a range the API does not
serve (backwards, or longer than ``MAX_DAYS``) is a 400 naming the parameter, like a
validation error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from salesportal.domain.analytics import DayTotals, Totals, daily, range_problem, summary
from salesportal.domain.raw import ItemImage
from salesportal.errors import BadRequest

MAX_DAYS = 366


class DayCounters(Protocol):
    def days(self, first: date, last: date) -> Sequence[ItemImage]: ...


@dataclass(frozen=True)
class Report:
    first: date
    last: date
    totals: Totals
    days: list[DayTotals]  # every day of the range, oldest first


def report(counters: DayCounters, first: date, last: date) -> Report:
    problem = range_problem(first, last, MAX_DAYS)
    if problem:
        parameter, message = problem
        raise BadRequest(
            f"Invalid parameter: {parameter} ({message}).",
            code="invalid_parameter",
            details=[{"field": parameter, "location": "query", "message": message, "type": "value_error"}],
        )
    days = counters.days(first, last)
    return Report(first, last, summary(days), daily(first, last, days))
