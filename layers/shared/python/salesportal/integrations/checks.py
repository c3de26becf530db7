"""Shared plumbing of the underwriting checks (KYC and bureau): one authenticated JSON call."""

from __future__ import annotations

from typing import Any

from salesportal.integrations.http import DependencyError, ResilientClient


class RequestRejected(DependencyError):
    """The service refused our request (4xx): retrying the same request will not help."""


def post_json(http: ResilientClient, path: str, body: dict[str, Any], *, reference: str) -> dict[str, Any]:
    response = http.request("POST", path, json=body, idempotency_key=reference)
    if response.status_code >= 400:
        raise RequestRejected(
            http.service, f"HTTP {response.status_code}: {response.text[:200]}", status=response.status_code
        )
    result: dict[str, Any] = response.json()
    return result
