"""The KYC and bureau clients against a mocked transport: request shape, answers, refusals, outages."""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from salesportal.integrations.bureau import HttpRiskBureau
from salesportal.integrations.checks import RequestRejected
from salesportal.integrations.http import DependencyError, RetryPolicy
from salesportal.integrations.kyc import HttpIdentityVerifier

KYC = "https://kyc.test"
BUREAU = "https://bureau.test"
IDENTITY = {
    "givenName": "Dana",
    "familyName": "Lee",
    "dateOfBirth": "1990-04-01",
    "ssnLast4": "1234",
    "address": {"line1": "1 Main St", "city": "Austin", "state": "TX", "postalCode": "78701"},
}
FACTS = {
    "productId": "term-life-20",
    "age": 50,
    "state": "TX",
    "declarations": {"chronicCondition": True},
    "riskFactors": {"smoker": "true"},
}


def _verifier() -> HttpIdentityVerifier:
    return HttpIdentityVerifier(KYC, "kyc_key", retry=RetryPolicy(attempts=3), sleep=lambda _: None)


def _bureau() -> HttpRiskBureau:
    return HttpRiskBureau(BUREAU + "/", "bureau_key", retry=RetryPolicy(attempts=2), sleep=lambda _: None)


@respx.mock
def test_a_verification_sends_the_identity_with_the_reference_as_idempotency_key():
    route = respx.post(f"{KYC}/v1/verifications").respond(
        200, json={"id": "kyc_1", "reference": "app-1", "status": "verified", "reasons": []}
    )
    check = _verifier().verify(reference="app-1", identity=IDENTITY)
    assert (check.id, check.verified, check.reasons) == ("kyc_1", True, ())
    request = route.calls.last.request
    assert request.headers["Authorization"] == "Bearer kyc_key"
    assert request.headers["Idempotency-Key"] == "app-1"
    assert json.loads(request.content) == {"reference": "app-1", **IDENTITY}


@respx.mock
def test_a_failed_verification_is_an_answer_with_its_reasons():
    respx.post(f"{KYC}/v1/verifications").respond(
        200, json={"id": "kyc_2", "reference": "app-2", "status": "failed", "reasons": ["ssn_mismatch"]}
    )
    check = _verifier().verify(reference="app-2", identity=IDENTITY)
    assert check.verified is False and check.reasons == ("ssn_mismatch",)


@respx.mock
def test_a_refused_verification_request_is_not_retried():
    route = respx.post(f"{KYC}/v1/verifications").respond(
        400, json={"error": {"type": "invalid_request_error", "param": "ssnLast4", "message": "bad"}}
    )
    with pytest.raises(RequestRejected) as rejected:
        _verifier().verify(reference="app-3", identity={**IDENTITY, "ssnLast4": "12"})
    assert rejected.value.status == 400 and "ssnLast4" in str(rejected.value)
    assert route.call_count == 1


@respx.mock
def test_a_kyc_outage_is_retried_with_the_same_key_then_raised():
    route = respx.post(f"{KYC}/v1/verifications").respond(503)
    with pytest.raises(DependencyError) as error:
        _verifier().verify(reference="app-4", identity=IDENTITY)
    assert not isinstance(error.value, RequestRejected) and error.value.status == 503
    assert [call.request.headers["Idempotency-Key"] for call in route.calls] == ["app-4"] * 3


@respx.mock
def test_an_assessment_sends_the_facts_and_returns_score_band_and_reasons():
    route = respx.post(f"{BUREAU}/v1/risk-assessments").respond(
        200,
        json={
            "id": "ra_1",
            "reference": "app-5",
            "score": 535,
            "band": "D",
            "reasonCodes": ["tobacco_use", "declared_chronicCondition"],
        },
    )
    assessment = _bureau().assess(reference="app-5", facts=FACTS)
    assert (assessment.id, assessment.score, assessment.band) == ("ra_1", 535, "D")
    assert assessment.reason_codes == ("tobacco_use", "declared_chronicCondition")
    request = route.calls.last.request
    assert request.url == f"{BUREAU}/v1/risk-assessments"
    assert request.headers["Authorization"] == "Bearer bureau_key"
    assert json.loads(request.content) == {"reference": "app-5", **FACTS}


@respx.mock
def test_a_bureau_error_is_retried_then_raised():
    route = respx.post(f"{BUREAU}/v1/risk-assessments").mock(
        side_effect=[httpx.Response(500), httpx.ConnectError("refused")]
    )
    with pytest.raises(DependencyError, match="ConnectError on attempt 2"):
        _bureau().assess(reference="app-6", facts=FACTS)
    assert route.call_count == 2


@respx.mock
def test_a_bureau_with_a_wrong_key_is_a_rejected_request():
    respx.post(f"{BUREAU}/v1/risk-assessments").respond(
        401, json={"error": {"type": "authentication_error", "message": "Invalid API key provided."}}
    )
    with pytest.raises(RequestRejected) as rejected:
        _bureau().assess(reference="app-7", facts=FACTS)
    assert rejected.value.status == 401
