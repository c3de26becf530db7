"""Analytics: which daily counters a domain event moves, and what a range of days adds up to. Pure.

Counters are per UTC day of the event (``occurredAt``). Sign-ins are counted by the Cognito
post-authentication trigger, not from events; everything else comes from the outbox.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

SIGN_UP_ACTOR = "system:post_confirmation"  # a Salesforce-created customer is not a sign-up
DECISIONS = ("APPROVED", "DECLINED", "REFERRED", "UNDER_REVIEW")
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


@dataclass(frozen=True)
class Increments:
    day: date
    counters: Mapping[str, int]


def increments(detail_type: str, detail: Mapping[str, Any]) -> Increments | None:
    """The counters one event adds to (None: an event analytics does not count)."""
    facts = detail.get("facts") or {}
    status = facts.get("status")
    counters: dict[str, int] = {}
    if detail_type == "CustomerCreated" and detail.get("actor") == SIGN_UP_ACTOR:
        counters["signUps"] = 1
    elif detail_type == "QuoteCreated":
        counters["quotes"] = 1
    elif detail_type == "ApplicationCreated":
        counters["applications"] = 1
    elif detail_type == "ApplicationStatusChanged" and status:
        counters[f"applications{str(status).title().replace('_', '')}"] = 1
    elif detail_type == "PolicyCreated":
        counters["policies"] = 1
    elif detail_type in ("PaymentCreated", "PaymentStatusChanged") and status == "SUCCEEDED":
        counters["paymentsSucceeded"] = 1
        counters["premiumWrittenCents"] = int(facts.get("amountCents") or 0)
    elif detail_type in ("PaymentCreated", "PaymentStatusChanged") and status == "FAILED":
        counters["paymentsFailed"] = 1
    elif detail_type == "AiQueryCreated":
        counters["aiQueries"] = 1
    if not counters:
        return None
    return Increments(datetime.fromisoformat(detail["occurredAt"]).date(), counters)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def summary(days: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Totals and rates over day items ({"day": ..., counter: n, ...})."""
    totals: dict[str, int] = {}
    for day in days:
        for name, value in day.items():
            if name != "day" and isinstance(value, int | float):
                totals[name] = totals.get(name, 0) + int(value)
    by_status = {
        s: totals.get(f"applications{s.title().replace('_', '')}", 0) for s in (*DECISIONS, "ACCEPTED")
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
