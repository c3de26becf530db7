"""A beneficiary's enrollment and a plan beside it, with in-memory ports: which enrollment is
current, what each 404 says is missing, the comparison's costs and the age band on its day."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from salesportal.domain.plans import AgeBand, Enrollment, PlanCosts
from salesportal.domain.sales import Money
from salesportal.errors import NotFound
from salesportal.workflows import browsing, enrolling
from tests.fakes.plans import a_plan, a_world

BASIC = a_plan("BASIC")
PLUS = a_plan(
    "PLUS",
    features={"preferred_network": "yes", "gap_coverage": "full", "insulin_savings": "$35 cap"},
)


def _code(call) -> str:
    with pytest.raises(NotFound) as refused:
        call()
    return refused.value.code


def test_the_enrollment_covering_today_is_the_current_one_and_comes_with_its_plan():
    world = a_world(BASIC, PLUS)
    world.beneficiaries.enrolled += [
        Enrollment("B-1", "BASIC", date(2025, 1, 1), date(2025, 12, 31)),  # ended
        Enrollment("B-1", "PLUS", date(2026, 1, 1)),  # open
        Enrollment("B-1", "BASIC", date(2027, 1, 1)),  # not yet
    ]
    enrolled = enrolling.enrollment(world.ports(), "c-1")
    assert enrolled.plan == PLUS and enrolled.enrollment.start == date(2026, 1, 1)
    assert enrolled.beneficiary.beneficiary_id == "B-1"


def test_overlapping_enrollments_resolve_to_the_latest_started():
    world = a_world(BASIC, PLUS)
    world.beneficiaries.enrolled += [
        Enrollment("B-1", "BASIC", date(2026, 1, 1), date(2026, 12, 31)),
        Enrollment("B-1", "PLUS", date(2026, 11, 1), date(2026, 12, 1)),  # ends today: still covers
    ]
    assert enrolling.enrollment(world.ports(), "c-1").plan.plan_id == "PLUS"


def test_each_missing_piece_is_a_404_naming_it():
    world = a_world(BASIC)
    assert _code(lambda: enrolling.enrollment(world.ports(), "stranger")) == "beneficiary_not_linked"
    assert _code(lambda: enrolling.enrollment(world.ports(), "c-1")) == "enrollment_not_found"
    world.beneficiaries.enrolled.append(Enrollment("B-1", "GONE", date(2026, 1, 1)))
    assert _code(lambda: enrolling.enrollment(world.ports(), "c-1")) == "plan_not_found"


def test_an_enrollment_whose_beneficiary_record_is_gone_is_not_current():
    world = a_world(BASIC)
    world.beneficiaries.enrolled.append(Enrollment("B-1", "BASIC", date(2026, 1, 1)))
    del world.beneficiaries.people["B-1"]
    assert _code(lambda: enrolling.enrollment(world.ports(), "c-1")) == "enrollment_not_found"


def test_comparison_puts_the_other_plan_beside_the_current_one_with_cost_deltas():
    world = a_world(BASIC, replace(PLUS, costs=PlanCosts(Money(4290), Money(500), Money(0))))
    world.beneficiaries.enrolled.append(Enrollment("B-1", "BASIC", date(2026, 1, 1)))
    result = enrolling.comparison(world.ports(), "c-1", "PLUS")
    assert (result.current_plan_id, result.other_plan_id) == ("BASIC", "PLUS")
    assert {f.key: f.status for f in result.features} == {
        "gap_coverage": "different",
        "insulin_savings": "only_other",
        "preferred_network": "same",
        "telehealth": "only_current",
    }
    assert (result.monthly_cost.current, result.monthly_cost.other) == (Money(1840), Money(4290))
    assert result.monthly_cost.delta_cents == 2450
    assert result.deductible.delta_cents == -54500
    # 12 months + deductible + 12 visits' copays, each side
    assert result.estimated_annual.current == Money(12 * 1840 + 54500 + 12 * 1000)
    assert result.estimated_annual.delta_cents == (12 * 4290 + 0 + 12 * 500) - (12 * 1840 + 54500 + 12 * 1000)


def test_the_age_band_is_checked_on_the_beneficiarys_age_today():
    # Born 1950-12-02: 75 on 2026-12-01, 76 the next day.
    world = a_world(BASIC, a_plan("SENIOR", ages=AgeBand(76, 120)), birth=date(1950, 12, 2))
    world.beneficiaries.enrolled.append(Enrollment("B-1", "BASIC", date(2026, 1, 1)))
    assert enrolling.comparison(world.ports(), "c-1", "SENIOR").age_in_band is False
    world.now = world.now.replace(day=2)
    assert enrolling.comparison(world.ports(), "c-1", "SENIOR").age_in_band is True


def test_comparing_with_an_unknown_plan_is_plan_not_found_but_only_once_enrolled():
    world = a_world(BASIC)
    assert _code(lambda: enrolling.comparison(world.ports(), "c-1", "NOPE")) == "enrollment_not_found"
    world.beneficiaries.enrolled.append(Enrollment("B-1", "BASIC", date(2026, 1, 1)))
    assert _code(lambda: enrolling.comparison(world.ports(), "c-1", "NOPE")) == "plan_not_found"


def test_a_plan_is_found_by_id_or_is_plan_not_found():
    world = a_world(BASIC)
    assert browsing.plan(world.plans, "BASIC") == BASIC
    assert _code(lambda: browsing.plan(world.plans, "NOPE")) == "plan_not_found"
