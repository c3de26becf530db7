"""The REST resolver factory: validation on, CORS, a body-size limit and one error map.

Every API handler starts with ``app = rest_resolver()``; every error a client can cause
leaves through ``_error_response`` in the shape ``{"error": {"code", "message", "details"}}``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import re
from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from salesportal import access
from salesportal.auth import Principal, principal_from_event, require
from salesportal.config import Settings, load
from salesportal.data.dynamo import InvalidCursor
from salesportal.errors import (
    AppError,
    BadRequest,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
    UnsupportedMediaType,
)
from salesportal.observability import logger

MAX_BODY_BYTES = 64 * 1024
# No request body of this API nests more than a few levels; Python's decoder gives up with a
# RecursionError near 1,000 and pydantic and the serializers recurse too, so refuse far earlier.
MAX_JSON_DEPTH = 32
# Longer than any amount, count or version a client sends, and no more digits than DynamoDB keeps;
# Python refuses to convert integers of more than 4,300 (a ValueError, not a JSON error).
MAX_NUMBER_CHARS = 38

CORS_ALLOW_HEADERS = ["Authorization", "Content-Type", "Idempotency-Key", "If-Match", "If-None-Match"]
CORS_EXPOSE_HEADERS = ["ETag", "Location", "Retry-After"]  # a 429 says when to come back


class CorsSettings(Settings):
    """``ALLOWED_ORIGINS``: the portal's origins, comma-separated (the list the API's
    preflight admits, set on every API function by the stack)."""

    allowed_origins: str = ""


def allowed_origins() -> frozenset[str]:
    """The origins whose browsers may read this API's answers; none when unset."""
    listed = load(CorsSettings).allowed_origins
    return frozenset(origin.strip() for origin in listed.split(",") if origin.strip())


class PortalCors(CORSConfig):
    """CORS for the configured portal origins only: a listed ``Origin`` is echoed, any other
    (or none) gets no ``Access-Control-Allow-Origin`` at all, never ``*``. The origins are
    read on the first request, not at import (the resolver is built at import).

    Tokens, not cookies, carry identity, so ``*`` would not leak a session; but it would let
    any site's script read a signed-in customer's answers with a token it obtained."""

    def __init__(self) -> None:
        # Powertools' own list stays empty of real origins: every decision is made below.
        super().__init__(
            allow_origin="", allow_headers=CORS_ALLOW_HEADERS, expose_headers=CORS_EXPOSE_HEADERS, max_age=600
        )

    def allowed_origin(self, extracted_origin: str | None) -> str | None:
        return extracted_origin if extracted_origin and extracted_origin in allowed_origins() else None

    def to_dict(self, origin: str | None) -> dict[str, str]:
        if not origin or origin not in allowed_origins():
            return {}
        return {
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Headers": CORSConfig.build_allow_methods(self.allow_headers),
            "Access-Control-Expose-Headers": ",".join(self.expose_headers),
            "Access-Control-Max-Age": str(self.max_age),
        }


_CORS = PortalCors()


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response[str]:
    return Response(
        status_code=status,
        content_type="application/json",
        body=json.dumps(body, separators=(",", ":"), default=str),
        headers=headers,
    )


def _error_response(status: int, code: str, message: str, details: Any = None) -> Response[str]:
    return json_response(status, {"error": {"code": code, "message": message, "details": details}})


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Pydantic's errors, reduced to what a client needs: which field, what is wrong."""
    return [
        {
            "field": ".".join(str(part) for part in err.get("loc", ()) if part != "body") or "body",
            "location": str(err.get("loc", ("body",))[0]),
            "message": err.get("msg", "invalid"),
            "type": err.get("type", "invalid"),
        }
        for err in exc.errors()
    ]


def _malformed(message: str, code: str = "malformed_json") -> BadRequest:
    return BadRequest(message, code=code)


