"""Builders for REST proxy events, shaped like API Gateway's (see events/)."""

from __future__ import annotations

import copy
import json
from typing import Any

from tests.support.lambdas import sample_event


def claims(sub: str, groups: str = "customers", email: str | None = None) -> dict[str, str]:
    return {
        "sub": sub,
        "email": email or f"{sub[:8]}@example.com",
        "cognito:groups": groups,
        "token_use": "id",
    }


def rest_event(
    method: str,
    path: str,
    *,
    resource: str | None = None,
    body: Any = None,
    raw_body: str | None = None,
    caller: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    path_params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    event = copy.deepcopy(sample_event("health", "get_health"))
    event.update(
        resource=resource or path,
        path=path,
        httpMethod=method,
        queryStringParameters=query,
        multiValueQueryStringParameters={k: [v] for k, v in query.items()} if query else None,
        pathParameters=path_params,
        body=raw_body if raw_body is not None else (json.dumps(body) if body is not None else None),
    )
    event["headers"] = {**event["headers"], **(headers or {})}
    if body is not None or raw_body is not None:
        event["headers"]["Content-Type"] = "application/json"
    event["multiValueHeaders"] = {k: [v] for k, v in event["headers"].items()}
    context = event["requestContext"]
    context.update(resourcePath=resource or path, httpMethod=method, path=f"/v1{path}")
    if caller is not None:
        context["authorizer"] = {"claims": caller}
    return event


def body_of(response: dict[str, Any]) -> Any:
    return json.loads(response["body"]) if response.get("body") else None


def header_of(response: dict[str, Any], name: str) -> str | None:
    for source in (response.get("headers") or {}, response.get("multiValueHeaders") or {}):
        for key, value in source.items():
            if key.lower() == name.lower():
                return value[0] if isinstance(value, list) else value
    return None
