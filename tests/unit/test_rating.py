"""The rating engine with plain values: factors, tax, fee, rounding, refusals, monotonicity."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infrastructure.local.seed import products
from salesportal.domain.rating import Applicant, rate
from salesportal.errors import Unprocessable
from salesportal.models.rating import RateTable

TABLE = RateTable.model_validate(
    {
        "baseMonthlyCents": {"SMALL": 1000, "LARGE": 2500},
        "ageBands": [
            {"minAge": 18, "maxAge": 39, "factor": "1.0"},
            {"minAge": 40, "maxAge": 70, "factor": "2.0"},
        ],
        "stateFactors": {"TX": "1.1", "NY": "1.25"},
        "riskFactors": {"smoker": {"false": "1.0", "true": "2.5"}},
        "premiumTaxBps": {"TX": 175},
        "monthlyFeeCents": 100,
        "annualPaymentDiscountBps": 500,
    }
)
NON_SMOKER = {"smoker": "false"}


def test_a_premium_is_base_times_factors_plus_tax_and_fee():
    premium = rate(TABLE, "SMALL", Applicant(age=45, state="TX", risk=NON_SMOKER))
    assert [s.monthly_cents for s in premium.steps] == [2000, 2200, 2200]
    assert premium.rated_monthly_cents == 2200
    assert premium.tax_monthly_cents == 39  # 1.75% of 22.00, rounded half up (38.5)
    assert premium.monthly_cents == 2200 + 39 + 100
    assert premium.annual_cents == round(2339 * 12 * 0.95)


def test_states_without_a_tax_entry_pay_none():
    assert rate(TABLE, "SMALL", Applicant(30, "NY", NON_SMOKER)).tax_monthly_cents == 0


@pytest.mark.parametrize(
    ("option", "applicant", "field"),
    [
        ("HUGE", Applicant(30, "TX", NON_SMOKER), "coverageOptionCode"),
        ("SMALL", Applicant(30, "CA", NON_SMOKER), "state"),
        ("SMALL", Applicant(17, "TX", NON_SMOKER), "dateOfBirth"),
        ("SMALL", Applicant(71, "TX", NON_SMOKER), "dateOfBirth"),
        ("SMALL", Applicant(30, "TX", {}), "smoker"),
        ("SMALL", Applicant(30, "TX", {"smoker": "sometimes"}), "smoker"),
    ],
)
def test_what_cannot_be_rated_is_refused_naming_the_field(option, applicant, field):
    with pytest.raises(Unprocessable) as error:
        rate(TABLE, option, applicant)
    assert error.value.details[0]["field"] == field


def test_overlapping_age_bands_are_a_bad_table():
    with pytest.raises(ValueError, match="overlap"):
        RateTable.model_validate(
            {
                **json.loads(TABLE.model_dump_json(by_alias=True)),
                "ageBands": [
                    {"minAge": 18, "maxAge": 40, "factor": "1"},
                    {"minAge": 40, "maxAge": 60, "factor": "2"},
                ],
            }
        )


ages = st.integers(min_value=18, max_value=70)
states = st.sampled_from(["TX", "NY"])
smoker = st.sampled_from(["true", "false"])


@given(ages, states, smoker)
def test_more_coverage_never_costs_less(age, state, smokes):
    applicant = Applicant(age, state, {"smoker": smokes})
    small, large = rate(TABLE, "SMALL", applicant), rate(TABLE, "LARGE", applicant)
    assert large.monthly_cents >= small.monthly_cents and large.annual_cents >= small.annual_cents


@given(ages, states)
def test_smoking_never_costs_less(age, state):
    assert (
        rate(TABLE, "SMALL", Applicant(age, state, {"smoker": "true"})).monthly_cents
        >= rate(TABLE, "SMALL", Applicant(age, state, {"smoker": "false"})).monthly_cents
    )


@given(
    st.integers(min_value=1, max_value=10_000_000),
    st.decimals(min_value=Decimal("0.01"), max_value=10, places=2),
)
def test_premiums_are_whole_non_negative_cents(base, factor):
    table = RateTable.model_validate(
        {
            "baseMonthlyCents": {"X": base},
            "ageBands": [{"minAge": 0, "maxAge": 130, "factor": str(factor)}],
            "stateFactors": {"TX": "1"},
            "premiumTaxBps": {"TX": 333},
            "monthlyFeeCents": 7,
        }
    )
    premium = rate(table, "X", Applicant(40, "TX", {}))
    assert isinstance(premium.monthly_cents, int) and premium.monthly_cents >= 7
    assert premium.annual_cents == premium.monthly_cents * 12


@pytest.mark.parametrize("product", products(), ids=lambda p: p["productId"])
def test_every_seeded_product_rates_every_option_in_increasing_coverage_order(product):
    table = RateTable.model_validate(product["rating"])
    band = table.age_bands[0]
    state = sorted(table.state_factors)[0]
    risk = {name: sorted(levels)[0] for name, levels in table.risk_factors.items()}
    applicant = Applicant(band.min_age, state, risk)
    for option in product["coverageOptions"]:
        assert rate(table, option["code"], applicant).monthly_cents > 0
