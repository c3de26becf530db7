"""Policy lifecycle rules: terms, what is due, renewal windows, dunning and lapse.

Pure functions over plain values (the policy item as a mapping, dates handed in). The
states and the transitions allowed between them:

    PENDING_PAYMENT --paid--> ACTIVE --term ends, renewal paid--> ACTIVE (next term)
          |                     |---term ends, renewal unpaid--> LAPSED
          |                     |---term ends, no renewal------> EXPIRED
          +--cancel--> CANCELLED <--cancel--+
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from ulid import ULID

from salesportal.errors import Conflict, Unprocessable

PolicyStatus = Literal["PENDING_PAYMENT", "ACTIVE", "CANCELLED", "LAPSED", "EXPIRED"]
CANCELLABLE: frozenset[str] = frozenset({"PENDING_PAYMENT", "ACTIVE"})
RENEWAL_WINDOW = timedelta(days=60)  # a renewal may be requested this long before term end
REMINDER_DAYS = (30, 7)  # reminders before the term ends
DUNNING_STARTS = timedelta(days=7)  # unpaid renewals are charged from this long before term end
DUNNING_ATTEMPTS = 3


def term_end(start: date, years: int = 1) -> date:
    """The same calendar day ``years`` later (29 February becomes 28 February)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def policy_number(product_id: str, policy_id: str, issued: datetime) -> str:
    """Human-readable and unique: product code, year, and the policy ULID's 50 random bits.

    e.g. ``TL-2026-7KQ3M9XD2A``. ULIDs do not collide in practice (2^50 random values per
    millisecond), so the number needs no counter and no uniqueness table.
    """
    code = "".join(part[0] for part in product_id.split("-") if part).upper()[:3] or "POL"
    random_part = str(ULID.from_str(policy_id))[-10:]
    return f"{code}-{issued.year}-{random_part}"


@dataclass(frozen=True)
class Due:
    purpose: Literal["INITIAL", "RENEWAL"]
    amount_cents: int
    term_start: date
    term_end: date


def transition_error(policy: Mapping[str, Any], action: str) -> Conflict:
    status = policy.get("status")
    return Conflict(
        f"Cannot {action} a policy that is {status}.",
        code="invalid_policy_state",
        details={"status": status},
    )


def amount_due(policy: Mapping[str, Any]) -> Due:
    """What a payment now would pay for; 409 naming the state when nothing is due."""
    status = policy.get("status")
    if status == "PENDING_PAYMENT":
        return Due(
            "INITIAL",
            int(policy["annualPremium"]["amountCents"]),
            date.fromisoformat(policy["termStart"]),
            date.fromisoformat(policy["termEnd"]),
        )
    renewal = policy.get("renewal") or {}
    if status == "ACTIVE" and renewal.get("status") == "PENDING_PAYMENT":
        return Due(
            "RENEWAL",
            int(renewal["annualPremium"]["amountCents"]),
            date.fromisoformat(renewal["termStart"]),
            date.fromisoformat(renewal["termEnd"]),
        )
    raise Conflict(
        f"Nothing is due on a policy that is {status}"
        + (" with its renewal paid." if renewal.get("status") == "PAID" else "."),
        code="nothing_due",
        details={"status": status},
    )


def check_renewable(policy: Mapping[str, Any], today: date) -> None:
    if policy.get("status") != "ACTIVE":
        raise transition_error(policy, "renew")
    end = date.fromisoformat(policy["termEnd"])
    opens = end - RENEWAL_WINDOW
    if not opens <= today < end:
        raise Conflict(
            f"Renewal opens on {opens.isoformat()} and closes on {end.isoformat()}.",
            code="outside_renewal_window",
            details={"opens": opens.isoformat(), "closes": end.isoformat()},
        )
    if policy.get("renewal"):
        raise Conflict(
            "A renewal for the next term was already requested.",
            code="renewal_exists",
            details={"renewal": policy["renewal"]},
        )


def check_cancellable(policy: Mapping[str, Any], effective: date, today: date) -> None:
    if policy.get("status") not in CANCELLABLE:
        raise transition_error(policy, "cancel")
    end_of_cover = date.fromisoformat((policy.get("renewal") or {}).get("termEnd") or policy["termEnd"])
    if effective < today or effective > end_of_cover:
        message = f"effectiveDate must be between {today.isoformat()} and {end_of_cover.isoformat()}."
        raise Unprocessable(
            message, details=[{"field": "effectiveDate", "message": message, "type": "value_error"}]
        )


# -- the daily job ------------------------------------------------------------------------
@dataclass(frozen=True)
class DailyActions:
    reminder: int | None = None  # days before the term ends: send this reminder now
    charge_renewal: bool = False
    term_ended: Literal["ROLL", "LAPSE", "EXPIRE"] | None = None


def daily_actions(policy: Mapping[str, Any], today: date) -> DailyActions:
    """What the daily job should do for one ACTIVE policy today. Idempotent by construction:
    reminders already sent and attempts already made today are not repeated."""
    if policy.get("status") != "ACTIVE":
        return DailyActions()
    end = date.fromisoformat(policy["termEnd"])
    renewal = policy.get("renewal") or {}
    # A renewal payment still processing: never charge again beside it, and let the term
    # end wait for its outcome (it may yet pay the renewal) rather than lapse a paying customer.
    in_flight = bool(policy.get("chargeInFlight"))
    if today >= end:
        if renewal.get("status") == "PAID":
            return DailyActions(term_ended="ROLL")
        if in_flight:
            return DailyActions()
        return DailyActions(term_ended="LAPSE" if renewal else "EXPIRE")
    days_left = (end - today).days
    sent = {int(d) for d in policy.get("remindersSent", [])}
    # Only the tightest reminder that applies: a job that missed days sends one message,
    # and a 7-day reminder already sent is never followed by a 30-day one.
    applicable = [d for d in REMINDER_DAYS if days_left <= d]
    tightest = min(applicable) if applicable else None
    reminder = (
        tightest
        if tightest is not None and tightest not in sent and renewal.get("status") != "PAID"
        else None
    )
    charge = (
        not in_flight
        and renewal.get("status") == "PENDING_PAYMENT"
        and bool(policy.get("paymentMethod"))
        and end - today <= DUNNING_STARTS
        and int(renewal.get("attempts", 0)) < DUNNING_ATTEMPTS
        and renewal.get("lastAttemptOn") != today.isoformat()
    )
    return DailyActions(reminder=reminder, charge_renewal=charge)
