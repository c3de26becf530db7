"""Answers made by API Gateway and the WAF themselves (no function reached) are in the API's
error shape with CORS headers for the portal's primary origin (never ``*``), exactly as the
shared table declares them (the offline gateway sends the same)."""

from __future__ import annotations

import json

import pytest

from infrastructure.cdk.context import Context
from infrastructure.cdk.stacks.salesportal_stack import primary_origin
from infrastructure.gateway_responses import (
    GATEWAY_RESPONSES,
    WAF_RATE_LIMITED,
    WAF_RATE_LIMITED_KEY,
)

# What a client of this API meets without reaching a function: each must be declared.
REQUIRED = ("UNAUTHORIZED", "ACCESS_DENIED", "MISSING_AUTHENTICATION_TOKEN", "WAF_FILTERED", "THROTTLED")
REQUIRED += ("REQUEST_TOO_LARGE", "DEFAULT_4XX", "DEFAULT_5XX")


def _headers_as_declared(found: dict[str, object], declared: dict[str, str]) -> None:
    """``found`` (the template's) equals ``declared``, but for the origin: the portal's own
    (the distribution's domain, a token in the template; no allowedOrigins is configured)."""
    assert set(found) == set(declared)
    origin = json.dumps(found.pop("Access-Control-Allow-Origin"))
    assert "https://" in origin and "PortalCdn" in origin and "*" not in origin
    assert found == {name: value for name, value in declared.items() if name != "Access-Control-Allow-Origin"}


def _gateway_responses(synthesized) -> dict[str, dict]:
    found = synthesized.of_type("AWS::ApiGateway::GatewayResponse").values()
    return {r["Properties"]["ResponseType"]: r["Properties"] for r in found}


@pytest.mark.parametrize("response_type", REQUIRED)
def test_each_gateway_response_answers_the_error_shape_with_cors_headers(synthesized, response_type):
    props = _gateway_responses(synthesized)[response_type]
    declared = GATEWAY_RESPONSES[response_type]

    body = json.loads(props["ResponseTemplates"]["application/json"])
    assert body == {"error": {"code": declared.code, "message": declared.message, "details": None}}
    assert props["ResponseTemplates"]["application/json"] == declared.body  # byte for byte
    headers = {
        name.removeprefix("gatewayresponse.header."): value
        for name, value in props["ResponseParameters"].items()
    }
    assert headers["Vary"] == "'Origin'"
    _headers_as_declared(headers, {name: f"'{v}'" for name, v in declared.all_headers("https://o").items()})
    assert props.get("StatusCode") == (None if declared.status is None else str(declared.status))


def test_unauthorized_and_throttled_keep_their_statuses(synthesized):
    responses = _gateway_responses(synthesized)
    assert responses["UNAUTHORIZED"]["StatusCode"] == "401"
    assert responses["THROTTLED"]["StatusCode"] == "429"
    assert responses["WAF_FILTERED"]["StatusCode"] == "403"
    # The fallbacks keep the status of the error that occurred (a 502, a 504...).
    assert "StatusCode" not in responses["DEFAULT_5XX"] and "StatusCode" not in responses["DEFAULT_4XX"]


def test_the_waf_rate_rules_answer_429_in_the_error_shape(synthesized):
    (acl,) = synthesized.of_type("AWS::WAFv2::WebACL").values()
    props = acl["Properties"]
    rate_rules = [r for r in props["Rules"] if "RateBasedStatement" in r["Statement"]]
    assert rate_rules, "the WAF has rate rules"
    for rule in rate_rules:
        custom = rule["Action"]["Block"]["CustomResponse"]
        assert custom["ResponseCode"] == 429
        assert custom["CustomResponseBodyKey"] == WAF_RATE_LIMITED_KEY
        headers = {h["Name"]: h["Value"] for h in custom["ResponseHeaders"]}
        _headers_as_declared(headers, WAF_RATE_LIMITED.all_headers("https://o"))
    body = props["CustomResponseBodies"][WAF_RATE_LIMITED_KEY]
    assert body["ContentType"] == "APPLICATION_JSON"
    assert json.loads(body["Content"])["error"]["code"] == WAF_RATE_LIMITED.code
    assert body["Content"] == WAF_RATE_LIMITED.body


def test_no_gateway_made_answer_allows_any_origin():
    for declared in [*GATEWAY_RESPONSES.values(), WAF_RATE_LIMITED]:
        assert declared.all_headers("https://portal.example")["Access-Control-Allow-Origin"] == (
            "https://portal.example"
        )
        assert declared.all_headers("https://portal.example")["Vary"] == "Origin"
        # Without an origin no browser may read it, rather than every one.
        assert "Access-Control-Allow-Origin" not in declared.all_headers(None)
        with pytest.raises(AssertionError):
            declared.all_headers("*")


@pytest.mark.parametrize(
    ("context", "primary"),
    [
        ({}, "PORTAL"),  # the default origin is the dev server's: the deployed portal is primary
        ({"allowedOrigins": "https://www.example.com,https://admin.example.com"}, "https://www.example.com"),
    ],
)
def test_the_primary_origin_is_the_first_configured_else_the_portals(context, primary):
    assert primary_origin(Context.parse(context), "PORTAL") == primary
