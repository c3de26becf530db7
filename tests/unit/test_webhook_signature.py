"""Signed webhooks: only the gateway's untampered, recent events are believed."""

from __future__ import annotations

import json

import pytest

from salesportal.integrations.webhooks import InvalidSignature, sign, verify

SECRET = "whsec_test"
BODY = json.dumps({"id": "evt_1", "type": "payment_intent.succeeded"}).encode()
NOW = 1_795_000_000


def test_a_signed_body_verifies_and_parses():
    assert verify(BODY, sign(BODY, SECRET, NOW), SECRET, now=NOW + 10)["id"] == "evt_1"


@pytest.mark.parametrize(
    ("body", "header", "reason"),
    [
        (BODY + b" ", sign(BODY, SECRET, NOW), "no matching v1 signature"),
        (BODY, sign(BODY, "whsec_other", NOW), "no matching v1 signature"),
        (BODY, sign(BODY, SECRET, NOW - 301), "timestamp outside the tolerance"),
        (BODY, None, "no signature header"),
        (BODY, "v1=abc", "no valid timestamp"),
    ],
)
def test_tampered_forged_stale_or_unsigned_events_are_refused(body, header, reason):
    with pytest.raises(InvalidSignature, match=reason):
        verify(body, header, SECRET, now=NOW)


def test_any_of_several_signatures_may_match_during_secret_rotation():
    header = sign(BODY, "whsec_old", NOW) + "," + sign(BODY, SECRET, NOW).split(",")[1]
    assert verify(BODY, header, SECRET, now=NOW)["type"] == "payment_intent.succeeded"


def test_a_signed_body_that_is_not_a_json_object_is_refused():
    body = b"[1, 2]"
    with pytest.raises(InvalidSignature, match="not a JSON object"):
        verify(body, sign(body, SECRET, NOW), SECRET, now=NOW)
