"""GET /health answers without touching AWS."""

from __future__ import annotations

import botocore.client

from tests.support.api import body_of
from tests.support.lambdas import sample_event


def test_health_is_ok_and_makes_no_aws_call(stack, monkeypatch):
    calls: list[str] = []
    original = botocore.client.BaseClient._make_api_call

    def counting(self, operation, params):
        calls.append(operation)
        return original(self, operation, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", counting)
    response = stack.send(sample_event("health", "get_health"))

    assert response["statusCode"] == 200
    assert body_of(response) == {"status": "ok", "service": "salesportal"}
    assert calls == []
