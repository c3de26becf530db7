"""The payment gateway client against a mocked transport: request shape, declines, retries."""

from __future__ import annotations

import json

import httpx
import pytest

from salesportal.integrations.http import DependencyError, RetryPolicy
from salesportal.integrations.payments import HttpPaymentGateway, PaymentDeclined, PaymentRejected

INTENT = {
    "id": "pi_1",
    "object": "payment_intent",
    "amount": 1000,
    "currency": "usd",
    "status": "succeeded",
    "metadata": {"policyId": "p1"},
}


def _gateway(handler):
    return HttpPaymentGateway(
        "https://gateway.test/",
        "sk_test",
        transport=httpx.MockTransport(handler),
        retry=RetryPolicy(attempts=3),
        sleep=lambda _: None,
    )


def _charge(gateway):
    return gateway.charge(
        amount_cents=1000,
        currency="USD",
        payment_method="tok_visa",
        idempotency_key="k1",
        description="d",
        metadata={"policyId": "p1"},
    )


def test_a_charge_sends_auth_key_and_body_and_returns_the_intent():
    seen = []

    def handler(request):
        seen.append(request)
        return httpx.Response(200, json=INTENT)

    intent = _charge(_gateway(handler))
    assert (intent.id, intent.status, intent.amount_cents, intent.currency) == (
        "pi_1",
        "succeeded",
        1000,
        "USD",
    )
    (request,) = seen
    assert request.url == "https://gateway.test/v1/payment_intents"
    assert request.headers["Authorization"] == "Bearer sk_test" and request.headers["Idempotency-Key"] == "k1"
    assert json.loads(request.content) == {
        "amount": 1000,
        "currency": "usd",
        "payment_method": "tok_visa",
        "confirm": True,
        "description": "d",
        "metadata": {"policyId": "p1"},
    }


def test_a_402_is_a_decline_with_its_code():
    error = {
        "type": "card_error",
        "code": "card_declined",
        "decline_code": "insufficient_funds",
        "message": "No funds.",
        "payment_intent": {"id": "pi_2"},
    }
    with pytest.raises(PaymentDeclined) as declined:
        _charge(_gateway(lambda r: httpx.Response(402, json={"error": error})))
    assert (declined.value.decline_code, declined.value.message, declined.value.payment_intent_id) == (
        "insufficient_funds",
        "No funds.",
        "pi_2",
    )


def test_another_4xx_is_a_rejected_request_naming_the_parameter():
    error = {
        "type": "invalid_request_error",
        "code": "resource_missing",
        "param": "payment_method",
        "message": "No such PaymentMethod",
    }
    with pytest.raises(PaymentRejected) as rejected:
        _charge(_gateway(lambda r: httpx.Response(400, json={"error": error})))
    assert (rejected.value.code, rejected.value.param) == ("resource_missing", "payment_method")


def test_a_5xx_is_retried_with_the_same_key_then_raised():
    keys = []

    def handler(request):
        keys.append(request.headers["Idempotency-Key"])
        return httpx.Response(503, json={"error": {"message": "down"}})

    with pytest.raises(DependencyError):
        _charge(_gateway(handler))
    assert keys == ["k1", "k1", "k1"]


def test_a_timeout_then_success_returns_the_charge_made_once():
    calls = []

    def handler(request):
        calls.append(request.headers["Idempotency-Key"])
        if len(calls) == 1:
            raise httpx.ReadTimeout("slow", request=request)
        return httpx.Response(200, json=INTENT, headers={"Idempotent-Replayed": "true"})

    assert _charge(_gateway(handler)).id == "pi_1" and calls == ["k1", "k1"]


def test_a_refund_sends_the_intent_amount_and_key_and_returns_the_refund():
    seen = []

    def handler(request):
        seen.append(request)
        return httpx.Response(
            200,
            json={
                "id": "re_1",
                "object": "refund",
                "amount": 400,
                "currency": "usd",
                "payment_intent": "pi_1",
                "status": "succeeded",
                "metadata": {"reason": "cancel"},
                "created": 1,
            },
        )

    refund = _gateway(handler).refund(
        payment_intent_id="pi_1",
        amount_cents=400,
        idempotency_key="cancel:p1:pi_1",
        metadata={"reason": "cancel"},
    )
    assert (refund.id, refund.status, refund.amount_cents, refund.payment_intent_id) == (
        "re_1",
        "succeeded",
        400,
        "pi_1",
    )
    (request,) = seen
    assert request.url == "https://gateway.test/v1/refunds"
    assert request.headers["Idempotency-Key"] == "cancel:p1:pi_1"
    assert json.loads(request.content) == {
        "payment_intent": "pi_1",
        "amount": 400,
        "metadata": {"reason": "cancel"},
    }


def test_refunding_more_than_was_paid_is_rejected_with_the_gateway_code():
    error = {
        "type": "invalid_request_error",
        "code": "amount_too_large",
        "param": "amount",
        "message": "Too much.",
    }
    with pytest.raises(PaymentRejected) as rejected:
        _gateway(lambda r: httpx.Response(400, json={"error": error})).refund(
            payment_intent_id="pi_1", amount_cents=5000, idempotency_key="k", metadata={}
        )
    assert (rejected.value.code, rejected.value.message) == ("amount_too_large", "Too much.")


def test_a_wrong_api_key_is_rejected_not_retried():
    calls = []

    def handler(request):
        calls.append(request)
        return httpx.Response(
            401, json={"error": {"type": "authentication_error", "message": "Invalid API key."}}
        )

    with pytest.raises(PaymentRejected) as rejected:
        _charge(_gateway(handler))
    assert rejected.value.code == "authentication_error" and len(calls) == 1


def test_retrieve_returns_the_current_intent():
    def handler(request):
        assert request.method == "GET" and request.url.path == "/v1/payment_intents/pi_1"
        return httpx.Response(200, json={**INTENT, "status": "processing"})

    assert _gateway(handler).retrieve("pi_1").status == "processing"


def test_a_2xx_that_is_not_json_is_a_dependency_failure():
    with pytest.raises(DependencyError, match="without a JSON object"):
        _charge(_gateway(lambda r: httpx.Response(200, text="<html>proxy</html>")))
