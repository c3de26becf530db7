"""Drug-plan rules with plain values: feature filters, amounts, comparison, delta rows."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesportal.domain.plan_delta import RowError, masked, parse
from salesportal.domain.plans import (
    FEATURES,
    AgeBand,
    Plan,
    PlanCosts,
    cents,
    compare,
    estimated_annual_cents,
    feature_filters,
)
from salesportal.domain.sales import Money
from salesportal.errors import BadRequest


def _plan(plan_id: str, monthly: int, copay: int, deductible: int, features: dict[str, str]) -> Plan:
    return Plan(
        plan_id=plan_id,
        plan_name=plan_id,
        insurer_name="I",
        status="ACTIVE",
        costs=PlanCosts(Money(monthly), Money(copay), Money(deductible)),
        ages=AgeBand(65, 120),
        features=features,
    )


BASIC = _plan(
    "A", 1840, 1000, 54500, {"preferred_network": "yes", "gap_coverage": "generics only", "telehealth": "yes"}
)
PLUS = _plan(
    "B", 4290, 500, 0, {"preferred_network": "yes", "gap_coverage": "full", "insulin_savings": "$35 cap"}
)


def test_feature_filters_take_keys_or_key_value_pairs_and_refuse_unknown_keys():
    filters = feature_filters(["insulin_savings", "gap_coverage=full"])
    assert [(f.key, f.value) for f in filters] == [("insulin_savings", None), ("gap_coverage", "full")]
    with pytest.raises(BadRequest) as error:
        feature_filters(["free_parking"])
    assert error.value.details[0]["field"] == "feature"


@pytest.mark.parametrize(
    ("raw", "expected"), [("45.5", 4550), (45.5, 4550), ("$1,200.00", 120000), ("0", 0), ("0.005", 1)]
)
def test_source_amounts_become_integer_cents(raw, expected):
    assert cents(raw, "x") == expected


@pytest.mark.parametrize("raw", ["-1", "abc", "NaN", "Infinity"])
def test_bad_or_negative_amounts_are_refused(raw):
    with pytest.raises(ValueError):
        cents(raw, "avg_monthly_cost")


def test_comparison_lists_every_feature_and_the_cost_deltas():
    result = compare(BASIC, PLUS, age=76)
    assert {f.key: f.status for f in result.features} == {
        "gap_coverage": "different",
        "insulin_savings": "only_other",
        "preferred_network": "same",
        "telehealth": "only_current",
    }
    monthly = result.monthly_cost
    assert (monthly.current.amount_cents, monthly.other.amount_cents, monthly.delta_cents) == (
        1840,
        4290,
        2450,
    )
    annual = result.estimated_annual
    assert annual.delta_cents == estimated_annual_cents(PLUS) - estimated_annual_cents(BASIC)
    assert (
        result.age_in_band is True
        and compare(BASIC, replace(PLUS, ages=AgeBand(80, 120)), age=76).age_in_band is False
    )


@given(
    st.dictionaries(st.sampled_from(sorted(FEATURES)), st.sampled_from(["yes", "no", "full"])),
    st.dictionaries(st.sampled_from(sorted(FEATURES)), st.sampled_from(["yes", "no", "full"])),
)
def test_comparing_a_plan_with_itself_shows_no_difference_and_swapping_flips_the_sides(mine, theirs):
    a, b = replace(BASIC, features=mine), replace(PLUS, features=theirs)
    assert all(f.status == "same" for f in compare(a, a, 70).features)
    flipped = {
        "only_current": "only_other",
        "only_other": "only_current",
        "same": "same",
        "different": "different",
    }
    assert [flipped[f.status] for f in compare(a, b, 70).features] == [
        f.status for f in compare(b, a, 70).features
    ]


def test_a_plan_row_is_validated_whole_with_readable_reasons():
    good = parse(
        "plan",
        "upsert",
        {
            "plan_id": "P1",
            "plan_name": "N",
            "insurer_name": "I",
            "status": "active",
            "avg_monthly_cost": "1.5",
            "avg_copay_amount": "0",
            "annual_deductible": "0",
            "min_age": 65,
            "max_age": 120,
        },
    )
    assert good.row.values()["monthlyCostCents"] == 150 and good.row.status == "ACTIVE"
    with pytest.raises(RowError, match="min_age is above max_age"):
        parse(
            "plan",
            "upsert",
            {
                "plan_id": "P1",
                "plan_name": "N",
                "insurer_name": "I",
                "status": "ACTIVE",
                "avg_monthly_cost": "1",
                "avg_copay_amount": "0",
                "annual_deductible": "0",
                "min_age": 90,
                "max_age": 65,
            },
        )
    with pytest.raises(RowError, match="unknown op"):
        parse("plan", "merge", {})


def test_an_invalid_ssn_is_reported_without_echoing_it_and_masked_in_quarantine():
    with pytest.raises(RowError) as error:
        parse(
            "beneficiary",
            "upsert",
            {
                "beneficiary_id": "B1",
                "fname": "A",
                "lname": "B",
                "ssn": "12-3456789",
                "birthdate": "1950-01-01",
                "address": "1",
                "city": "C",
                "state": "TX",
                "zip_code": "78701",
            },
        )
    assert "3456789" not in str(error.value)
    assert masked({"ssn": "123-45-6789", "x": 1}) == {"ssn": "***-**-6789", "x": 1}


def test_an_enrollment_cannot_end_before_it_starts():
    with pytest.raises(RowError, match="end_date is before start_date"):
        parse(
            "beneficiary_to_plan",
            "upsert",
            {"beneficiary_id": "B1", "plan_id": "P1", "start_date": "2026-02-01", "end_date": "2026-01-01"},
        )
