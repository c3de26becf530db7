"""Opaque pagination tokens: round trip, and refusal of anything forged or foreign."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesportal.data.dynamo import decode_cursor, encode_cursor, from_item, to_item
from salesportal.errors import BadRequest

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
    with pytest.raises(BadRequest) as error:
        decode_cursor(token, expected=PARTITION)
    assert error.value.code == "invalid_next_token"


def test_a_token_for_another_partition_is_refused():
    foreign = encode_cursor({"pk": {"S": "CUSTOMER#bob"}, "sk": {"S": "PROFILE"}})
    with pytest.raises(BadRequest):
        decode_cursor(foreign, expected=PARTITION)


def test_items_round_trip_with_integers_staying_integers():
    values = {"a": 1, "b": "x", "c": {"d": [1, 2]}, "e": True, "skip": None}
    assert from_item(to_item(values)) == {k: v for k, v in values.items() if v is not None}


def test_floats_are_refused_before_they_reach_dynamodb():
    with pytest.raises(TypeError):
        to_item({"price": 1.5})
