"""Opaque pagination tokens: round trip, and refusal of anything forged or foreign."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesportal.data.dynamo import (
    InvalidCursor,
    decode_cursor,
    encode_cursor,
    from_item,
    index_key,
    prefix_bounds,
    to_item,
)

PARTITION = {"pk": {"S": "PRODUCT"}}


@given(st.text(min_size=1, max_size=200))
def test_a_token_decodes_to_the_key_it_was_made_from(sort_key):
    key = {**PARTITION, "sk": {"S": sort_key}}
    token = encode_cursor(key)
    assert token is not None and "=" not in token
    assert decode_cursor(token, expected=PARTITION) == key


def test_no_more_pages_means_no_token():
    assert encode_cursor(None) is None and encode_cursor({}) is None
    assert decode_cursor(None, expected=PARTITION) is None


@pytest.mark.parametrize("token", ["%%%", "bm90IGpzb24", "WzEsMl0", "eyJwayI6IDF9"])
def test_garbage_is_a_bad_request(token):
    with pytest.raises(InvalidCursor) as error:
        decode_cursor(token, expected=PARTITION)
    assert "nextToken" in str(error.value)


def test_a_token_for_another_partition_is_refused():
    foreign = encode_cursor({"pk": {"S": "CUSTOMER#bob"}, "sk": {"S": "PROFILE"}})
    with pytest.raises(InvalidCursor):
        decode_cursor(foreign, expected=PARTITION)


def test_items_round_trip_with_integers_staying_integers():
    values = {"a": 1, "b": "x", "c": {"d": [1, 2]}, "e": True, "skip": None}
    assert from_item(to_item(values)) == {k: v for k, v in values.items() if v is not None}


def test_floats_are_refused_before_they_reach_dynamodb():
    with pytest.raises(TypeError):
        to_item({"price": 1.5})


def _token_raw(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _token(key):
    """A token as a client could forge it: decodes, but holds whatever key it likes."""
    return _token_raw(json.dumps(key))


@pytest.mark.parametrize(
    "key",
    [
        PARTITION,  # no sort key
        {**PARTITION, "sk": {"N": "1"}},  # the sort key's type wrong
        {**PARTITION, "sk": {"S": 7}},  # its value not a string
        {**PARTITION, "sk": {"S": ""}},  # empty: DynamoDB refuses empty key values
        {**PARTITION, "sk": "PRODUCT#1"},  # untyped
        {**PARTITION, "sk": {"S": "a", "N": "1"}},  # two types
        {**PARTITION, "sk": {"S": "x" * 1025}},  # beyond a sort key's 1,024 bytes
        {**PARTITION, "sk": {"S": "\ud800"}},  # a lone surrogate: not UTF-8
        {**PARTITION, "sk": {"S": "a"}, "extra": {"S": "b"}},  # an attribute too many
    ],
    ids=[
        "no-sk",
        "sk-N",
        "sk-int",
        "sk-empty",
        "sk-untyped",
        "sk-two-types",
        "sk-long",
        "sk-surrogate",
        "extra",
    ],
)
def test_a_token_whose_key_has_the_wrong_shape_is_refused(key):
    with pytest.raises(InvalidCursor) as error:
        decode_cursor(_token(key), expected=PARTITION)
    assert "nextToken" in str(error.value)


def test_an_index_token_needs_the_index_key_and_the_table_key():
    shape = index_key("statusKey", "statusSort")
    good = {
        "statusKey": {"S": "APPLICATION#REFERRED"},
        "statusSort": {"S": "2026"},
        "pk": {"S": "C"},
        "sk": {"S": "A"},
    }
    expected = {"statusKey": good["statusKey"]}
    assert decode_cursor(encode_cursor(good), expected=expected, shape=shape) == good
    for missing in ("statusSort", "pk", "sk"):
        with pytest.raises(InvalidCursor):
            decode_cursor(
                _token({k: v for k, v in good.items() if k != missing}), expected=expected, shape=shape
            )


def test_a_number_key_must_be_a_number_dynamodb_can_hold():
    shape = {"pk": "S", "n": "N"}
    assert decode_cursor(_token({**PARTITION, "n": {"N": "12"}}), expected=PARTITION, shape=shape)
    for bad in ("abc", "NaN", "1" * 39, "Infinity"):
        with pytest.raises(InvalidCursor):
            decode_cursor(_token({**PARTITION, "n": {"N": bad}}), expected=PARTITION, shape=shape)


def test_a_sort_key_outside_the_query_condition_is_refused():
    # DynamoDB answers such a start key with a ValidationException ("outside query boundaries").
    inside = {**PARTITION, "sk": {"S": "NOTIFICATION#2026"}}
    bounds = {"sk": prefix_bounds("NOTIFICATION#")}
    assert decode_cursor(encode_cursor(inside), expected=PARTITION, bounds=bounds) == inside
    for outside in ("NOTIFICATIO", "POLICY#1", "NOTIFICATION"):
        with pytest.raises(InvalidCursor):
            decode_cursor(_token({**PARTITION, "sk": {"S": outside}}), expected=PARTITION, bounds=bounds)
    with pytest.raises(InvalidCursor):
        decode_cursor(
            _token({**PARTITION, "sk": {"S": "COST#9"}}),
            expected=PARTITION,
            bounds={"sk": ("COST#", "COST#5~")},
        )


def test_a_deeply_nested_token_is_refused_not_a_crash():
    with pytest.raises(InvalidCursor):
        decode_cursor(_token_raw("[" * 50_000), expected=PARTITION)
