"""Hostile input on every route of the manifest: a 4xx with the error body, never a 500.

Bodies that Python's JSON decoder cannot take (too deep: RecursionError; a 5,000-digit
integer: ValueError) go to every route that takes a body; pagination tokens that decode
but do not hold the key the query needs go to every paginated route. The routes come from
the manifest and the handlers' own parameters, so a new route is covered without an edit.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest

from infrastructure import manifest
from salesportal.data.catalog import PRODUCT_PK
from salesportal.data.sales import APPLICATION, status_key
from tests.support.api import body_of, claims
from tests.support.lambdas import load_handler

SUB = "5b7c9e4a-0000-4000-8000-00000000c0de"
ADMIN = claims(SUB, "admins,agents,customers")  # every level: the role check is not under test

HOSTILE_BODIES = {
    "50000-deep array": "[" * 50_000,
    "3000-deep value": '{"name": ' + "[" * 3_000 + "]" * 3_000 + "}",
    "5000-digit integer": '{"amount": ' + "7" * 5_000 + "}",
    "5000-digit float": '{"amount": 1.' + "7" * 5_000 + "}",
    "overflowing float": '{"amount": 1e999}',
    "NaN": '{"amount": NaN}',
}
BODY_ROUTES = [
    pytest.param(fn.name, route, id=f"{route.method} {route.path}")
    for fn, route in manifest.routes()
    if route.method in ("POST", "PUT", "PATCH")
]


def _concrete(path: str) -> str:
    """A path with every ``{param}`` filled with a plausible id."""
    return re.sub(r"{(\w+)}", lambda m: f"{m.group(1).removesuffix('Id')}-01HOSTILE", path)


def _assert_refused(response: dict[str, Any], statuses: set[int]) -> dict[str, Any]:
    assert response["statusCode"] in statuses, response
    error = body_of(response)["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["code"] and error["message"]
    return error


def test_every_body_route_is_covered():
    # 17 POST/PUT routes today; the check keeps the parametrization from going empty.
    assert len(BODY_ROUTES) >= 15


@pytest.mark.parametrize(("function", "route"), BODY_ROUTES)
def test_an_unparseable_body_is_a_400_on_every_route(stack, function, route):
    path = _concrete(route.path)
    for name, body in HOSTILE_BODIES.items():
        response = stack.request(
            route.method,
            path,
            function=function,
            raw_body=body,
            caller=ADMIN,
            headers={"Idempotency-Key": "hostile-0001", "Stripe-Signature": "t=1,v1=00"},
        )
        error = _assert_refused(response, {400})
        assert error["code"] in {"json_too_deep", "number_too_long", "malformed_json"}, name


# The partition each paginated listing queries for SUB (what its token must carry to be
# looked at further), and the query parameters it needs besides.
PARTITIONS: dict[str, tuple[dict[str, Any], dict[str, str]]] = {
    "/products": ({"pk": {"S": PRODUCT_PK}}, {}),
    "/plans": ({"pk": {"S": "ZIP#10001"}}, {"zip": "10001"}),
    "/applications": ({"pk": {"S": f"CUSTOMER#{SUB}"}}, {}),
    "/policies": ({"pk": {"S": f"CUSTOMER#{SUB}"}}, {}),
    "/me/notifications": ({"pk": {"S": f"CUSTOMER#{SUB}"}}, {}),
    "/admin/applications": ({"statusKey": {"S": status_key(APPLICATION, "REFERRED")}}, {}),
    "/customers": ({"entityType": {"S": "customer"}}, {}),
    "/ai/queries": ({"askedBy": {"S": SUB}}, {}),
    "/admin/audit": ({"pk": {"S": "policy#01HOSTILE"}}, {"entity": "policy#01HOSTILE"}),
    "/salesforce/sync": ({"pk": {"S": "SALESFORCE_RUNS"}}, {}),
}
# Cognito's own tokens: opaque to us, passed through (data/users.py maps its refusal).
OPAQUE = {"/admin/users"}


def _paginated() -> list[Any]:
    found = []
    for fn, route in manifest.routes():
        if route.method != "GET":
            continue
        spec = load_handler(fn.name).app.get_openapi_schema().model_dump(by_alias=True, exclude_none=True)
        parameters = spec["paths"].get(route.path, {}).get("get", {}).get("parameters", [])
        if any(p["name"] == "nextToken" for p in parameters):
            found.append((fn.name, route.path))
    return found


PAGINATED = _paginated()


def _token(key: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def _forged(partition: dict[str, Any]) -> dict[str, str]:
    """Tokens that decode and name the right partition, but whose key DynamoDB would refuse."""
    return {
        "no sort key": _token(partition),
        "sort key a number": _token({**partition, "sk": {"N": "1"}}),
        "sort key value not a string": _token({**partition, "sk": {"S": 7}}),
        "sort key empty": _token({**partition, "sk": {"S": ""}}),
        "sort key untyped": _token({**partition, "sk": "COST#0"}),
        "sort key two types": _token({**partition, "sk": {"S": "a", "N": "1"}}),
        "sort key too long": _token({**partition, "sk": {"S": "x" * 1_100}}),
        "unknown attribute": _token({**partition, "sk": {"S": "ZZZ"}, "zz": {"S": "x"}}),
    }


def test_every_paginated_route_is_covered():
    assert {path for _, path in PAGINATED} == set(PARTITIONS) | OPAQUE


@pytest.mark.parametrize(
    ("function", "path"), [pytest.param(f, p, id=p) for f, p in PAGINATED if p not in OPAQUE]
)
def test_a_decodable_token_without_the_key_is_a_400_on_every_paginated_route(stack, function, path):
    partition, query = PARTITIONS[path]
    for name, token in _forged(partition).items():
        response = stack.request(
            "GET", path, function=function, caller=ADMIN, query={**query, "nextToken": token}
        )
        error = _assert_refused(response, {400})
        assert error["code"] == "invalid_next_token", name
