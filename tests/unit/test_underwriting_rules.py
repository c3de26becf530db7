"""Underwriting rules with plain values: thresholds, loadings, readable reasons."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesportal.domain.underwriting import APPROVE_AT, REFER_AT, adjust, decide


def _decide(score, band="A", *, verified=True, codes=(), identity_reasons=()):
    return decide(
        identity_verified=verified,
        identity_reasons=identity_reasons,
        score=score,
        band=band,
        reason_codes=codes,
        quoted_annual_cents=120_000,
        quoted_monthly_cents=10_500,
    )


def test_a_verified_a_band_applicant_is_approved_at_the_quoted_premium():
    decision = _decide(850)
    assert (
        decision.outcome == "APPROVED" and decision.annual_premium_cents == 120_000 and not decision.reasons
    )


def test_band_b_is_approved_with_a_stated_loading():
    decision = _decide(720, "B")
    assert decision.outcome == "APPROVED" and decision.annual_premium_cents == 132_000
    assert decision.reasons == ("Approved with a 10% risk loading.",)


def test_an_unverified_identity_is_declined_whatever_the_score():
    decision = _decide(900, verified=False, identity_reasons=("ssn_mismatch",))
    assert decision.outcome == "DECLINED"
    assert decision.reasons == ("The Social Security number did not match the other details given.",)


@pytest.mark.parametrize(
    ("score", "outcome"), [(APPROVE_AT - 1, "REFERRED"), (REFER_AT, "REFERRED"), (REFER_AT - 1, "DECLINED")]
)
def test_scores_between_the_thresholds_go_to_a_person_and_below_are_declined(score, outcome):
    assert _decide(score, "C", codes=("declared_chronic_condition",)).outcome == outcome


def test_reasons_are_sentences_not_codes():
    decision = _decide(300, "E", codes=("tobacco_use", "declared_chronic_condition", "mystery_code"))
    assert decision.reasons == (
        "Tobacco use increases the risk we would cover.",
        "You declared chronic condition; an underwriter must review it.",
        "The risk assessment did not meet this product's underwriting guidelines.",
    )


@given(st.integers(min_value=0, max_value=1000))
def test_only_approvals_carry_a_premium(score):
    decision = _decide(score, "A" if score >= 800 else "B" if score >= 700 else "C")
    assert (decision.annual_premium_cents is not None) == (decision.outcome == "APPROVED")


@given(st.integers(min_value=0, max_value=10_000_000), st.integers(min_value=-5000, max_value=10000))
def test_an_adjustment_moves_the_premium_in_its_direction_and_never_below_zero(cents, bps):
    adjusted = adjust(cents, bps)
    assert adjusted >= 0
    assert (adjusted >= cents) if bps >= 0 else (adjusted <= cents)
