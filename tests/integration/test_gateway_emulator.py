"""The offline API Gateway answers what the deployed one would when no function is reached:
the template's gateway responses byte for byte, rate limits keyed on the connection's
address, idle keep-alive connections kept, and CORS for the portal's primary origin, never ``*``."""

from __future__ import annotations

import http.client
import itertools
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from infrastructure.gateway_responses import (
    GATEWAY_RESPONSES,
    STAGE_BURST_LIMIT,
    STAGE_RATE_LIMIT,
    WAF_RATE_LIMITED,
    ErrorResponse,
)
from infrastructure.local.gateway import Authorizer, Gateway, serve
from infrastructure.local.waf import RateLimiter

BURST = 5
PORTAL = "http://127.0.0.1:8080"
DEV = "http://localhost:5173"
_addresses = itertools.count(10)


def fresh_address() -> str:
    """Another caller: Linux routes all of 127.0.0.0/8 to loopback, each a distinct source."""
    n = next(_addresses)
    return f"127.0.{n // 200 + 1}.{n % 200 + 10}"


def _invoke(function: str, event: dict[str, Any]) -> dict[str, Any]:
    if function == "catalog":
        raise RuntimeError("the handler raised")
    if function == "quotes":
        return {"unexpected": "shape"}  # not a proxy response
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": "{}"}


@pytest.fixture(scope="module")
def gateway() -> Iterator[tuple[Gateway, str]]:
    # An unreachable JWKS: only requests without a valid token are sent here.
    authorizer = Authorizer("http://127.0.0.1:9/jwks.json", "https://issuer.example", "client")
    # Burst 5 and no refill to speak of: whether a limit is reached never depends on speed.
    gateway = Gateway(_invoke, authorizer, RateLimiter(rate=1e-6, burst=BURST))
    gateway.allowed_origins = (PORTAL, DEV)
    server = serve(gateway, "127.0.0.1", 0)
    yield gateway, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def client_from(address: str) -> httpx.Client:
    return httpx.Client(timeout=30, transport=httpx.HTTPTransport(local_address=address))


