"""The public product catalog: listing with pagination, detail, and refusals."""

from __future__ import annotations

from infrastructure.local.seed import products
from tests.support.api import body_of
from tests.support.lambdas import sample_event


def _list(stack, **query):
    return stack.request("GET", "/products", query=query or None)


def test_listing_pages_through_every_seeded_product_once(stack):
    first = stack.send(sample_event("catalog", "list_products"))  # limit=2
    assert first["statusCode"] == 200
    page = body_of(first)
    assert len(page["items"]) == 2 and page["nextToken"]

    second = body_of(_list(stack, limit="2", nextToken=page["nextToken"]))
    seen = [p["productId"] for p in page["items"] + second["items"]]
    expected = sorted(p["productId"] for p in products())
    assert sorted(seen) == expected and len(set(seen)) == len(seen)
    # The last page may end with an (empty) continuation; following it ends the listing.
    if second["nextToken"]:
        assert body_of(_list(stack, limit="2", nextToken=second["nextToken"])) == {
            "items": [],
            "nextToken": None,
        }


def test_product_detail_has_coverage_options_in_cents(stack):
    response = stack.send(sample_event("catalog", "get_product"))
    product = body_of(response)
    assert response["statusCode"] == 200
    assert product["productId"] == "term-life" and product["line"] == "life"
    amounts = [o["coverageAmount"]["amountCents"] for o in product["coverageOptions"]]
    assert all(isinstance(a, int) and a > 0 for a in amounts)


def test_unknown_product_is_404_in_the_error_shape(stack):
    response = stack.request("GET", "/products/no-such")
    assert response["statusCode"] == 404
    assert body_of(response)["error"]["code"] == "product_not_found"


def test_malformed_product_id_is_422_naming_the_parameter(stack):
    response = stack.request("GET", "/products/DROP TABLE")
    assert response["statusCode"] == 422
    assert "productId" in body_of(response)["error"]["message"]


def test_garbage_next_token_is_400(stack):
    response = _list(stack, nextToken="not-a-token!!")
    assert response["statusCode"] == 400
    assert body_of(response)["error"]["code"] == "invalid_next_token"


def test_next_token_for_another_partition_is_refused(stack):
    import base64
    import json

    forged = base64.urlsafe_b64encode(
        json.dumps({"pk": {"S": "CUSTOMER#someone"}, "sk": {"S": "PROFILE"}}).encode()
    ).decode()
    response = _list(stack, nextToken=forged)
    assert response["statusCode"] == 400
    assert body_of(response)["error"]["code"] == "invalid_next_token"


def test_limit_out_of_range_is_400_naming_the_parameter(stack):
    response = _list(stack, limit="1000")
    assert response["statusCode"] == 400
    assert body_of(response)["error"]["code"] == "invalid_parameter"
    assert body_of(response)["error"]["details"][0]["field"].endswith("limit")
