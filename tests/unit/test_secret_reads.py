"""What makes a stored secret unusable, and how the error names it."""

from __future__ import annotations

import pytest

from infrastructure import manifest
from salesportal import secrets
from salesportal.errors import ServiceUnavailable


def test_the_placeholder_is_the_one_the_deployment_creates():
    assert secrets.PLACEHOLDER == manifest.SECRET_PLACEHOLDER


@pytest.mark.parametrize(
    ("secret_id", "name"),
    [
        (
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:DataSecretkyc5A1B2C3D-AbC123",
            "DataSecretkyc5A1B2C3D",
        ),
        ("arn:aws:secretsmanager:eu-west-1:123456789012:secret:salesportal/kyc-AbC123", "salesportal/kyc"),
        ("salesportal/payment-gateway", "salesportal/payment-gateway"),
    ],
)
def test_an_arn_is_named_without_secrets_managers_random_suffix(secret_id, name):
    assert secrets.label(secret_id) == name


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ({"apiKey": "REPLACE_ME"}, "field 'apiKey' is still the placeholder"),
        ({"apiKey": ""}, "field 'apiKey' is empty"),
        ({}, "it is not a JSON object with fields"),
        (["apiKey"], "it is not a JSON object with fields"),
        (None, "it is not a JSON object with fields"),
    ],
)
def test_an_unusable_value_is_described(value, problem):
    assert secrets.problems(value) == [problem]


def test_a_usable_value_has_no_problem_and_a_missing_field_is_a_configuration_error():
    assert secrets.problems({"apiKey": "k", "webhookSecret": "w"}, ("apiKey",)) == []
    value = secrets.SecretValue("salesportal/kyc", {"apiKey": "k"})
    with pytest.raises(secrets.SecretNotConfigured) as missing:
        _ = value["clientId"]
    error = missing.value
    assert isinstance(error, ServiceUnavailable) and error.status == 503 and error.code == "not_configured"
    assert (
        str(error)
        == "secret salesportal/kyc is not configured: it has no field 'clientId' (set it with `make secrets`)"
    )
    assert "salesportal/kyc" not in error.body()["error"]["message"]
