"""In-memory ports of the drug-plan workflows: the catalog's plans, beneficiaries with their
enrollments, and which beneficiary each account proved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from salesportal.data.dynamo import Page
from salesportal.domain.plans import AgeBand, Beneficiary, Enrollment, FeatureFilter, Plan, PlanCosts
from salesportal.domain.sales import Money
from salesportal.workflows import enrolling

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def a_plan(plan_id: str = "BASIC", **overrides: Any) -> Plan:
    """A plan sold to 65 to 120 year-olds: $18.40 a month, $10 a visit, $545 deductible."""
    plan = Plan(
        plan_id=plan_id,
        plan_name=f"{plan_id} Rx",
        insurer_name="Acme Health",
        status="ACTIVE",
        costs=PlanCosts(monthly=Money(1840), copay=Money(1000), deductible=Money(54500)),
        ages=AgeBand(65, 120),
        features={"preferred_network": "yes", "gap_coverage": "generics only", "telehealth": "yes"},
    )
    return replace(plan, **overrides)


@dataclass
class FakeLinks:
    linked: dict[str, str] = field(default_factory=dict)  # customer id -> beneficiary id

    def beneficiary_of(self, customer_id: str) -> str | None:
        return self.linked.get(customer_id)


@dataclass
class FakeBeneficiaries:
    people: dict[str, Beneficiary] = field(default_factory=dict)
    enrolled: list[Enrollment] = field(default_factory=list)

    def beneficiary(self, beneficiary_id: str) -> Beneficiary | None:
        return self.people.get(beneficiary_id)

    def enrollments(self, beneficiary_id: str) -> list[Enrollment]:
        return sorted((e for e in self.enrolled if e.beneficiary_id == beneficiary_id), key=lambda e: e.start)


@dataclass
class FakePlans:
    """Plans by id, and by ZIP for a search (status, age and feature filters as the table's)."""

    plans: dict[str, Plan] = field(default_factory=dict)
    zips: dict[str, list[str]] = field(default_factory=dict)  # ZIP -> plan ids

    def get(self, plan_id: str) -> Plan | None:
        return self.plans.get(plan_id)

    def search(
        self,
        zip_code: str,
        *,
        max_monthly_cents: int | None,
        age: int | None,
        features: Sequence[FeatureFilter],
        limit: int,
        token: str | None,
    ) -> Page[Plan]:
        def passes(plan: Plan) -> bool:
            wanted = all(f.key in plan.features and f.value in (None, plan.features[f.key]) for f in features)
            cheap = max_monthly_cents is None or plan.costs.monthly.amount_cents <= max_monthly_cents
            return plan.status == "ACTIVE" and wanted and cheap and (age is None or plan.ages.holds(age))

        found = [self.plans[i] for i in self.zips.get(zip_code, []) if passes(self.plans[i])]
        found.sort(key=lambda p: (p.costs.monthly.amount_cents, p.plan_id))
        start = int(token or 0)
        more = start + limit < len(found)
        return Page(found[start : start + limit], str(start + limit) if more else None)


@dataclass
class World:
    links: FakeLinks
    beneficiaries: FakeBeneficiaries
    plans: FakePlans
    now: datetime = NOW

    def ports(self) -> enrolling.Ports:
        return enrolling.Ports(self.links, self.beneficiaries, self.plans, clock=lambda: self.now)


def a_world(*plans: Plan, birth: date = date(1950, 6, 15)) -> World:
    """Customer c-1 linked to beneficiary B-1 (born ``birth``), no enrollment yet."""
    return World(
        FakeLinks({"c-1": "B-1"}),
        FakeBeneficiaries({"B-1": Beneficiary("B-1", birth)}),
        FakePlans({p.plan_id: p for p in plans}),
    )
