"""The first routes over HTTP on the offline stack, as the SPA would call them."""

from __future__ import annotations

import time

import pytest

from tests.e2e.tokens import expired, reissued, tampered

pytestmark = pytest.mark.e2e

PROFILE = {
    "givenName": "Dana",
    "familyName": "Reyes",
    "phone": "+15125550123",
    "address": {"line1": "100 Congress Ave", "city": "Austin", "state": "TX", "postalCode": "78701"},
    "contactPreferences": {"email": True, "sms": True},
}


def test_health_is_public(local_stack):
    response = local_stack.request("GET", "/health")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_catalog_lists_and_details_products_publicly(local_stack):
    listing = local_stack.request("GET", "/products").json()
    ids = {p["productId"] for p in listing["items"]}
    assert {"term-life", "health-ppo", "auto-standard"} <= ids
    detail = local_stack.request("GET", "/products/health-ppo")
    assert detail.status_code == 200 and detail.json()["line"] == "health"
    assert local_stack.request("GET", "/products/unknown-product").status_code == 404


def test_customer_reads_and_replaces_their_profile(local_stack):
    me = local_stack.request("GET", "/me", role="customer")
    assert me.status_code == 200
    assert me.json()["email"] == local_stack.info["users"]["customer"]["username"]

    updated = local_stack.request(
        "PUT", "/me", role="customer", json=PROFILE, headers={"If-Match": me.headers["ETag"]}
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["givenName"] == "Dana" and updated.json()["version"] == me.json()["version"] + 1
    assert local_stack.request("GET", "/me", role="customer").json() == updated.json()

    stale = local_stack.request(
        "PUT", "/me", role="customer", json=PROFILE, headers={"If-Match": me.headers["ETag"]}
    )
    assert stale.status_code == 412


def test_profile_changes_reach_the_audit_trail_masked(local_stack):
    me = local_stack.request("GET", "/me", role="customer").json()
    local_stack.request("PUT", "/me", role="customer", json={**PROFILE, "givenName": "Dani"})
    table = local_stack.info["tables"]["audit"]
    dynamodb = local_stack.aws("dynamodb")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        items = dynamodb.query(
            TableName=table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"customer#{me['customerId']}"}},
        )["Items"]
        if any(i["action"]["S"] == "updated" for i in items):
            break
        time.sleep(0.3)
    actions = [i["action"]["S"] for i in items]
    assert actions[0] == "created" and "updated" in actions
    assert all(i["actor"]["S"].startswith(("customer:", "system:")) for i in items)
    assert "+15125550123" not in str(items) and "Dani" not in str(items)


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({**PROFILE, "ssn": "123-45-6789"}, 422, "validation_error"),
        ({**PROFILE, "address": {**PROFILE["address"], "state": "XX"}}, 422, "validation_error"),
        ("{not json", 400, "malformed_json"),
        ({**PROFILE, "givenName": "x" * 70_000}, 413, "payload_too_large"),
    ],
)
def test_bad_profile_input_is_a_clear_4xx_and_changes_nothing(local_stack, body, status, code):
    before = local_stack.request("GET", "/me", role="customer").json()
    kwargs = (
        {"content": body, "headers": {"Content-Type": "application/json"}}
        if isinstance(body, str)
        else {"json": body}
    )
    response = local_stack.request("PUT", "/me", role="customer", **kwargs)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert local_stack.request("GET", "/me", role="customer").json() == before


def test_missing_expired_tampered_and_foreign_tokens_are_401(local_stack):
    token = local_stack.token("customer")
    assert local_stack.request("GET", "/me").status_code == 401
    assert local_stack.request("GET", "/me", token=expired(token)).status_code == 401
    assert local_stack.request("GET", "/me", token=tampered(token)).status_code == 401
    assert local_stack.request("GET", "/me", token=reissued(token, aud="another-client")).status_code == 401
    assert (
        local_stack.request("GET", "/me", token=reissued(token, iss="https://evil.example.com")).status_code
        == 401
    )
    access = local_stack.tokens("customer")["AccessToken"]
    assert local_stack.request("GET", "/me", token=access).status_code == 401
    assert local_stack.request("GET", "/me", token=f"Bearer {token}").status_code == 200


def test_waf_blocks_sql_injection_and_scripts(local_stack):
    assert local_stack.request("GET", "/products", params={"nextToken": "' OR 1=1--"}).status_code == 403
    assert local_stack.request("GET", "/products/x' UNION SELECT password FROM users--").status_code == 403
    script = local_stack.request(
        "PUT", "/me", role="customer", json={**PROFILE, "givenName": "<script>alert(1)</script>"}
    )
    assert script.status_code == 403


def test_rate_limit_answers_429_per_client(local_stack):
    # A caller is the connection's address, as for the WAF's rate rule.
    responses = []
    with local_stack.client_from() as client:
        for _ in range(1000):  # the bucket (100, refilling 50/s) empties well before this
            responses.append(local_stack.request("GET", "/health", http=client))
            if responses[-1].status_code == 429:
                break
    assert responses[0].status_code == 200
    limited = responses[-1]
    assert limited.status_code == 429 and limited.headers["Retry-After"]
    # Other clients are unaffected.
    with local_stack.client_from() as other:
        assert local_stack.request("GET", "/health", http=other).status_code == 200


def test_unknown_routes_answer_like_api_gateway(local_stack):
    assert local_stack.request("GET", "/no-such-route").status_code == 403
    assert local_stack.request("DELETE", "/products").status_code == 403


def test_customer_gets_a_quote_that_only_they_can_read(local_stack, other_customer):
    request = {
        "productId": "auto-standard",
        "coverageOptionCode": "AUTO-FULL-500",
        "state": "TX",
        "dateOfBirth": "1990-02-01",
        "riskFactors": {"drivingRecord": "clean"},
    }
    created = local_stack.request("POST", "/quotes", role="customer", json=request)
    assert created.status_code == 201, created.text
    quote = created.json()
    assert quote["monthlyPremium"]["amountCents"] > 0 and quote["status"] == "ACTIVE"
    location = created.headers["Location"].removeprefix("/v1")
    assert local_stack.request("GET", location, role="customer").json() == quote
    assert local_stack.request("GET", location, token=other_customer).status_code == 404
