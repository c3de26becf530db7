"""SSN masking: whatever text comes from raw input, nine digits in a row never survive it."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesportal.domain.plan_delta import RowError, masked, parse
from salesportal.pii import holds_ssn, mask, redacted

RUN = re.compile(r"\d(?:[\s._/-]?\d){8,}")

ssns = st.tuples(
    st.text("0123456789", min_size=3, max_size=3),
    st.sampled_from(["", "-", " ", ".", "/"]),
    st.text("0123456789", min_size=2, max_size=2),
    st.sampled_from(["", "-", " "]),
    st.text("0123456789", min_size=4, max_size=4),
).map("".join)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("123-45-6789", "***-**-6789"),
        ("123 45 6789", "*** ** 6789"),
        ("123456789", "*****6789"),
        ('{"ssn": "123-45-6789", "n": 987654321}', '{"ssn": "***-**-6789", "n": *****4321}'),
        ("call 1-800-555-1234", "call *-***-***-1234"),  # any run of nine or more
        ("born 1950-03-14, zip 78701, id 12345678", "born 1950-03-14, zip 78701, id 12345678"),
    ],
)
def test_mask(text, expected):
    assert mask(text) == expected
    assert holds_ssn(text) == (text != expected)


@given(st.text(max_size=40), ssns, st.text(max_size=40))
def test_no_run_survives_masking_wherever_it_stands(before, ssn, after):
    masked_text = mask(before + ssn + after)
    assert not RUN.search(masked_text)
    assert not holds_ssn(masked_text)
    assert masked_text.count("*") >= 5


def test_redacted_masks_keys_values_and_numbers_at_any_depth():
    value = {"123-45-6789": [{"x": 123456789, "ok": 42, "f": 1.5, "b": True}], "n": None}
    assert redacted(value) == {"***-**-6789": [{"x": "*****6789", "ok": 42, "f": 1.5, "b": True}], "n": None}


BENEFICIARY = {
    "beneficiary_id": "B-1",
    "fname": "Ana",
    "lname": "Lopez",
    "ssn": "123-45-6789",
    "birthdate": "1951-02-03",
    "address": "9 Elm St",
    "city": "Austin",
    "state": "TX",
    "zip_code": "78701",
}


@pytest.mark.parametrize(
    ("entity", "data", "field"),
    [
        ("beneficiary", {**BENEFICIARY, "address": "987-65-4321 Elm St"}, "address"),
        ("beneficiary", {**BENEFICIARY, "fname": "987654321"}, "fname"),
        ("beneficiary", {**BENEFICIARY, "beneficiary_id": "B-987-65-4321"}, "beneficiary_id"),
        ("plan_to_zip", {"plan_id": "P987654321", "zip_code": "78701"}, "plan_id"),
        (
            "plan_feature",
            {"plan_id": "P1", "feature_key": "telehealth", "feature_value": "987 65 4321"},
            "feature_value",
        ),
    ],
)
def test_a_row_holding_an_ssn_outside_its_ssn_field_is_refused(entity, data, field):
    with pytest.raises(RowError) as refused:
        parse(entity, "upsert", data)
    assert str(refused.value).startswith(f"{field}: holds nine digits in a row")


def test_a_good_beneficiary_row_still_parses():
    assert parse("beneficiary", "upsert", BENEFICIARY).row.ssn == "123-45-6789"


def test_a_quarantined_row_is_masked_in_every_column():
    row = {**BENEFICIARY, "address": "987-65-4321 Elm St", "extra 111223333": ["222 33 4444"]}
    out = masked(row)
    assert out["ssn"] == "***-**-6789" and out["address"] == "***-**-4321 Elm St"
    assert out["extra *****3333"] == ["*** ** 4444"]
    assert not RUN.search(repr(out))
