"""Drug plans: plans, beneficiaries and enrollments as the portal holds them, and the rules
over them (the feature vocabulary, search filters, costs, the current enrollment, comparison). Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Literal

from salesportal.domain.sales import Money
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
PlanStatus = Literal["ACTIVE", "INACTIVE"]


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


@dataclass(frozen=True, slots=True)
class AgeBand:
    """The ages a plan is sold to, inclusive at both ends."""

    min_age: int
    max_age: int

    def holds(self, age: int) -> bool:
        return self.min_age <= age <= self.max_age


@dataclass(frozen=True, slots=True)
class PlanCosts:
    monthly: Money
    copay: Money  # per pharmacy visit
    deductible: Money  # per year


@dataclass(frozen=True, slots=True)
class Plan:
    """A drug plan as the catalog sells it (a search's ZIP copy has no description)."""

    plan_id: str
    plan_name: str
    insurer_name: str
    status: PlanStatus
    costs: PlanCosts
    ages: AgeBand
    features: Mapping[str, str]  # feature key (FEATURES) -> what the plan offers
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Beneficiary:
    """A drug-plan beneficiary from the system of record, as far as plans need to know them."""

    beneficiary_id: str
    birth_date: date


@dataclass(frozen=True, slots=True)
class Enrollment:
    """A beneficiary's enrollment in a plan over ``[start, end]`` (no end: open)."""

    beneficiary_id: str
    plan_id: str
    start: date
    end: date | None = None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


def current(enrollments: Iterable[Enrollment], today: date) -> Enrollment | None:
    """The enrollment covering ``today`` (the latest started, if the source overlaps them)."""
    live = [e for e in enrollments if e.covers(today)]
    return max(live, key=lambda e: e.start) if live else None


def estimated_annual(plan: Plan) -> Money:
    costs = plan.costs
    return costs.monthly.with_cents(
        12 * costs.monthly.amount_cents
        + costs.deductible.amount_cents
        + VISITS_PER_YEAR * costs.copay.amount_cents
    )


def estimated_annual_cents(plan: Plan) -> int:
    return estimated_annual(plan).amount_cents


def age_in_band(plan: Plan, age: int) -> bool:
    return plan.ages.holds(age)


FeatureStatus = Literal["same", "different", "only_current", "only_other"]


@dataclass(frozen=True, slots=True)
class FeatureDifference:
    key: str
    current: str | None
    other: str | None
    status: FeatureStatus


@dataclass(frozen=True, slots=True)
class CostDelta:
    current: Money
    other: Money

    @property
    def delta_cents(self) -> int:
        """Other minus current: negative means the other plan is cheaper."""
        return self.other.amount_cents - self.current.amount_cents


@dataclass(frozen=True, slots=True)
class Comparison:
    current_plan_id: str
    other_plan_id: str
    features: tuple[FeatureDifference, ...]
    monthly_cost: CostDelta
    copay: CostDelta
    deductible: CostDelta
    estimated_annual: CostDelta
    age_in_band: bool  # the beneficiary's age, in the other plan's band


def _feature(key: str, mine: Mapping[str, str], theirs: Mapping[str, str]) -> FeatureDifference:
    status: FeatureStatus
    if key in mine and key in theirs:
        status = "same" if mine[key] == theirs[key] else "different"
    else:
        status = "only_current" if key in mine else "only_other"
    return FeatureDifference(key, mine.get(key), theirs.get(key), status)


def compare(current: Plan, other: Plan, age: int) -> Comparison:
    """Every feature side by side, cost deltas (other minus current) and the age check."""
    mine, theirs = current.features, other.features
    return Comparison(
        current_plan_id=current.plan_id,
        other_plan_id=other.plan_id,
        features=tuple(_feature(key, mine, theirs) for key in sorted(set(mine) | set(theirs))),
        monthly_cost=CostDelta(current.costs.monthly, other.costs.monthly),
        copay=CostDelta(current.costs.copay, other.costs.copay),
        deductible=CostDelta(current.costs.deductible, other.costs.deductible),
        estimated_annual=CostDelta(estimated_annual(current), estimated_annual(other)),
        age_in_band=age_in_band(other, age),
    )
