"""Profile rules that need a clock: a date of birth must be a plausible adult's."""

from __future__ import annotations

from datetime import date

from salesportal.errors import Unprocessable
from salesportal.models.customers import ProfileUpdate

MIN_AGE_YEARS = 18
MAX_AGE_YEARS = 120


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def validate_update(update: ProfileUpdate, today: date) -> None:
    if update.date_of_birth is None:
        return
    age = age_on(update.date_of_birth, today)
    if not MIN_AGE_YEARS <= age <= MAX_AGE_YEARS:
        raise Unprocessable(
            f"dateOfBirth must make you {MIN_AGE_YEARS} to {MAX_AGE_YEARS} years old.",
            details=[{"field": "dateOfBirth", "message": "out of range", "type": "value_error"}],
        )
