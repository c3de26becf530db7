"""What the API answers when a request never reaches a function: API Gateway's gateway
responses and the WAF's rate-limit response, in the project's error shape with CORS headers.

One table, read by the CDK constructs (api.py declares the gateway responses, waf.py the
rate rules' custom response) and by the offline gateway emulator, so both answer the same
status, body and headers. Bodies are fixed JSON: the deployed template is exactly the bytes
the emulator sends.

CORS: API Gateway cannot echo a listed Origin in a gateway response (its header values are
literals or request parameters, with no condition), so these answers name one origin, the
portal's primary one (``all_headers(origin)``), with ``Vary: Origin``; never ``*``. A browser
on another listed origin meets a gateway-made 401, 403 or 429 without a matching
Access-Control-Allow-Origin, so the portal there sees a network error instead of the error
body. The API's own answers (salesportal.http) echo every listed origin.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# The headers a browser may send (the preflight's answer) and the CORS headers every
# gateway-made answer carries, or a browser hides a 401 or 429 from the portal's code (and
# its Retry-After, unless exposed).
CORS_ALLOW_HEADERS = ("Authorization", "Content-Type", "Idempotency-Key", "If-Match", "If-None-Match")


def cors_headers(origin: str | None) -> dict[str, str]:
    """The CORS headers of a gateway-made answer for the portal's primary ``origin``; none
    without an origin (no browser may read the answer then, rather than every one)."""
    if not origin:
        return {}
    assert origin != "*" and "'" not in origin, origin  # a quoted literal in the template
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Headers": ",".join(CORS_ALLOW_HEADERS),
        "Vary": "Origin",
    }


# The stage's throttle (API Gateway answers THROTTLED beyond it), for every caller together.
STAGE_RATE_LIMIT = 100  # requests per second, on average
STAGE_BURST_LIMIT = 200


@dataclass(frozen=True)
class ErrorResponse:
    """``status`` None keeps the status of the error that occurred (the DEFAULT_* fallbacks)."""

    status: int | None
    code: str
    message: str
    headers: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The body is a mapping template: "$" and "#" would be Velocity syntax there.
        assert not {"$", "#", '"', "\\"} & set(self.code + self.message), self

    @property
    def body(self) -> str:
        """The exact bytes (as text) of the body: the template API Gateway is given."""
        error = {"code": self.code, "message": self.message, "details": None}
        return json.dumps({"error": error}, separators=(",", ":"))

    def all_headers(self, origin: str | None) -> dict[str, str]:
        """Every header of this answer, readable by a browser on ``origin`` (the portal's primary)."""
        cors = cors_headers(origin)
        exposed = (
            {"Access-Control-Expose-Headers": "Retry-After"} if cors and "Retry-After" in self.headers else {}
        )
        return {**cors, **exposed, **self.headers}


# API Gateway's response types (https://docs.aws.amazon.com/apigateway/latest/developerguide/
# supported-gateway-response-types.html). Each named one keeps API Gateway's default status.
GATEWAY_RESPONSES: Mapping[str, ErrorResponse] = MappingProxyType(
    {
        # The Cognito authorizer refused the token: missing, expired, forged, another pool's.
        "UNAUTHORIZED": ErrorResponse(401, "unauthorized", "Missing or invalid token; sign in again."),
        "ACCESS_DENIED": ErrorResponse(403, "forbidden", "Access denied."),
        # No resource and method match: API Gateway says 403, not 404, before any auth.
        "MISSING_AUTHENTICATION_TOKEN": ErrorResponse(
            403, "unknown_route", "No route matches this method and path."
        ),
        # A WAF rule without a custom response (the managed SQLi and common rule sets).
        "WAF_FILTERED": ErrorResponse(403, "waf_blocked", "Request blocked by the web application firewall."),
        "THROTTLED": ErrorResponse(429, "throttled", "Too many requests; retry later.", {"Retry-After": "1"}),
        "REQUEST_TOO_LARGE": ErrorResponse(413, "payload_too_large", "The request body is too large."),
        "INTEGRATION_TIMEOUT": ErrorResponse(
            504, "timeout", "The request took too long; it may or may not have been applied."
        ),
        "DEFAULT_4XX": ErrorResponse(None, "bad_request", "The request was refused."),
        "DEFAULT_5XX": ErrorResponse(None, "internal_error", "Internal server error."),
    }
)

# The WAF's rate-based rules (per source IP, and the stricter per-route ones) block with this
# custom response rather than WAF_FILTERED's 403: a client that is told 429 backs off.
WAF_RATE_LIMITED_KEY = "RateLimited"
WAF_RATE_LIMITED = ErrorResponse(
    429, "rate_limited", "Too many requests from this address; retry later.", {"Retry-After": "60"}
)
