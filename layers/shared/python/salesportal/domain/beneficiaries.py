"""Proving a drug-plan beneficiary: the facts on record against the facts a customer gives.

Every fact is compared, always, in constant time, and a missing record compares like a wrong
one: neither the answer nor its timing tells which fact was wrong or whether the id exists.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

MAX_FAILURES = 5  # per account and per beneficiary, in one window
WINDOW_S = 15 * 60


@dataclass(frozen=True, slots=True)
class Proof:
    last_name: str
    birth_date: str  # YYYY-MM-DD
    ssn_last4: str


_NOTHING = Proof("", "", "")


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.strip().casefold().encode(), b.strip().casefold().encode())


def proves(on_record: Proof | None, claimed: Proof) -> bool:
    stored = on_record or _NOTHING
    checks = [
        _same(stored.last_name, claimed.last_name),
        _same(stored.birth_date, claimed.birth_date),
        _same(stored.ssn_last4, claimed.ssn_last4),
    ]
    return on_record is not None and all(checks)
