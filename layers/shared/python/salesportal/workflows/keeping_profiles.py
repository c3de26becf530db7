"""A customer's own profile: read it, and replace its editable fields at a known version.

An update applies only to the version the customer read (``If-Match``), so two tabs cannot
silently overwrite each other; the rules beyond the schema (an adult's date of birth, SMS
needs a phone) are ``domain/profile.py``'s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from salesportal.domain import profile as rules
from salesportal.domain.profile import CustomerProfile, ProfileChange
from salesportal.errors import NotFound, PreconditionFailed


class Profiles(Protocol):
    def profile(self, customer_id: str) -> CustomerProfile | None: ...

    def update_profile(
        self,
        customer_id: str,
        change: ProfileChange,
        *,
        actor: str,
        now: datetime,
        expected_version: int | None,
    ) -> CustomerProfile | None:
        """The profile as written; None when nothing was (no profile, or another version)."""
        ...


@dataclass(frozen=True)
class Ports:
    profiles: Profiles
    clock: Callable[[], datetime]


def _missing() -> NotFound:
    return NotFound("No profile exists for this account yet.", code="profile_not_found")


def read(ports: Ports, customer_id: str) -> CustomerProfile:
    profile = ports.profiles.profile(customer_id)
    if profile is None:
        raise _missing()
    return profile


def update(
    ports: Ports, customer_id: str, actor: str, change: ProfileChange, *, expected_version: int | None
) -> CustomerProfile:
    now = ports.clock()
    rules.validate_update(change, now.date())
    profile = ports.profiles.update_profile(
        customer_id, change, actor=actor, now=now, expected_version=expected_version
    )
    if profile is not None:
        return profile
    # Nothing written: no profile at all, or not at the version the customer read.
    if ports.profiles.profile(customer_id) is None:
        raise _missing()
    raise PreconditionFailed(
        "The profile changed since you read it; fetch it again and retry.", code="version_mismatch"
    )
