"""The offline stack's gateway answers as the deployed template declares when no function is
reached (status, error body, CORS headers), and its rate limits count callers by address."""

from __future__ import annotations

import uuid

import httpx
import pytest

from infrastructure.gateway_responses import GATEWAY_RESPONSES, WAF_RATE_LIMITED, ErrorResponse

pytestmark = pytest.mark.e2e

MAIL_BODY = {
    "name": "Gateway Tester",
    "address": {"line1": "1 Main St", "city": "Austin", "state": "TX", "postalCode": "78701"},
}


def _assert_declared(response: httpx.Response, declared: ErrorResponse, portal: str) -> None:
    assert response.status_code == declared.status, response.text
    assert response.content == declared.body.encode()
    assert response.headers["Content-Type"] == "application/json"
    headers = declared.all_headers(portal)  # the portal's origin: the primary one
    assert {name: response.headers.get(name) for name in headers} == headers


def test_401_403_bodies_and_cors_headers_are_the_templates(local_stack):
    with local_stack.client_from() as http:
        no_token = local_stack.request("GET", "/me", http=http)
        forged = local_stack.request("GET", "/me", token="Bearer e30.e30.sig", http=http)
        unknown = local_stack.request("GET", "/no-such-route", http=http)
        waf = local_stack.request("GET", "/products", params={"nextToken": "' OR 1=1--"}, http=http)
    _assert_declared(no_token, GATEWAY_RESPONSES["UNAUTHORIZED"], local_stack.info["portal_url"])
    _assert_declared(forged, GATEWAY_RESPONSES["UNAUTHORIZED"], local_stack.info["portal_url"])
    _assert_declared(
        unknown, GATEWAY_RESPONSES["MISSING_AUTHENTICATION_TOKEN"], local_stack.info["portal_url"]
    )
    _assert_declared(waf, GATEWAY_RESPONSES["WAF_FILTERED"], local_stack.info["portal_url"])


def test_a_new_forwarded_for_per_request_does_not_escape_a_rate_limit(local_stack):
    # The mail-request route allows a burst of 5 per address and refills one every 15 s.
    with local_stack.client_from() as http:
        answers = [
            local_stack.request(
                "POST",
                "/plans/DEMO-BASIC/mail-requests",
                json={**MAIL_BODY, "name": f"Gateway {uuid.uuid4().hex[:6]}"},
                headers={"X-Forwarded-For": f"198.51.100.{i}"},
                http=http,
            )
            for i in range(10)
        ]
    statuses = [a.status_code for a in answers]
    assert statuses[0] == 202 and 429 in statuses, statuses
    _assert_declared(answers[statuses.index(429)], WAF_RATE_LIMITED, local_stack.info["portal_url"])
    # Another address is another caller, whatever it claims to forward.
    with local_stack.client_from() as other:
        fresh = local_stack.request(
            "POST",
            "/plans/DEMO-BASIC/mail-requests",
            json=MAIL_BODY,
            headers={"X-Forwarded-For": "198.51.100.1"},
            http=other,
        )
    assert fresh.status_code == 202, fresh.text


def test_the_apis_own_answers_echo_a_listed_origin_and_no_other(local_stack):
    portal = local_stack.info["portal_url"]
    with local_stack.client_from() as http:
        listed = local_stack.request("GET", "/products", headers={"Origin": portal}, http=http)
        dev = local_stack.request("GET", "/products", headers={"Origin": "http://localhost:5173"}, http=http)
        other = local_stack.request("GET", "/products", headers={"Origin": "https://evil.example"}, http=http)
    assert listed.status_code == dev.status_code == other.status_code == 200
    assert listed.headers["Access-Control-Allow-Origin"] == portal
    assert dev.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"
    assert "Access-Control-Allow-Origin" not in other.headers
    assert all(r.headers["Vary"] == "Origin" for r in (listed, dev, other))
