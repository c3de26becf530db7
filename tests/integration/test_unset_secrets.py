"""A secret still at its placeholder (or malformed) fails clearly and countably, never as a traceback."""

from __future__ import annotations

import json
import logging

import pytest

from infrastructure import manifest
from salesportal import secrets
from tests.support.api import body_of


def _set(stack, name: str, value: str) -> None:
    stack.client("secretsmanager").put_secret_value(SecretId=stack.physical.secrets[name], SecretString=value)
    secrets.reset()


def _placeholder(name: str) -> str:
    return json.dumps(dict.fromkeys(manifest.secret(name).fields, secrets.PLACEHOLDER))


def _emitted_metrics(capsys) -> list[str]:
    """Metric names in the EMF lines the functions printed."""
    names = []
    for line in capsys.readouterr().out.splitlines():
        if line.startswith("{") and '"_aws"' in line:
            for directive in json.loads(line)["_aws"]["CloudWatchMetrics"]:
                names += [m["Name"] for m in directive["Metrics"]]
    return names


def _webhook(stack):
    return stack.request(
        "POST", "/payments/webhook", raw_body='{"id": "evt_1"}', headers={"Stripe-Signature": "t=1,v1=00"}
    )


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(None, id="placeholder"),
        pytest.param("not json {", id="not-json"),
        pytest.param('{"apiKey": "sk_live_x"}', id="missing-field"),
    ],
)
def test_an_api_function_whose_secret_is_not_set_answers_503_not_configured(stack, capsys, caplog, value):
    _set(stack, "payment-gateway", value or _placeholder("payment-gateway"))
    with caplog.at_level(logging.ERROR):
        response = _webhook(stack)
    assert response["statusCode"] == 503
    error = body_of(response)["error"]
    assert error["code"] == "not_configured"
    assert "payment-gateway" not in error["message"]  # callers learn nothing about the deployment
    logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("salesportal/payment-gateway is not configured" in m and "make secrets" in m for m in logged)
    assert "Traceback" not in caplog.text
    assert "SecretNotConfigured" in _emitted_metrics(capsys)


def test_a_set_secret_is_used_as_before(stack):
    # The stand-ins' real values: the signature check runs (and refuses this forged one).
    response = _webhook(stack)
    assert response["statusCode"] == 400
    assert body_of(response)["error"]["code"] == "invalid_signature"


def test_a_worker_whose_secret_is_a_placeholder_fails_the_message_and_says_which_secret(
    stack, capsys, caplog
):
    _set(stack, "fulfillment", _placeholder("fulfillment"))
    record = {
        "messageId": "m-1",
        "receiptHandle": "r-1",
        "body": json.dumps(
            {
                "requestId": "req-1",
                "planId": "plan-1",
                "planName": "Plan One",
                "requestedAt": "2026-12-01T00:00:00+00:00",
                "recipient": {
                    "name": "Dana Reyes",
                    "line1": "1 Main St",
                    "city": "Springfield",
                    "zip": "62701",
                },
            }
        ),
        "attributes": {"ApproximateReceiveCount": "1"},
        "messageAttributes": {},
        "md5OfBody": "",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:salesportal-fulfillment",
        "awsRegion": "us-east-1",
    }
    with caplog.at_level(logging.ERROR):
        result = stack.invoke("fulfillment", {"Records": [record]})
    assert result == {"batchItemFailures": [{"itemIdentifier": "m-1"}]}
    assert (
        "secret salesportal/fulfillment is not configured: field 'apiKey' is still the placeholder"
        in caplog.text
    )
    assert "SecretNotConfigured" in _emitted_metrics(capsys)
