"""Underwriting rules with plain values: thresholds, loadings, readable reasons."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesportal.domain.underwriting import (
    APPROVE_AT,
    DECLARATION_TEXT,
    REFER_AT,
    REFERRED_NOTE,
    adjust,
    decide,
    declared,
    readable,
)
from salesportal.models.applications import Declarations

# Every question the API asks, as the bureau names it back (``declared_<camelCase>``).
QUESTIONS = [field.alias or name for name, field in Declarations.model_fields.items()]
BUREAU_CODES = [
    "tobacco_use",
    "minor_violations",
    "major_violations",
    "mystery_code",
    *(f"declared_{q}" for q in QUESTIONS),
]


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
        "You told us you have a long-term (chronic) medical condition.",
        "The risk assessment did not meet this product's underwriting guidelines.",
    )


def test_a_declaration_reads_as_what_the_customer_told_us_in_plain_words():
    assert readable("declared_hospitalizedLast5Years") == (
        "You told us you were admitted to hospital in the last five years."
    )
    assert readable("declared_hospitalized_last_5_years") == readable("declared_hospitalizedLast5Years")


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_question_has_its_own_sentence_without_the_field_name(question):
    sentence = readable(f"declared_{question}")
    assert sentence == declared(question) and sentence in DECLARATION_TEXT.values()
    assert question not in sentence and "declared" not in sentence.lower()


@pytest.mark.parametrize("code", BUREAU_CODES)
def test_no_reason_shows_a_code_or_a_field_name(code):
    sentence = readable(code)
    assert sentence[0].isupper() and sentence.endswith(".")
    assert not re.search(r"[a-z][A-Z]|_|\d[A-Za-z]", sentence), sentence  # camelCase, snake_case


@given(
    st.integers(min_value=0, max_value=REFER_AT - 1),
    st.lists(st.sampled_from(BUREAU_CODES), max_size=6),
    st.booleans(),
)
def test_a_declined_decision_never_says_a_person_will_review_it(score, codes, verified):
    decision = _decide(
        score if verified else 900, "E", verified=verified, codes=codes, identity_reasons=codes[:1]
    )
    assert decision.outcome == "DECLINED" and decision.reasons
    for reason in decision.reasons:
        assert not re.search(r"underwriter|review|a person|someone", reason, re.IGNORECASE), reason


@given(
    st.integers(min_value=REFER_AT, max_value=APPROVE_AT - 1),
    st.lists(st.sampled_from(BUREAU_CODES), max_size=6),
)
def test_a_referred_decision_says_why_and_then_that_an_underwriter_will_review_it(score, codes):
    decision = _decide(score, "C", codes=codes)
    assert decision.outcome == "REFERRED"
    assert decision.reasons == (*dict.fromkeys(readable(c) for c in codes), REFERRED_NOTE)


@given(st.integers(min_value=0, max_value=1000))
def test_only_approvals_carry_a_premium(score):
    decision = _decide(score, "A" if score >= 800 else "B" if score >= 700 else "C")
    assert (decision.annual_premium_cents is not None) == (decision.outcome == "APPROVED")


@given(st.integers(min_value=0, max_value=10_000_000), st.integers(min_value=-5000, max_value=10000))
def test_an_adjustment_moves_the_premium_in_its_direction_and_never_below_zero(cents, bps):
    adjusted = adjust(cents, bps)
    assert adjusted >= 0
    assert (adjusted >= cents) if bps >= 0 else (adjusted <= cents)
