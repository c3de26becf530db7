"""Analytics: which daily counters a domain event moves, and what a range of days adds up to. Pure.

Counters are per UTC day of the event (``occurredAt``). Sign-ins are counted by the Cognito
post-authentication trigger, not from events; everything else comes from the outbox.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TypedDict

from salesportal.domain.raw import ItemImage, JsonObject

SIGN_UP_ACTOR = "system:post_confirmation"  # a Salesforce-created customer is not a sign-up
# Every application status (models.applications.ApplicationStatus). SUBMITTED is the
# ApplicationCreated count; the others count transitions into the status on that day.
APPLICATION_STATUSES = ("SUBMITTED", "UNDER_REVIEW", "REFERRED", "APPROVED", "DECLINED", "ACCEPTED")
# The events the recorder's queue subscribes to (infrastructure/manifest.py).
COUNTED_EVENTS = (
    "CustomerCreated",
    "QuoteCreated",
    "ApplicationCreated",
    "ApplicationStatusChanged",
    "PolicyCreated",
    "PaymentCreated",
    "PaymentStatusChanged",
    "AiQueryCreated",
)
# Counters also published as CloudWatch business metrics when first counted (the others
# already are, by the function that does the work: QuotesCreated, PaymentsSucceeded...).
METRICS = {"signUps": "SignUps", "premiumWrittenCents": "PremiumWrittenCents"}


@dataclass(frozen=True)
class Increments:
    day: date
    counters: Mapping[str, int]


def _status_counter(status: str) -> str:
    return "applications" + status.title().replace("_", "")


class Totals(TypedDict):
    signUps: int
    signIns: int
    activeUsers: int
    signInsPerUser: float | None
    quotes: int
    applications: int
    applicationsByStatus: dict[str, int]
    approvalRate: float | None
    policies: int
    quoteToPolicyConversion: float | None
    premiumWrittenCents: int
    paymentsSucceeded: int
    paymentsFailed: int
    aiQueries: int


class DayTotals(Totals):
    day: date


def increments(detail_type: str, detail: JsonObject) -> Increments | None:
    """The counters one event adds to (None: an event analytics does not count), from the
    outbox's event detail as it arrives."""
    raw_facts = detail.get("facts")
    facts: JsonObject = raw_facts if isinstance(raw_facts, Mapping) else {}
    status = facts.get("status")
    counters: dict[str, int] = {}
    if detail_type == "CustomerCreated" and detail.get("actor") == SIGN_UP_ACTOR:
        counters["signUps"] = 1
    elif detail_type == "QuoteCreated":
        counters["quotes"] = 1
    elif detail_type == "ApplicationCreated":
        counters["applications"] = 1
    elif (
        detail_type == "ApplicationStatusChanged"
        and isinstance(status, str)
        and status in APPLICATION_STATUSES[1:]
    ):
        counters[_status_counter(status)] = 1
    elif detail_type == "PolicyCreated":
        counters["policies"] = 1
    elif detail_type in ("PaymentCreated", "PaymentStatusChanged") and status == "SUCCEEDED":
        counters["paymentsSucceeded"] = 1
        amount = facts.get("amountCents")
        counters["premiumWrittenCents"] = (
            int(amount) if isinstance(amount, int | float | str) and amount else 0
        )
    elif detail_type in ("PaymentCreated", "PaymentStatusChanged") and status == "FAILED":
        counters["paymentsFailed"] = 1
    elif detail_type == "AiQueryCreated":
        counters["aiQueries"] = 1
    if not counters:
        return None
    return Increments(_utc_day(str(detail.get("occurredAt") or "")), counters)


def _utc_day(timestamp: str) -> date:
    at = datetime.fromisoformat(timestamp)
    return (at.astimezone(UTC) if at.tzinfo else at).date()  # naive: already UTC


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def summary(days: Iterable[ItemImage]) -> Totals:
    """Totals and rates over day items ({"day": ..., counter: n, ...})."""
    totals: dict[str, int] = {}
    for day in days:
        for name, value in day.items():
            if name != "day" and isinstance(value, int | float | Decimal):
                totals[name] = totals.get(name, 0) + int(value)
    by_status = {
        s: totals.get("applications" if s == "SUBMITTED" else _status_counter(s), 0)
        for s in APPLICATION_STATUSES
    }
    decided = by_status["APPROVED"] + by_status["DECLINED"]
    return {
        "signUps": totals.get("signUps", 0),
        "signIns": totals.get("signIns", 0),
        "activeUsers": totals.get("activeUsers", 0),
        "signInsPerUser": _rate(totals.get("signIns", 0), totals.get("activeUsers", 0)),
        "quotes": totals.get("quotes", 0),
        "applications": totals.get("applications", 0),
        "applicationsByStatus": by_status,
        "approvalRate": _rate(by_status["APPROVED"], decided),
        "policies": totals.get("policies", 0),
        "quoteToPolicyConversion": _rate(totals.get("policies", 0), totals.get("quotes", 0)),
        "premiumWrittenCents": totals.get("premiumWrittenCents", 0),
        "paymentsSucceeded": totals.get("paymentsSucceeded", 0),
        "paymentsFailed": totals.get("paymentsFailed", 0),
        "aiQueries": totals.get("aiQueries", 0),
    }


def daily(first: date, last: date, days: Iterable[ItemImage]) -> list[DayTotals]:
    """Every day of [first, last], oldest first, each summarised; a day nothing happened is zeros."""
    stored = {str(d.get("day")): d for d in days}
    count = (last - first).days + 1
    return [
        DayTotals(day=day, **summary([stored.get(day.isoformat(), {})]))
        for day in (first + timedelta(days=n) for n in range(count))
    ]


def range_problem(first: date, last: date, max_days: int) -> tuple[str, str] | None:
    """What is wrong with a requested day range, as (parameter, message); None if nothing."""
    if first > last:
        return "from", "must not be after to"
    if (last - first).days + 1 > max_days:
        return "to", f"a range covers at most {max_days} days"
    return None
