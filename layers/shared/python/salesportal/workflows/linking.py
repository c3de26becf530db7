"""Linking an account to the drug-plan beneficiary record it proves.

Failures count per account and per beneficiary (many accounts guessing at one person get no
more tries than one account): ``MAX_FAILURES`` in a window of ``WINDOW_S``, and every attempt
after is throttled until that window ends. Each attempt is counted before it is judged,
atomically, so concurrent guesses cannot exceed the limit; only an attempt that proved right
is taken off again, and nothing resets a count (a link, a re-link, a success).
A beneficiary already linked to another account answers like a wrong fact, and counts as one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from salesportal.data.attempts import AttemptsExhausted, Reservation
from salesportal.domain.beneficiaries import MAX_FAILURES, WINDOW_S, Proof, proves
from salesportal.errors import Forbidden, NotFound, TooManyRequests

REFUSED = "These details do not match a beneficiary record we can link to this account."


class Counter(Protocol):
    def reserve(self, now: int) -> Reservation: ...

    def release(self, reservation: Reservation) -> None: ...


class Profiles(Protocol):
    def get(self, customer_id: str) -> object | None: ...

    def link_attempts(self, customer_id: str, *, limit: int, window_s: int) -> Counter: ...

    def set_beneficiary(
        self, customer_id: str, beneficiary_id: str, *, actor: str, now: datetime
    ) -> None: ...


class Beneficiaries(Protocol):
    def proof(self, beneficiary_id: str) -> Proof | None: ...

    def link(self, beneficiary_id: str, customer_id: str, now: str) -> bool: ...

    def link_attempts(self, beneficiary_id: str, *, limit: int, window_s: int) -> Counter: ...


@dataclass(frozen=True)
class Ports:
    profiles: Profiles
    beneficiaries: Beneficiaries
    clock: Callable[[], datetime]
    count: Callable[[str], None]  # a business event, by metric name


def link(ports: Ports, customer_id: str, actor: str, beneficiary_id: str, claimed: Proof) -> None:
    """Link, or refuse: 429 ``too_many_attempts`` once a window is full, 403 ``link_refused``
    for any fact that does not match (never which one)."""
    if ports.profiles.get(customer_id) is None:  # before any guess: says nothing of the record
        raise NotFound("No profile exists for this account yet.", code="profile_not_found")
    counters = (
        ports.profiles.link_attempts(customer_id, limit=MAX_FAILURES, window_s=WINDOW_S),
        ports.beneficiaries.link_attempts(beneficiary_id, limit=MAX_FAILURES, window_s=WINDOW_S),
    )
    now = ports.clock()
    held: list[tuple[Counter, Reservation]] = []
    try:
        for counter in counters:
            held.append((counter, counter.reserve(int(now.timestamp()))))
    except AttemptsExhausted as full:
        _release(held)  # a refused attempt guessed nothing
        ports.count("BeneficiaryLinkThrottled")
        raise TooManyRequests(
            "Too many attempts; try again later.", code="too_many_attempts", retry_after_s=full.retry_after_s
        ) from None
    proved = proves(ports.beneficiaries.proof(beneficiary_id), claimed)
    if not (proved and ports.beneficiaries.link(beneficiary_id, customer_id, now.isoformat())):
        ports.count("BeneficiaryLinkRefused")
        raise Forbidden(REFUSED, code="link_refused")
    _release(held)  # proved right: not a failure (earlier failures still count)
    ports.profiles.set_beneficiary(customer_id, beneficiary_id, actor=actor, now=now)
    ports.count("BeneficiaryLinked")


def _release(held: list[tuple[Counter, Reservation]]) -> None:
    for counter, reservation in held:
        counter.release(reservation)
