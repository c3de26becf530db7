"""Keeping a customer's profile with an in-memory store: versions guard updates, the rules
beyond the schema refuse before anything is written, and a missing profile is named."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

import pytest

from salesportal.domain.profile import CustomerProfile, ProfileChange
from salesportal.errors import NotFound, PreconditionFailed, Unprocessable
from salesportal.workflows import keeping_profiles as profiles

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@dataclass
class FakeProfiles:
    stored: dict[str, CustomerProfile] = field(default_factory=dict)
    writes: int = 0

    def profile(self, customer_id: str) -> CustomerProfile | None:
        return self.stored.get(customer_id)

    def update_profile(
        self,
        customer_id: str,
        change: ProfileChange,
        *,
        actor: str,
        now: datetime,
        expected_version: int | None,
    ) -> CustomerProfile | None:
        current = self.stored.get(customer_id)
        if current is None:
            return None
        if expected_version is not None and expected_version != current.version:
            return None
        self.writes += 1
        updated = replace(current, given_name=change.given_name, version=current.version + 1, updated_at=now)
        self.stored[customer_id] = updated
        return updated


def stored(customer_id: str = "c1") -> CustomerProfile:
    return CustomerProfile(
        customer_id=customer_id, email="c1@example.com", created_at=NOW, updated_at=NOW, version=3
    )


def world() -> tuple[profiles.Ports, FakeProfiles]:
    store = FakeProfiles({"c1": stored()})
    return profiles.Ports(store, clock=lambda: NOW), store


def test_an_update_at_the_current_version_applies_and_moves_the_version():
    ports, _ = world()
    updated = profiles.update(ports, "c1", "customer:c1", ProfileChange("Ana", "Ruiz"), expected_version=3)
    assert (updated.given_name, updated.version) == ("Ana", 4)


def test_an_update_at_a_stale_version_is_412_and_changes_nothing():
    ports, store = world()
    with pytest.raises(PreconditionFailed) as stale:
        profiles.update(ports, "c1", "customer:c1", ProfileChange("Ana", "Ruiz"), expected_version=2)
    assert stale.value.code == "version_mismatch" and store.writes == 0


def test_an_underage_date_of_birth_is_refused_before_anything_is_written():
    ports, store = world()
    change = ProfileChange("Ana", "Ruiz", date_of_birth=date(2015, 1, 1))
    with pytest.raises(Unprocessable):
        profiles.update(ports, "c1", "customer:c1", change, expected_version=None)
    assert store.writes == 0


def test_a_missing_profile_is_named_on_read_and_on_update():
    ports, _ = world()
    with pytest.raises(NotFound) as missing:
        profiles.read(ports, "nobody")
    assert missing.value.code == "profile_not_found"
    with pytest.raises(NotFound):
        profiles.update(ports, "nobody", "customer:nobody", ProfileChange("A", "B"), expected_version=None)
