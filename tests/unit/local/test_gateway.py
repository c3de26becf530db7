"""The local API Gateway's pure parts: routing, WAF rules, the rate limiter, proxy events."""

from __future__ import annotations

import pytest

from infrastructure import manifest
from infrastructure.local.gateway import _response, compile_routes, match, proxy_event
from infrastructure.local.waf import RateLimiter, blocked_reason

ROUTES = compile_routes()


@pytest.mark.parametrize(
    ("fn", "route"), manifest.routes(), ids=lambda x: getattr(x, "path", getattr(x, "name", ""))
)
def test_every_manifest_route_is_matched_to_its_function(fn, route):
    path = route.path.replace("{", "").replace("}", "")
    found = match(ROUTES, route.method, path)
    assert found is not None and found[0].function == fn.name


def test_path_parameters_are_extracted():
    found = match(ROUTES, "GET", "/products/term-life")
    assert found is not None
    assert found[0].resource == "/products/{productId}" and found[1] == {"productId": "term-life"}


def test_wrong_method_or_unknown_path_matches_nothing():
    assert match(ROUTES, "DELETE", "/products") is None
    assert match(ROUTES, "GET", "/products/a/b") is None


@pytest.mark.parametrize(
    "payload",
    [
        "' OR 1=1--",
        "x' UNION SELECT password FROM users",
        "1; DROP TABLE customers",
        "<script>alert(1)</script>",
        "javascript:alert(1)",
        '<img src=x onerror="alert(1)">',
        "%27%20OR%20%271%27%3D%271",
    ],
)
def test_attacks_are_blocked(payload):
    assert blocked_reason(payload) in {"sqli", "xss"}


@pytest.mark.parametrize(
    "payload",
    [
        '{"givenName": "Dana", "familyName": "O\'Brien"}',
        "limit=20&nextToken=eyJwayI6",
        "/products/term-life",
        '{"line1": "1 Union Square"}',
        "Select your plan",
    ],
)
def test_ordinary_requests_pass(payload):
    assert blocked_reason(payload) is None


def test_rate_limiter_allows_a_burst_then_refills():
    now = [0.0]
    limiter = RateLimiter(rate=2, burst=3, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")  # per client
    now[0] = 0.5  # one token back
    assert limiter.allow("a") and not limiter.allow("a")


def test_proxy_event_has_the_rest_shape_with_string_claims():
    route, params = match(ROUTES, "GET", "/products/term-life")
    event = proxy_event(
        "GET",
        "/products/term-life",
        route,
        params,
        "limit=2&x=1&x=2",
        {"Host": "h"},
        None,
        "1.2.3.4",
        {"sub": "s", "cognito:groups": ["customers", "agents"], "exp": 5},
    )
    assert event["resource"] == "/products/{productId}" and event["pathParameters"] == {
        "productId": "term-life"
    }
    assert event["queryStringParameters"] == {"limit": "2", "x": "2"}
    assert event["multiValueQueryStringParameters"]["x"] == ["1", "2"]
    assert (
        event["requestContext"]["stage"] == "v1"
        and event["requestContext"]["path"] == "/v1/products/term-life"
    )
    assert event["requestContext"]["authorizer"]["claims"] == {
        "sub": "s",
        "cognito:groups": "customers,agents",
        "exp": "5",
    }


def test_a_handler_that_returns_garbage_is_a_502():
    assert _response(None)[0] == 502
    assert _response({"statusCode": 201, "body": "{}", "headers": {"ETag": '"1"'}})[:2] == (
        201,
        {"ETag": '"1"'},
    )
