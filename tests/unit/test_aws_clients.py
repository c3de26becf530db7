"""The shared clients' time budgets, read back from the clients botocore actually built."""

from __future__ import annotations

import pytest

from salesportal import aws


@pytest.fixture(autouse=True)
def _fresh_clients(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    aws.reset()
    yield
    aws.reset()


def test_clients_try_three_times_in_all():
    config = aws.client("dynamodb").meta.config
    assert config.retries == {"mode": "standard", "total_max_attempts": 3}


def test_a_cognito_trigger_gives_up_two_calls_before_cognito_stops_waiting():
    """Cognito fails the user after 5 s; a post-confirmation makes two calls, each tried once."""
    for service in ("dynamodb", "cognito-idp"):
        config = aws.trigger_client(service).meta.config
        assert config.retries["total_max_attempts"] == 1
        assert 2 * (config.connect_timeout + config.read_timeout) < 5
