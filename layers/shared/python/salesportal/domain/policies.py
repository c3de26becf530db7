"""Policy lifecycle rules: terms, what is due, renewal windows, dunning and lapse.

Pure functions over the Policy entity (``salesportal.domain.sales``), dates handed in. The
states and the transitions allowed between them:

    PENDING_PAYMENT --paid--> ACTIVE --term ends, renewal paid--> ACTIVE (next term)
          |                     |---term ends, renewal unpaid--> LAPSED
          |                     |---term ends, no renewal------> EXPIRED
          +--cancel--> CANCELLED <--cancel--+
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Literal

from ulid import ULID

from salesportal.domain.raw import JsonObject, JsonValue
from salesportal.domain.sales import Money, Policy, PolicyStatus, Purpose, Renewal, Term
from salesportal.errors import Conflict, Unprocessable

__all__ = ["PolicyStatus"]
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
    """A premium a payment now would pay: its purpose, amount and the term it covers."""

    purpose: Purpose
    amount_cents: int
    term_start: date
    term_end: date
    currency: str = "USD"

    @property
    def term(self) -> Term:
        return Term(self.term_start, self.term_end)

    @property
    def amount(self) -> Money:
        return Money(self.amount_cents, self.currency)


def transition_error(policy: Policy, action: str) -> Conflict:
    return Conflict(
        f"Cannot {action} a policy that is {policy.status}.",
        code="invalid_policy_state",
        details={"status": policy.status},
    )


def amount_due(policy: Policy) -> Due:
    """What a payment now would pay for; 409 naming the state when nothing is due."""
    currency = policy.currency
    if policy.status == "PENDING_PAYMENT":
        term = policy.term
        return Due("INITIAL", policy.annual_premium.amount_cents, term.start, term.end, currency)
    renewal = policy.renewal
    if policy.status == "ACTIVE" and renewal is not None and renewal.status == "PENDING_PAYMENT":
        term = renewal.term
        return Due("RENEWAL", renewal.annual_premium.amount_cents, term.start, term.end, currency)
    paid = renewal is not None and renewal.status == "PAID"
    raise Conflict(
        f"Nothing is due on a policy that is {policy.status}" + (" with its renewal paid." if paid else "."),
        code="nothing_due",
        details={"status": policy.status},
    )


def check_renewable(policy: Policy, today: date) -> None:
    if policy.status != "ACTIVE":
        raise transition_error(policy, "renew")
    end = policy.term.end
    opens = end - RENEWAL_WINDOW
    if not opens <= today < end:
        raise Conflict(
            f"Renewal opens on {opens.isoformat()} and closes on {end.isoformat()}.",
            code="outside_renewal_window",
            details={"opens": opens.isoformat(), "closes": end.isoformat()},
        )
    if policy.renewal is not None:
        raise Conflict(
            "A renewal for the next term was already requested.",
            code="renewal_exists",
            details={"renewal": _renewal_details(policy.renewal)},
        )


def _renewal_details(renewal: Renewal) -> JsonObject:
    """The renewal as the API shows it (the 409's details name the one already requested)."""
    details: dict[str, JsonValue] = {
        "termStart": renewal.term.start.isoformat(),
        "termEnd": renewal.term.end.isoformat(),
        "annualPremium": _money(renewal.annual_premium),
        "monthlyPremium": _money(renewal.monthly_premium),
        "status": renewal.status,
        "attempts": renewal.attempts,
        "requestedAt": renewal.requested_at.isoformat(),
    }
    if renewal.last_attempt_on is not None:
        details["lastAttemptOn"] = renewal.last_attempt_on.isoformat()
    if renewal.paid is not None:
        details["paidCents"] = renewal.paid.cents
        details["paymentIntentId"] = renewal.paid.payment_id
    return details


def _money(money: Money) -> JsonObject:
    return {"amountCents": money.amount_cents, "currency": money.currency}


def end_of_cover(policy: Policy) -> date:
    """The last day anything paid or offered covers: the renewal's end, else the term's."""
    return policy.renewal.term.end if policy.renewal is not None else policy.term.end


def check_cancellable(policy: Policy, effective: date, today: date) -> None:
    if policy.status not in CANCELLABLE:
        raise transition_error(policy, "cancel")
    last = end_of_cover(policy)
    if effective < today or effective > last:
        message = f"effectiveDate must be between {today.isoformat()} and {last.isoformat()}."
        raise Unprocessable(
            message, details=[{"field": "effectiveDate", "message": message, "type": "value_error"}]
        )


def renewal_offer(policy: Policy, annual: Money, monthly: Money, now: datetime) -> Renewal:
    """The next term, from the day this one ends, at the premium it was re-rated to."""
    start = policy.term.end
    return Renewal(
        term=Term(start, term_end(start)),
        annual_premium=annual,
        monthly_premium=monthly,
        status="PENDING_PAYMENT",
        requested_at=now,
    )


def next_term(policy: Policy, now: datetime) -> Policy:
    """A paid renewal becomes the current term (its reminders start over)."""
    renewal = policy.renewal
    if renewal is None or renewal.status != "PAID":
        raise transition_error(policy, "roll over")
    return replace(
        policy,
        term=renewal.term,
        annual_premium=renewal.annual_premium,
        monthly_premium=renewal.monthly_premium,
        paid=renewal.paid,
        renewal=None,
        reminders_sent=frozenset(),
        updated_at=now,
    )


# -- the daily job ------------------------------------------------------------------------
TermEnd = Literal["ROLL", "LAPSE", "EXPIRE"]


@dataclass(frozen=True)
class DailyActions:
    reminder: int | None = None  # days before the term ends: send this reminder now
    charge_renewal: bool = False
    term_ended: TermEnd | None = None


def daily_actions(policy: Policy, today: date) -> DailyActions:
    """What the daily job should do for one ACTIVE policy today. Idempotent by construction:
    reminders already sent and attempts already made today are not repeated."""
    if policy.status != "ACTIVE":
        return DailyActions()
    end = policy.term.end
    renewal = policy.renewal
    renewal_status = renewal.status if renewal is not None else None
    # A renewal payment still processing: never charge again beside it, and let the term
    # end wait for its outcome (it may yet pay the renewal) rather than lapse a paying customer.
    in_flight = policy.charge is not None
    if today >= end:
        if renewal_status == "PAID":
            return DailyActions(term_ended="ROLL")
        if in_flight:
            return DailyActions()
        return DailyActions(term_ended="LAPSE" if renewal is not None else "EXPIRE")
    days_left = (end - today).days
    # Only the tightest reminder that applies: a job that missed days sends one message,
    # and a 7-day reminder already sent is never followed by a 30-day one.
    applicable = [d for d in REMINDER_DAYS if days_left <= d]
    tightest = min(applicable) if applicable else None
    reminder = (
        tightest
        if tightest is not None and tightest not in policy.reminders_sent and renewal_status != "PAID"
        else None
    )
    return DailyActions(reminder=reminder, charge_renewal=_dunning_due(policy, today))


def _dunning_due(policy: Policy, today: date) -> bool:
    renewal = policy.renewal
    return (
        policy.charge is None
        and renewal is not None
        and renewal.status == "PENDING_PAYMENT"
        and bool(policy.payment_method)
        and policy.term.end - today <= DUNNING_STARTS
        and renewal.attempts < DUNNING_ATTEMPTS
        and renewal.last_attempt_on != today
    )
