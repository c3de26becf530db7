"""EventBridge cron expressions, evaluated locally (moto stores schedules but never fires them)."""

from __future__ import annotations

from datetime import datetime

from infrastructure.manifest import Cron

_WEEKDAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1
    )
}


def _value(token: str, names: dict[str, int]) -> int:
    return names.get(token.upper()) or int(token)


def field_matches(
    expression: str, value: int, low: int, high: int, names: dict[str, int] | None = None
) -> bool:
    """One cron field: ``*``, ``?``, ``5``, ``1,3``, ``MON-FRI``, ``*/15``, ``10-40/10``."""
    names = names or {}
    for part in expression.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            step = int(step_text)
        if part in ("*", "?"):
            start, end = low, high
        elif "-" in part:
            first, last = part.split("-", 1)
            start, end = _value(first, names), _value(last, names)
        else:
            start = _value(part, names)
            end = high if step > 1 else start
        if start <= value <= end and (value - start) % step == 0:
            return True
    return False


def matches(cron: Cron, moment: datetime) -> bool:
    """Whether ``cron`` fires in the minute of ``moment`` (UTC)."""
    # EventBridge numbers weekdays 1 (Sunday) to 7; Python's weekday() is 0 (Monday) to 6.
    weekday = (moment.weekday() + 1) % 7 + 1
    return (
        field_matches(cron.minute, moment.minute, 0, 59)
        and field_matches(cron.hour, moment.hour, 0, 23)
        and field_matches(cron.month, moment.month, 1, 12, _MONTHS)
        and (
            field_matches(cron.week_day, weekday, 1, 7, _WEEKDAYS)
            if cron.week_day
            else field_matches(cron.day, moment.day, 1, 31)
        )
    )
