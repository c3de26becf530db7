"""Drug-plan rules: the feature vocabulary, search filters, costs and plan comparison. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Literal

from salesportal.errors import BadRequest

# The features plans are described and searched by; a delta row with another key is
# quarantined, a search for another key is a 400 naming the parameter.
FEATURES: Mapping[str, str] = {
    "mail_order_pharmacy": "Prescriptions delivered by mail",
    "preferred_network": "Lower prices at preferred pharmacies",
    "insulin_savings": "Capped monthly insulin costs",
    "gap_coverage": "Coverage in the coverage gap",
    "specialty_pharmacy": "Access to specialty drugs",
    "ninety_day_supply": "90-day supplies at retail pharmacies",
    "vaccines_covered": "Recommended vaccines at no cost",
    "telehealth": "Pharmacist consultations by video",
    "generic_tier_zero": "Zero-cost preferred generics",
    "brand_name_discount": "Discounts on brand-name drugs",
}
# What the "estimated annual cost" assumes: a pharmacy visit a month.
VISITS_PER_YEAR = 12


@dataclass(frozen=True)
class FeatureFilter:
    key: str
    value: str | None  # None: the plan only needs to have the feature


def feature_filters(raw: Sequence[str]) -> list[FeatureFilter]:
    """``["insulin_savings", "gap_coverage=full"]`` → filters; unknown keys are a 400."""
    filters = []
    for item in raw:
        key, _, value = item.partition("=")
        key = key.strip()
        if key not in FEATURES:
            raise BadRequest(
                f"Unknown feature {key!r}; known features: {', '.join(sorted(FEATURES))}.",
                code="invalid_parameter",
                details=[{"field": "feature", "message": f"unknown feature {key!r}", "type": "value_error"}],
            )
        filters.append(FeatureFilter(key, value.strip() or None if value else None))
    return filters


def cents(amount: Any, field: str) -> int:
    """A source amount in dollars ("45.5", 45.5, "$1,200.00") as integer cents; never negative."""
    try:
        value = Decimal(str(amount).replace("$", "").replace(",", "").strip())
    except InvalidOperation:
        raise ValueError(f"{field} is not an amount: {amount!r}") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"{field} must be a non-negative amount")
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def estimated_annual_cents(plan: Mapping[str, Any]) -> int:
    return (
        12 * int(plan["monthlyCostCents"])
        + int(plan["deductibleCents"])
        + VISITS_PER_YEAR * int(plan["copayCents"])
    )


def age_in_band(plan: Mapping[str, Any], age: int) -> bool:
    return int(plan.get("minAge", 0)) <= age <= int(plan.get("maxAge", 200))


FeatureStatus = Literal["same", "different", "only_current", "only_other"]


def compare(current: Mapping[str, Any], other: Mapping[str, Any], age: int) -> dict[str, Any]:
    """Every feature side by side, cost deltas (other minus current) and the age check."""
    mine, theirs = current.get("features") or {}, other.get("features") or {}
    features = []
    for key in sorted(set(mine) | set(theirs)):
        status: FeatureStatus
        if key in mine and key in theirs:
            status = "same" if mine[key] == theirs[key] else "different"
        else:
            status = "only_current" if key in mine else "only_other"
        features.append({"key": key, "current": mine.get(key), "other": theirs.get(key), "status": status})

    def delta(field: str) -> dict[str, int]:
        return {
            "current": int(current[field]),
            "other": int(other[field]),
            "delta": int(other[field]) - int(current[field]),
        }

    annual_current, annual_other = estimated_annual_cents(current), estimated_annual_cents(other)
    return {
        "features": features,
        "costs": {
            "monthlyCostCents": delta("monthlyCostCents"),
            "copayCents": delta("copayCents"),
            "deductibleCents": delta("deductibleCents"),
            "estimatedAnnualCents": {
                "current": annual_current,
                "other": annual_other,
                "delta": annual_other - annual_current,
            },
        },
        "ageInBand": age_in_band(other, age),
    }
