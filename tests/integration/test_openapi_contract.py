"""The generated OpenAPI document states what the API answers, checked on the document itself
(the e2e schemathesis run checks the answers against it): statuses, error bodies, schemas,
headers and the input rules the handlers enforce."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import ValidationError

from infrastructure import manifest
from infrastructure.openapi import build
from salesportal.models.customers import ProfileUpdate
from tests.support.api import body_of, claims

ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return build()


def _operations(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def _parameter(operation: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in operation.get("parameters", []) if p["name"] == name)


def test_every_manifest_route_is_documented(document):
    documented = {name for name, _ in _operations(document)}
    assert documented == {f"{route.method} {route.path}" for _fn, route in manifest.routes()}


def test_every_refusal_is_an_error_body_with_its_own_status(document):
    for name, operation in _operations(document):
        responses = operation["responses"]
        assert not any("X" in status for status in responses), f"{name}: a status range hides statuses"
        for status, response in responses.items():
            if status.startswith("4") or status.startswith("5"):
                assert response.get("content") == ERROR, f"{name} {status}"


def test_every_operation_answers_the_gateways_refusals(document):
    for name, operation in _operations(document):
        statuses = set(operation["responses"])
        assert {"403", "429"} <= statuses, name  # the WAF's block and rate limits, everywhere
        assert "Retry-After" in operation["responses"]["429"]["headers"], name
        if operation["x-access"] != "public":
            assert {"401", "403"} <= statuses, name
            assert operation["security"] == [{"CognitoUserPool": []}], name
        else:
            assert "security" not in operation, name
        if "requestBody" in operation:
            assert {"400", "413", "415", "422"} <= statuses, name
        if any(p["in"] == "query" for p in operation.get("parameters", [])):
            assert "400" in statuses, name


def test_every_success_body_is_a_real_schema(document):
    for name, operation in _operations(document):
        for status, response in operation["responses"].items():
            if not status.startswith("2"):
                continue
            schema = response["content"]["application/json"]["schema"]
            assert schema.get("$ref", "").startswith("#/components/schemas/"), f"{name} {status}: {schema}"


@pytest.mark.parametrize(
    ("operation", "successes", "schema"),
    [
        ("GET /plans", {"200"}, "PlanPage"),
        ("GET /plans/{planId}", {"200"}, "Plan"),
        ("POST /policies/{policyId}/payments", {"201", "202"}, "Payment"),
        ("POST /payments/webhook", {"200"}, "WebhookReceipt"),
        ("POST /quotes", {"201"}, "Quote"),
        ("POST /applications", {"202"}, "Application"),
        ("POST /applications/{applicationId}/acceptance", {"200", "201"}, "Policy"),
        ("POST /ai/queries", {"202"}, "AiQuery"),
        ("POST /salesforce/sync", {"202"}, "SyncRun"),
        ("POST /plans/{planId}/mail-requests", {"202"}, "MailRequestAccepted"),
    ],
)
def test_named_routes_answer_their_success_statuses_with_their_models(document, operation, successes, schema):
    method, path = operation.split(" ", 1)
    responses = document["paths"][path][method.lower()]["responses"]
    assert {s for s in responses if s.startswith("2")} == successes
    for status in successes:
        assert responses[status]["content"]["application/json"]["schema"] == {
            "$ref": f"#/components/schemas/{schema}"
        }


@pytest.mark.parametrize(
    "operation",
    [
        "POST /quotes",
        "POST /applications",
        "POST /applications/{applicationId}/acceptance",
        "POST /policies/{policyId}/payments",
        "POST /ai/queries",
        "POST /salesforce/sync",
    ],
)
def test_created_and_started_resources_send_their_location(document, operation):
    method, path = operation.split(" ", 1)
    for status, response in document["paths"][path][method.lower()]["responses"].items():
        if status.startswith("2"):
            assert response["headers"]["Location"]["required"] is True, status


def test_cacheable_plans_declare_validators_and_304(document):
    for path in ("/plans", "/plans/{planId}"):
        operation = document["paths"][path]["get"]
        assert _parameter(operation, "If-None-Match")["in"] == "header"
        for status in ("200", "304"):
            assert {"ETag", "Cache-Control"} <= set(operation["responses"][status]["headers"])
        assert not operation["responses"]["304"].get("content")


def test_profile_declares_its_etag_and_if_match(document):
    get, put = document["paths"]["/me"]["get"], document["paths"]["/me"]["put"]
    assert get["responses"]["200"]["headers"]["ETag"]["required"] is True
    assert put["responses"]["200"]["headers"]["ETag"]["required"] is True
    if_match = re.compile(_parameter(put, "If-Match")["schema"]["pattern"])
    assert all(if_match.fullmatch(v) for v in ('"3"', 'W/"3"', "*"))
    assert not any(if_match.fullmatch(v) for v in ("abc", '"' + "9" * 40 + '"'))
    assert "412" in put["responses"]


def test_payment_headers_are_declared_with_the_handlers_patterns(document):
    key = _parameter(document["paths"]["/policies/{policyId}/payments"]["post"], "Idempotency-Key")
    assert key["in"] == "header" and key["required"] is True
    pattern = re.compile(key["schema"]["pattern"])
    assert pattern.fullmatch("order-0001_retry") and not pattern.fullmatch("short")
    signature = _parameter(document["paths"]["/payments/webhook"]["post"], "Stripe-Signature")
    assert signature["in"] == "header" and signature["required"] is True
    assert re.fullmatch(signature["schema"]["pattern"], f"t=1767225600,v1={'ab' * 32}")


def test_text_inputs_are_typed_as_text_in_the_schema(document):
    schemas = document["components"]["schemas"]
    birth = schemas["ProfileUpdate"]["properties"]["dateOfBirth"]["anyOf"][0]
    assert birth == {"type": "string", "format": "date"}
    since = _parameter(document["paths"]["/customers"]["get"], "updatedSince")["schema"]["anyOf"][0]
    assert since == {"type": "string", "format": "date-time"}
    assert schemas["RolesUpdate"]["properties"]["groups"]["uniqueItems"] is True


@pytest.mark.parametrize(
    "change",
    [
        {"dateOfBirth": 0},
        {"dateOfBirth": "86400"},
        {"dateOfBirth": "2000-01-01T00:00:00"},
        {"contactPreferences": {"email": 1, "sms": False}},
        {"givenName": 5},
    ],
)
def test_profile_update_refuses_what_its_schema_refuses(change):
    valid = {"givenName": "Dana", "familyName": "Smith", "dateOfBirth": "1980-02-29"}
    ProfileUpdate.model_validate(valid)
    with pytest.raises(ValidationError):
        ProfileUpdate.model_validate({**valid, **change})


def test_put_me_refuses_a_number_for_the_date_of_birth(stack):
    body = {"givenName": "Dana", "familyName": "Smith", "dateOfBirth": 0}
    response = stack.request("PUT", "/me", body=body, caller=claims("contract-1"))
    assert response["statusCode"] == 422
    assert [d["field"] for d in body_of(response)["error"]["details"]] == ["dateOfBirth"]


@pytest.mark.parametrize("since", ["0.5", "0", "2026-01-01T00:00:00", "yesterday"])
def test_customer_list_refuses_an_updated_since_that_is_no_rfc3339_date_time(stack, since):
    response = stack.request(
        "GET", "/customers", query={"updatedSince": since}, caller=claims("agent-1", "agents")
    )
    assert response["statusCode"] == 400
    assert body_of(response)["error"]["code"] == "invalid_parameter"


def test_customer_list_takes_an_rfc3339_date_time(stack):
    response = stack.request(
        "GET",
        "/customers",
        query={"updatedSince": "2026-01-01T00:00:00Z"},
        caller=claims("agent-1", "agents"),
    )
    assert response["statusCode"] == 200