def _number(text: str) -> int | float:
    if len(text.lstrip("-")) > MAX_NUMBER_CHARS:
        raise _malformed(
            f"A number in the request body is longer than {MAX_NUMBER_CHARS} characters.", "number_too_long"
        )
    value = float(text) if any(c in text for c in ".eE") else int(text)
    if isinstance(value, float) and not math.isfinite(value):
        raise _malformed("A number in the request body is out of range.", "number_too_long")
    return value


def _constant(name: str) -> Any:
    raise _malformed(f"{name} is not a JSON value.")


_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(rb"[\[\]{}]")


def _nests_too_deep(raw: bytes) -> bool:
    """Whether the brackets outside strings open deeper than MAX_JSON_DEPTH, decided before
    parsing: a deep body that is also broken is refused as too deep on every Python version
    (the decoder's recursion limit differs between them)."""
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub(b"", raw)):
        depth += 1 if bracket.group() in (b"[", b"{") else -1
        if depth > MAX_JSON_DEPTH:
            return True
    return False


def parse_json(text: str | bytes) -> Any:
    """A request body as JSON, or BadRequest: the one parser every body goes through.

    Beyond syntax it bounds what would otherwise surface as a 500 further in: nesting
    (RecursionError in the decoder, pydantic or a serializer) and number length (Python's
    integer-conversion limit, floats that overflow to infinity, DynamoDB's 38 digits).
    """
    if _nests_too_deep(text.encode() if isinstance(text, str) else text):
        raise _malformed(f"The request body nests deeper than {MAX_JSON_DEPTH} levels.", "json_too_deep")
    # Nesting is bounded by the scan above (exact for valid JSON), so the decoder cannot recurse
    # far enough to raise RecursionError.
    try:
        return json.loads(text, parse_int=_number, parse_float=_number, parse_constant=_constant)
    except (ValueError, UnicodeDecodeError):  # JSONDecodeError is a ValueError
        raise _malformed("The request body is not valid JSON.") from None


def _refusal(event: Mapping[str, Any]) -> AppError | None:
    """What is wrong with a request body before any handler or validator reads it, if anything."""
    body = event.get("body")
    if body is None or body == "":
        return None
    if len(body) > MAX_BODY_BYTES:
        return PayloadTooLarge(f"The request body exceeds {MAX_BODY_BYTES} bytes.")
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    media_type = (headers.get("content-type") or "").split(";")[0].strip().lower()
    if media_type != "application/json":
        return UnsupportedMediaType("Send the request body as application/json.")
    try:
        parse_json(base64.b64decode(body, validate=True) if event.get("isBase64Encoded") else body)
    except binascii.Error:
        return _malformed("The request body is not valid base64.")
    except AppError as refused:
        return refused
    return None


