"""The API stage in-process: method and path find the function and route the manifest names,
and the proxy event is the one the offline gateway builds (``resource``, path parameters,
the authorizer's claims). Integration tests go through it so every one of them tests routing.

The authorizer itself is not emulated here (infrastructure/local/gateway.py and the e2e tests
cover it): ``caller`` stands for the claims it let through, and a request without one reaches
the function with no claims, so the function's own refusal is what a test sees.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any
from urllib.parse import urlencode

from infrastructure.local.gateway import CompiledRoute, compile_routes, gateway_response, match, proxy_event
from tests.support.lambdas import sample_event

# What a browser behind CloudFront sends, as the committed sample events show it.
SOURCE_IP = "203.0.113.10"

Invoke = Callable[[str, dict[str, Any]], Any]
Query = Mapping[str, str | int | Sequence[str]]


@cache
def _routes() -> list[CompiledRoute]:
    return compile_routes()


def route(method: str, path: str) -> tuple[CompiledRoute, dict[str, str]] | None:
    """The manifest's route for ``method path`` (no stage prefix) and its path parameters."""
    return match(_routes(), method, path)


def _base_headers() -> dict[str, str]:
    headers: dict[str, str] = sample_event("health", "get_health")["headers"]
    return headers


def request_event(
    method: str,
    path: str,
    found: tuple[CompiledRoute, dict[str, str]],
    *,
    caller: Mapping[str, str] | None = None,
    body: Any = None,
    raw_body: str | None = None,
    headers: Mapping[str, str] | None = None,
    query: Query | None = None,
) -> dict[str, Any]:
    """The proxy event API Gateway sends for this request on ``found``."""
    sent = _base_headers()
    text = raw_body if raw_body is not None else (json.dumps(body) if body is not None else None)
    if text is not None:
        sent["Content-Type"] = "application/json"
    for name, value in (headers or {}).items():  # a header the test names wins, whatever its case
        sent = {k: v for k, v in sent.items() if k.lower() != name.lower()}
        sent[name] = value
    query_string = urlencode(query or {}, doseq=True)
    compiled, path_params = found
    claims = dict(caller) if caller is not None else None
    return proxy_event(method, path, compiled, path_params, query_string, sent, text, SOURCE_IP, claims)


def not_routed() -> dict[str, Any]:
    """What API Gateway answers for a method and path no route has, as a proxy response."""
    status, headers, payload = gateway_response("MISSING_AUTHENTICATION_TOKEN")
    return {"statusCode": status, "headers": headers, "body": payload.decode()}


def send(invoke: Invoke, event: dict[str, Any], *, function: str | None = None) -> Any:
    """Route an already-built proxy event (a committed sample, an event a test edited) by its
    method and path, as the stage would: the route decides the function, ``resource`` and the
    path parameters. ``function``, when given, is the one the caller expects the route to reach."""
    method, path = event["httpMethod"], event["path"]
    found = route(method, path)
    if found is None:
        return not_routed()
    compiled, path_params = found
    _expect(function, compiled, method, path)
    routed = copy.deepcopy(event)
    routed.update(resource=compiled.resource, pathParameters=path_params or None)
    routed["requestContext"] = {**(routed.get("requestContext") or {}), "resourcePath": compiled.resource}
    return invoke(compiled.function, routed)


def request(
    invoke: Invoke,
    method: str,
    path: str,
    *,
    function: str | None = None,
    caller: Mapping[str, str] | None = None,
    body: Any = None,
    raw_body: str | None = None,
    headers: Mapping[str, str] | None = None,
    query: Query | None = None,
) -> Any:
    """``method path`` through the stage: the manifest's function for it gets the proxy event."""
    found = route(method, path)
    if found is None:
        return not_routed()
    _expect(function, found[0], method, path)
    event = request_event(
        method, path, found, caller=caller, body=body, raw_body=raw_body, headers=headers, query=query
    )
    return invoke(found[0].function, event)


def _expect(function: str | None, compiled: CompiledRoute, method: str, path: str) -> None:
    if function is not None and compiled.function != function:
        raise AssertionError(
            f"{method} {path} is routed to {compiled.function} ({compiled.resource}), not to {function}"
        )
