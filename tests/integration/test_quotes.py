"""POST /quotes and GET /quotes/{quoteId}: priced from the catalog, owned by the caller."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.api import body_of, claims, header_of
from tests.support.lambdas import sample_event

OTHER = "0b7e9d4c-1111-4a2b-8c3d-000000000002"
REQUEST = json.loads(sample_event("quotes", "create_quote")["body"])


@pytest.fixture
def sub():
    """The customer of this test (the module's tests share one world)."""
    return str(uuid.uuid4())


def _create(stack, sub, body=REQUEST):
    return stack.request("POST", "/quotes", body=body, caller=claims(sub))


def _get(stack, quote_id, sub):
    return stack.request("GET", f"/quotes/{quote_id}", caller=claims(sub))


def test_a_quote_is_priced_from_the_rate_table_and_can_be_read_back(stack, sub):
    response = _create(stack, sub)
    assert response["statusCode"] == 201
    quote = body_of(response)
    assert header_of(response, "Location") == f"/v1/quotes/{quote['quoteId']}"
    assert quote["status"] == "ACTIVE" and quote["productId"] == "term-life"
    monthly = quote["monthlyPremium"]["amountCents"]
    breakdown = quote["breakdown"]
    assert breakdown["baseMonthly"]["amountCents"] == 2600
    assert [s["name"].split()[0] for s in breakdown["steps"]] == ["age", "state", "smoker"]
    assert monthly == (
        breakdown["steps"][-1]["monthly"]["amountCents"]
        + breakdown["premiumTaxMonthly"]["amountCents"]
        + breakdown["feeMonthly"]["amountCents"]
    )
    expires = datetime.fromisoformat(quote["expiresAt"])
    assert timedelta(days=29) < expires - datetime.now(UTC) <= timedelta(days=30)
    assert body_of(_get(stack, quote["quoteId"], sub)) == quote


def test_the_stored_quote_expires_by_ttl_too(stack, sub):
    quote = body_of(_create(stack, sub))
    item = stack.client("dynamodb").get_item(
        TableName=stack.physical.tables["sales"],
        Key={"pk": {"S": f"CUSTOMER#{sub}"}, "sk": {"S": f"QUOTE#{quote['quoteId']}"}},
    )["Item"]
    assert int(item["expiresAtEpoch"]["N"]) > datetime.fromisoformat(quote["expiresAt"]).timestamp()
    assert item["entityType"] == {"S": "quote"} and item["lastModifiedBy"] == {"S": f"customer:{sub}"}


def test_another_customer_cannot_read_the_quote(stack, sub):
    quote = body_of(_create(stack, sub))
    response = _get(stack, quote["quoteId"], sub=OTHER)
    assert response["statusCode"] == 404
    assert body_of(response)["error"]["code"] == "quote_not_found"


def test_an_expired_quote_not_yet_removed_by_ttl_says_so(stack, sub):
    quote = body_of(_create(stack, sub))
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    stack.client("dynamodb").update_item(
        TableName=stack.physical.tables["sales"],
        Key={"pk": {"S": f"CUSTOMER#{sub}"}, "sk": {"S": f"QUOTE#{quote['quoteId']}"}},
        UpdateExpression="SET expiresAt = :past",
        ExpressionAttributeValues={":past": {"S": past}},
    )
    assert body_of(_get(stack, quote["quoteId"], sub))["status"] == "EXPIRED"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"productId": "no-such-product"}, "productId"),
        ({"coverageOptionCode": "PPO-GOLD"}, "coverageOptionCode"),
        ({"state": "ME"}, "state"),
        ({"state": "XX"}, "state"),
        ({"dateOfBirth": "2015-01-01"}, "dateOfBirth"),
        ({"riskFactors": {}}, "smoker"),
        ({"riskFactors": {"smoker": "maybe"}}, "smoker"),
        ({"premium": 1}, "premium"),
    ],
)
def test_bad_quote_requests_are_422_naming_the_field_and_store_nothing(stack, sub, change, field):
    response = _create(stack, sub, {**REQUEST, **change})
    assert response["statusCode"] == 422, body_of(response)
    details = body_of(response)["error"]["details"]
    assert any(d["field"].startswith(field) for d in details), details
    stored = stack.client("dynamodb").query(
        TableName=stack.physical.tables["sales"],
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"CUSTOMER#{sub}"}},
    )["Items"]
    assert stored == []


def test_malformed_quote_id_is_422(stack, sub):
    assert _get(stack, "not-a-ulid", sub)["statusCode"] == 422


def test_each_quote_emits_a_business_metric(stack, sub, capsys):
    _create(stack, sub)
    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    (metric,) = [m for m in emitted if "QuotesCreated" in m]
    assert metric["QuotesCreated"] == [1.0] or metric["QuotesCreated"] == 1.0
    assert metric["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "SalesPortal"
