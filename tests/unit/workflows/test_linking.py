"""Linking a beneficiary with in-memory counters and records: attempts are counted before
they are judged, handed back only when proved right, and a full window throttles."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from salesportal.data.attempts import AttemptsExhausted, Reservation
from salesportal.domain.beneficiaries import MAX_FAILURES, Proof
from salesportal.errors import Forbidden, NotFound, TooManyRequests
from salesportal.workflows import linking

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
ON_RECORD = Proof("Rivera", "1950-04-02", "6789")


@dataclass
class FakeCounter:
    limit: int = MAX_FAILURES
    count: int = 0

    def reserve(self, now: int) -> Reservation:
        if self.count >= self.limit:
            raise AttemptsExhausted(600)
        self.count += 1
        return Reservation(self, now)  # type: ignore[arg-type]

    def release(self, reservation: Reservation) -> None:
        self.count -= 1


@dataclass
class FakeProfiles:
    profiles: set[str] = field(default_factory=lambda: {"c1", "c2"})
    counters: dict[str, FakeCounter] = field(default_factory=dict)
    linked: dict[str, str] = field(default_factory=dict)

    def get(self, customer_id: str) -> object | None:
        return {"customerId": customer_id} if customer_id in self.profiles else None

    def link_attempts(self, customer_id: str, *, limit: int, window_s: int) -> FakeCounter:
        return self.counters.setdefault(customer_id, FakeCounter(limit))

    def set_beneficiary(self, customer_id: str, beneficiary_id: str, *, actor: str, now: datetime) -> None:
        self.linked[customer_id] = beneficiary_id


@dataclass
class FakeBeneficiaries:
    records: dict[str, Proof] = field(default_factory=lambda: {"B-1": ON_RECORD})
    links: dict[str, str] = field(default_factory=dict)
    counters: dict[str, FakeCounter] = field(default_factory=dict)

    def proof(self, beneficiary_id: str) -> Proof | None:
        return self.records.get(beneficiary_id)

    def link(self, beneficiary_id: str, customer_id: str, now: str) -> bool:
        return self.links.setdefault(beneficiary_id, customer_id) == customer_id

    def link_attempts(self, beneficiary_id: str, *, limit: int, window_s: int) -> FakeCounter:
        return self.counters.setdefault(beneficiary_id, FakeCounter(limit))


def world() -> tuple[linking.Ports, FakeProfiles, FakeBeneficiaries]:
    profiles, beneficiaries = FakeProfiles(), FakeBeneficiaries()
    ports = linking.Ports(profiles, beneficiaries, clock=lambda: NOW, count=COUNTED.append)
    return ports, profiles, beneficiaries


COUNTED: list[str] = []


def attempt(ports: linking.Ports, customer: str, proof: Proof, beneficiary: str = "B-1") -> Any:
    """The outcome as the API tells it: linked, refused (403) or throttled (429, retry after)."""
    try:
        linking.link(ports, customer, f"customer:{customer}", beneficiary, proof)
    except Forbidden as refused:
        assert refused.code == "link_refused"
        return Outcome("refused")
    except TooManyRequests as throttled:
        assert throttled.code == "too_many_attempts"
        return Outcome("throttled", int(throttled.headers["Retry-After"]))
    return Outcome("linked")


@dataclass(frozen=True)
class Outcome:
    kind: str
    retry_after_s: int = 0


def test_the_right_facts_link_and_leave_no_failure_counted():
    ports, profiles, beneficiaries = world()
    assert attempt(ports, "c1", Proof(" rivera ", "1950-04-02", "6789")).kind == "linked"
    assert profiles.linked == {"c1": "B-1"} and beneficiaries.links == {"B-1": "c1"}
    assert profiles.counters["c1"].count == 0 and beneficiaries.counters["B-1"].count == 0


@pytest.mark.parametrize(
    "proof",
    [
        Proof("Rivera", "1950-04-03", "6789"),
        Proof("Rivers", "1950-04-02", "6789"),
        Proof("Rivera", "1950-04-02", "0000"),
    ],
)
def test_any_wrong_fact_is_refused_and_counted_on_both_counters(proof):
    ports, profiles, beneficiaries = world()
    assert attempt(ports, "c1", proof).kind == "refused"
    assert profiles.counters["c1"].count == 1 and beneficiaries.counters["B-1"].count == 1


def test_an_unknown_beneficiary_is_refused_like_a_wrong_fact():
    ports, _, _ = world()
    assert attempt(ports, "c1", ON_RECORD, beneficiary="B-404").kind == "refused"


def test_a_beneficiary_linked_to_another_account_is_refused_and_counts():
    ports, profiles, _ = world()
    assert attempt(ports, "c1", ON_RECORD).kind == "linked"
    assert attempt(ports, "c2", ON_RECORD).kind == "refused"
    assert profiles.counters["c2"].count == 1


def test_after_the_limit_even_the_right_facts_are_throttled_and_hand_back_their_count():
    ports, profiles, beneficiaries = world()
    for _ in range(MAX_FAILURES):
        attempt(ports, "c1", Proof("x", "1950-04-02", "6789"))
    outcome = attempt(ports, "c1", ON_RECORD)
    assert (outcome.kind, outcome.retry_after_s) == ("throttled", 600)
    # The account's counter was full; the beneficiary's, counted first, got its attempt back.
    assert beneficiaries.counters["B-1"].count == MAX_FAILURES
    assert profiles.linked == {}


def test_many_accounts_guessing_at_one_beneficiary_share_its_limit():
    ports, profiles, _ = world()
    profiles.profiles |= {f"g{i}" for i in range(MAX_FAILURES + 1)}
    for i in range(MAX_FAILURES):
        assert attempt(ports, f"g{i}", Proof("x", "1950-04-02", "6789")).kind == "refused"
    assert attempt(ports, f"g{MAX_FAILURES}", ON_RECORD).kind == "throttled"


def test_an_account_without_a_profile_is_told_so_before_any_guess_is_counted():
    ports, _, beneficiaries = world()
    with pytest.raises(NotFound) as missing:
        attempt(ports, "nobody", ON_RECORD)
    assert missing.value.code == "profile_not_found" and not beneficiaries.counters


def test_each_outcome_is_counted_once_under_its_metric():
    ports, _, _ = world()
    COUNTED.clear()
    attempt(ports, "c1", Proof("x", "1950-04-02", "6789"))
    attempt(ports, "c1", ON_RECORD)
    assert COUNTED == ["BeneficiaryLinkRefused", "BeneficiaryLinked"]
