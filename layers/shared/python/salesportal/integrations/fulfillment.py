"""The Fulfillment API: printed plan information mailed to a postal address.

The mail request's id is the idempotency key, so a retried send is one letter.
4xx → ``RequestRejected`` (our request is wrong: retrying will not help); outages →
``DependencyError`` after retries; the client's circuit breaker stops hammering an API
that is down.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from salesportal.integrations import checks
from salesportal.integrations.http import BearerApi


class Fulfillment(Protocol):
    def send(self, *, request_id: str, plan_id: str, plan_name: str, recipient: Mapping[str, Any]) -> str: ...


class HttpFulfillment(BearerApi):
    service = "fulfillment"

    def send(self, *, request_id: str, plan_id: str, plan_name: str, recipient: Mapping[str, Any]) -> str:
        body = checks.post_json(
            self._http,
            "/v1/mailings",
            {
                "reference": request_id,
                "document": {"type": "plan_information", "planId": plan_id, "title": plan_name},
                "recipient": dict(recipient),
            },
            reference=request_id,
        )
        return str(body["id"])