def assert_answers(response: httpx.Response, declared: ErrorResponse, status: int | None = None) -> None:
    assert response.status_code == (declared.status or status)
    assert response.content == declared.body.encode()  # the template, byte for byte
    assert response.headers["Content-Type"] == "application/json"
    for name, value in declared.all_headers(PORTAL).items():
        assert response.headers[name] == value, name
    # The template's fixed value: the primary origin, whatever the caller's (none here).
    assert response.headers["Access-Control-Allow-Origin"] == PORTAL
    assert response.headers["Vary"] == "Origin"
    assert set(json.loads(response.content)["error"]) == {"code", "message", "details"}


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "response_type", "status"),
    [
        ("GET", "/v1/me", {}, "UNAUTHORIZED", None),
        ("GET", "/v1/me", {"headers": {"Authorization": "Bearer not-a-jwt"}}, "UNAUTHORIZED", None),
        ("GET", "/v1/no-such-route", {}, "MISSING_AUTHENTICATION_TOKEN", None),
        ("DELETE", "/v1/products", {}, "MISSING_AUTHENTICATION_TOKEN", None),
        ("GET", "/elsewhere", {}, "MISSING_AUTHENTICATION_TOKEN", None),
        ("GET", "/v1/products", {"params": {"nextToken": "' OR 1=1--"}}, "WAF_FILTERED", None),
        ("GET", "/v1/products", {}, "DEFAULT_5XX", 502),
        ("POST", "/v1/quotes", {"headers": {"Authorization": "x"}}, "UNAUTHORIZED", None),
        ("POST", "/v1/quotes", {"content": b"x" * (10 * 1024 * 1024 + 1)}, "REQUEST_TOO_LARGE", None),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_a_gateway_made_answer_is_the_templates_gateway_response(
    gateway, method, path, kwargs, response_type, status
):
    _, url = gateway
    with client_from(fresh_address()) as http:
        response = http.request(method, f"{url}{path}", **kwargs)
    assert_answers(response, GATEWAY_RESPONSES[response_type], status)


def test_a_malformed_function_answer_is_a_502_in_the_error_shape(gateway, monkeypatch):
    gw, url = gateway
    monkeypatch.setattr(gw, "authorizer", type("Anyone", (), {"claims": lambda self, header: {"sub": "u"}})())
    with client_from(fresh_address()) as http:
        response = http.post(f"{url}/v1/quotes", json={})
    assert_answers(response, GATEWAY_RESPONSES["DEFAULT_5XX"], 502)


def test_the_rate_limit_answers_the_wafs_429_in_the_error_shape(gateway):
    _, url = gateway
    with client_from(fresh_address()) as http:
        statuses = [http.get(f"{url}/v1/health").status_code for _ in range(BURST)]
        limited = http.get(f"{url}/v1/health")
    assert statuses == [200] * BURST
    assert_answers(limited, WAF_RATE_LIMITED)
    assert limited.headers["Retry-After"]
    assert limited.headers["Access-Control-Expose-Headers"] == "Retry-After"  # a browser may read it


def test_a_new_forwarded_for_per_request_does_not_escape_the_rate_limit(gateway):
    _, url = gateway
    with client_from(fresh_address()) as http:
        statuses = [
            http.get(f"{url}/v1/health", headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code
            for i in range(BURST + 3)
        ]
    assert statuses == [200] * BURST + [429] * 3
    # Another connection's address is another caller, with its own bucket.
    with client_from(fresh_address()) as http:
        assert http.get(f"{url}/v1/health").status_code == 200


def test_the_stage_throttle_answers_throttled_in_the_error_shape(gateway, monkeypatch):
    gw, url = gateway
    monkeypatch.setattr(gw, "stage_limiter", RateLimiter(rate=1e-6, burst=1))
    with client_from(fresh_address()) as a, client_from(fresh_address()) as b:
        assert a.get(f"{url}/v1/health").status_code == 200
        throttled = b.get(f"{url}/v1/health")  # another caller: the stage counts everyone
    assert_answers(throttled, GATEWAY_RESPONSES["THROTTLED"])


def test_an_idle_keep_alive_connection_stays_open(gateway):
    _, url = gateway
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30, source_address=(fresh_address(), 0))
    try:
        connection.request("GET", "/v1/health")
        assert connection.getresponse().read() == b"{}"
        socket = connection.sock
        time.sleep(4)  # idle longer than the 3 s after which the emulator used to hang up
        connection.request("GET", "/v1/health")
        response = connection.getresponse()
        assert response.status == 200 and response.read() == b"{}"
        assert connection.sock is socket  # the same connection, not a reconnect
    finally:
        connection.close()


def test_a_failing_control_step_answers_500_instead_of_hanging_up():
    def control(method: str, path: str, body: bytes) -> tuple[int, Any]:
        raise TimeoutError("post_confirmation: Task timed out after 5 seconds")

    authorizer = Authorizer("http://127.0.0.1:9/jwks.json", "https://issuer.example", "client")
    server = serve(Gateway(_invoke, authorizer, RateLimiter(rate=1.0, burst=5), control), "127.0.0.1", 0)
    try:
        response = httpx.post(f"http://127.0.0.1:{server.server_address[1]}/_local/users", json={})
    finally:
        server.shutdown()
        server.server_close()
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "control_failed"
    assert "Task timed out" in response.json()["error"]["message"]


def test_lifting_the_per_address_limit_lifts_the_stage_throttle_too():
    # A fuzzing run starts the stack with --rate-limit 100000: the stage must not throttle it.
    authorizer = Authorizer("http://127.0.0.1:9/jwks.json", "https://issuer.example", "client")
    lifted = Gateway(_invoke, authorizer, RateLimiter(rate=100_000, burst=100_000))
    assert lifted.stage_limiter.rate == 100_000 and lifted.stage_limiter.burst == 100_000
    default = Gateway(_invoke, authorizer, RateLimiter(rate=50, burst=100))
    assert (default.stage_limiter.rate, default.stage_limiter.burst) == (STAGE_RATE_LIMIT, STAGE_BURST_LIMIT)


def test_a_gateway_made_answer_names_the_primary_origin_whatever_the_caller(gateway):
    _, url = gateway
    with client_from(fresh_address()) as http:
        response = http.get(f"{url}/v1/me", headers={"Origin": DEV})
    # API Gateway cannot echo the caller's origin here: the template names one (gateway_responses.py).
    assert_answers(response, GATEWAY_RESPONSES["UNAUTHORIZED"])


def test_without_configured_origins_no_gateway_made_answer_names_any():
    authorizer = Authorizer("http://127.0.0.1:9/jwks.json", "https://issuer.example", "client")
    server = serve(Gateway(_invoke, authorizer, RateLimiter(rate=1.0, burst=5)), "127.0.0.1", 0)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        with client_from(fresh_address()) as http:
            refused = http.get(f"{url}/v1/me", headers={"Origin": "https://evil.example"})
            preflight = http.options(f"{url}/v1/me", headers={"Origin": "https://evil.example"})
    finally:
        server.shutdown()
        server.server_close()
    assert refused.status_code == 401
    assert "Access-Control-Allow-Origin" not in refused.headers
    assert "Access-Control-Allow-Origin" not in preflight.headers
