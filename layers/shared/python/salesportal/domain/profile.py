"""The customer profile as the system holds it, and the rules a change must meet: a date of
birth must be a plausible adult's (that rule needs a clock, handed in)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from salesportal.domain.languages import DEFAULT_LANGUAGE, Language
from salesportal.errors import Unprocessable

MIN_AGE_YEARS = 18
MAX_AGE_YEARS = 120


@dataclass(frozen=True)
class PostalAddress:
    line1: str
    city: str
    state: str  # two-letter US state code
    postal_code: str
    line2: str | None = None


@dataclass(frozen=True)
class ContactChoice:
    """The channels the customer wants messages on."""

    email: bool = True
    sms: bool = False


@dataclass(frozen=True)
class ProfileChange:
    """A replacement of every field a customer edits (PUT /me): None clears a field."""

    given_name: str
    family_name: str
    phone: str | None = None
    date_of_birth: date | None = None
    address: PostalAddress | None = None
    contact: ContactChoice = ContactChoice()
    preferred_language: Language = DEFAULT_LANGUAGE


@dataclass(frozen=True)
class CustomerProfile:
    customer_id: str
    created_at: datetime
    updated_at: datetime
    version: int  # counts up from 1 on every change: the ETag
    email: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    phone: str | None = None
    date_of_birth: date | None = None
    address: PostalAddress | None = None
    contact: ContactChoice = ContactChoice()
    preferred_language: Language = DEFAULT_LANGUAGE


class _BornOn(Protocol):
    @property
    def date_of_birth(self) -> date | None: ...


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def validate_update(update: _BornOn, today: date) -> None:
    if update.date_of_birth is None:
        return
    age = age_on(update.date_of_birth, today)
    if not MIN_AGE_YEARS <= age <= MAX_AGE_YEARS:
        raise Unprocessable(
            f"dateOfBirth must make you {MIN_AGE_YEARS} to {MAX_AGE_YEARS} years old.",
            details=[{"field": "dateOfBirth", "message": "out of range", "type": "value_error"}],
        )