class _Resolver(APIGatewayRestResolver):
    """Checks the caller against the route's access level (``salesportal.access``: the
    manifest's statement), then refuses oversize, non-JSON and unbounded bodies, before
    Powertools validates anything (its validation runs before any middleware): a caller
    without the role gets 401/403, never a 422 that describes the API to them."""

    def resolve(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        error = _refusal(event)
        if event.get("httpMethod") != "OPTIONS":
            error = _access_refusal(event) or error
        if error is not None:
            origin = {str(k).lower(): v for k, v in (event.get("headers") or {}).items()}.get("origin")
            answer: dict[str, Any] = {
                "statusCode": error.status,
                "headers": {"Content-Type": "application/json", **_CORS.to_dict(origin)},
                "body": json.dumps(error.body()),
                "isBase64Encoded": False,
            }
        else:
            answer = super().resolve(event, context)
        return _varies_by_origin(answer)


def _access_refusal(event: Mapping[str, Any]) -> AppError | None:
    """Why the caller may not call this route, if they may not. A route the manifest does
    not name is not served (404), whatever a handler module happens to register."""
    route = access.route_of(event)
    if route is None:
        return NotFound("No such route.", code="route_not_found")
    if route.minimum is None:
        return None
    try:
        require(event, route.minimum)
    except AppError as refused:
        return refused
    return None


def _varies_by_origin(answer: dict[str, Any]) -> dict[str, Any]:
    """Every answer says ``Vary: Origin``: whether it carries Access-Control-Allow-Origin
    depends on the caller's Origin, so a cache must not hand one origin's copy to another."""
    multi = answer.get("multiValueHeaders")
    if multi is not None:
        vary = multi.setdefault("Vary", [])
        if "Origin" not in vary:
            vary.append("Origin")
    else:
        answer.setdefault("headers", {})["Vary"] = "Origin"
    return answer


def rest_resolver() -> APIGatewayRestResolver:
    """The resolver of one API function. Who may call each route is the manifest's to say
    (``salesportal.access``), checked before anything else."""
    # Bodies were vetted in resolve(); Powertools' own parse (in its validation middleware)
    # and any handler's go through the same parser, so no read of a body escapes its bounds.
    app = _Resolver(enable_validation=True, cors=_CORS, json_body_deserializer=parse_json)

    @app.exception_handler(AppError)  # type: ignore[untyped-decorator]
    def app_error(exc: AppError) -> Response[str]:
        logger.info("request refused", extra={"status": exc.status, "code": exc.code})
        return json_response(exc.status, exc.body(), headers=exc.headers or None)

    @app.exception_handler(InvalidCursor)  # type: ignore[untyped-decorator]
    def invalid_cursor(exc: InvalidCursor) -> Response[str]:
        return _error_response(400, "invalid_next_token", str(exc))

    @app.exception_handler(RequestValidationError)  # type: ignore[untyped-decorator]
    def validation_error(exc: RequestValidationError) -> Response[str]:
        details = _field_errors(exc)
        if any(d["type"] == "json_invalid" for d in details):
            return _error_response(400, "malformed_json", "The request body is not valid JSON.")
        fields = ", ".join(sorted({d["field"] for d in details}))
        if all(d["location"] == "query" for d in details):
            # A malformed query parameter is a bad request line, not an unprocessable body.
            return _error_response(400, "invalid_parameter", f"Invalid parameter: {fields}.", details)
        return _error_response(422, "validation_error", f"Invalid input: {fields}.", details)

    @app.not_found
    def route_not_found(_: NotFoundError) -> Response[str]:
        return _error_response(404, "route_not_found", "No such route.")

    @app.exception_handler(Exception)  # type: ignore[untyped-decorator]
    def unexpected(exc: Exception) -> Response[str]:
        logger.exception("unhandled error")
        return _error_response(500, "internal_error", "Something went wrong on our side.")

    return app


def cacheable(app: APIGatewayRestResolver, body: Any, *, max_age_s: int) -> Response[str]:
    """A public GET response an edge cache may keep: ``Cache-Control``, a strong ``ETag`` of
    the body, and 304 (no body) when the client's ``If-None-Match`` already has it."""
    payload = json.dumps(body, separators=(",", ":"), sort_keys=True, default=str)
    etag = '"' + hashlib.sha256(payload.encode()).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={max_age_s}"}
    presented = header(app, "If-None-Match")
    if presented and (
        presented.strip() == "*" or etag in {t.strip().removeprefix("W/") for t in presented.split(",")}
    ):
        return Response(status_code=304, headers=headers, body="")
    return Response(status_code=200, content_type="application/json", body=payload, headers=headers)


def caller(app: APIGatewayRestResolver) -> Principal:
    """The authenticated caller of the current request; the resolver has already checked
    their role against the route's access level."""
    principal = principal_from_event(app.current_event.raw_event)
    if principal is None:  # only a public route gets here without one
        raise Unauthorized("Sign in to use this resource.")
    return principal


def header(app: APIGatewayRestResolver, name: str) -> str | None:
    """A request header by name; Powertools' header mapping is case-insensitive."""
    value: str | None = app.current_event.headers.get(name)
    return value
