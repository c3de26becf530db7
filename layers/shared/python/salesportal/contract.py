"""What a route promises beyond its types, stated beside the route for the OpenAPI document.

A route's decorator names its success statuses (with the headers sent on them) and the
refusals only it can answer; ``infrastructure/openapi.py`` adds what every operation shares
(the gateway's 401/403/429, malformed bodies and parameters) and the error body on each.
Request headers a handler reads itself (not through Powertools, so that it can answer its
own status for them) are declared with ``reads_headers``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse, OpenAPIResponseHeader

ERROR_SCHEMA = "#/components/schemas/Error"
REQUEST_HEADERS = "x-request-headers"  # moved into the operation's parameters by the builder

LOCATION: Mapping[str, OpenAPIResponseHeader] = {
    "Location": {
        "description": "The path (under the stage) of the resource this request created or started",
        "schema": {"type": "string", "pattern": "^/v1/"},
    }
}
ETAG: Mapping[str, OpenAPIResponseHeader] = {
    "ETag": {
        "description": "The representation's version; send it back as If-Match (or If-None-Match)",
        "schema": {"type": "string", "pattern": '^(W/)?"[^"]*"$'},
    }
}
CACHE_CONTROL: Mapping[str, OpenAPIResponseHeader] = {
    "Cache-Control": {
        "description": "How long an edge or browser cache may keep the answer",
        "schema": {"type": "string", "pattern": "^public, max-age=[0-9]+$"},
    }
}


def success(
    description: str, *, model: Any = None, headers: Mapping[str, OpenAPIResponseHeader] | None = None
) -> OpenAPIResponse:
    """A success answer. Without ``model`` its body is the route's return type; with it, the
    model documents a body the route builds itself (e.g. an edge-cacheable one)."""
    response: OpenAPIResponse = {"description": description}
    if model is not None:
        response["content"] = {"application/json": {"model": model}}
    if headers:
        # Every header listed is sent on every answer with this status.
        response["headers"] = {name: {**header, "required": True} for name, header in headers.items()}  # type: ignore[typeddict-unknown-key]
    return response


def not_modified(headers: Mapping[str, OpenAPIResponseHeader]) -> OpenAPIResponse:
    """304 to a conditional GET whose If-None-Match still matches: no body, same validators."""
    return {
        "description": "Not modified: the If-None-Match ETag is still current (no body)",
        "content": {},  # not the route's return type: a 304 has no body
        "headers": {name: {**header, "required": True} for name, header in headers.items()},  # type: ignore[typeddict-unknown-key]
    }


def refusals(errors: Mapping[int, str]) -> dict[int, OpenAPIResponse]:
    """Statuses only this route answers, each with the one error body and why it is sent."""
    return {
        status: {"description": why, "content": {"application/json": {"schema": {"$ref": ERROR_SCHEMA}}}}
        for status, why in errors.items()
    }


def request_header(
    name: str, description: str, *, pattern: str | None = None, required: bool = False
) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if pattern:
        schema["pattern"] = pattern
    return {"name": name, "in": "header", "required": required, "description": description, "schema": schema}


def reads_headers(*headers: dict[str, Any]) -> dict[str, Any]:
    """``openapi_extensions`` for a route that reads these request headers itself."""
    return {REQUEST_HEADERS: list(headers)}
