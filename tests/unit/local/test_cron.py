"""The local scheduler's EventBridge cron matcher."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from infrastructure.local.cron import field_matches, matches
from infrastructure.manifest import Cron


@pytest.mark.parametrize(
    ("expression", "value", "expected"),
    [
        ("*", 17, True),
        ("?", 3, True),
        ("5", 5, True),
        ("5", 6, False),
        ("1,15,30", 15, True),
        ("10-20", 20, True),
        ("10-20", 21, False),
        ("*/15", 45, True),
        ("*/15", 46, False),
        ("10-40/10", 30, True),
        ("10-40/10", 35, False),
        ("5/20", 45, True),
    ],
)
def test_fields(expression, value, expected):
    assert field_matches(expression, value, 0, 59) is expected


def test_named_weekdays_and_months():
    assert field_matches("MON-FRI", 2, 1, 7, {"MON": 2, "FRI": 6})
    assert not field_matches("MON-FRI", 1, 1, 7, {"MON": 2, "FRI": 6})


def test_nightly_schedule_fires_once_a_day_at_its_minute():
    nightly = Cron(minute="30", hour="2")
    assert matches(nightly, datetime(2026, 11, 22, 2, 30, tzinfo=UTC))
    assert not matches(nightly, datetime(2026, 11, 22, 2, 31, tzinfo=UTC))
    assert not matches(nightly, datetime(2026, 11, 22, 3, 30, tzinfo=UTC))


def test_weekday_schedules_use_eventbridge_numbering():
    weekdays = Cron(minute="0", hour="9", week_day="MON-FRI")
    assert matches(weekdays, datetime(2026, 11, 23, 9, 0, tzinfo=UTC))  # a Monday
    assert not matches(weekdays, datetime(2026, 11, 22, 9, 0, tzinfo=UTC))  # a Sunday
    assert matches(Cron(minute="0", hour="9", week_day="1"), datetime(2026, 11, 22, 9, 0, tzinfo=UTC))
