"""The local API Gateway: HTTP in, REST proxy events out, with the authorizer and WAF in front.

Behaves like the deployed stage (``/v1``): the WAF rules and its per-address rate limits run
first, then the stage's throttle, then routing from the manifest, then the Cognito user-pool
authorizer on every non-public route (RS256 signature against the pool's JWKS, issuer,
audience, expiry, ``token_use=id``), then the function named by the manifest receives a
real-shaped proxy event. What the gateway answers itself comes from the same table as the
template's gateway responses (infrastructure.gateway_responses): same status, body, headers.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt

from infrastructure import manifest
from infrastructure.gateway_responses import (
    CORS_ALLOW_HEADERS,
    GATEWAY_RESPONSES,
    STAGE_BURST_LIMIT,
    STAGE_RATE_LIMIT,
    WAF_RATE_LIMITED,
    ErrorResponse,
)
from infrastructure.local.lambdas import ACCOUNT
from infrastructure.local.waf import RateLimiter, blocked_reason

STAGE = "v1"
MAX_BODY_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit
# API Gateway keeps an idle keep-alive connection for minutes; clients' pools close theirs first.
IDLE_TIMEOUT_S = 300
BODY_TIMEOUT_S = 10  # a client that promises a body and never sends it is cut off


@dataclass(frozen=True)
class CompiledRoute:
    function: str
    method: str
    resource: str
    access: manifest.Access
    pattern: re.Pattern[str]


def compile_routes() -> list[CompiledRoute]:
    compiled = []
    for fn, route in manifest.routes():
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(route.path))
        compiled.append(
            CompiledRoute(fn.name, route.method, route.path, route.access, re.compile(f"^{regex}$"))
        )
    # Literal segments beat parameters, as in API Gateway (/plans/search before /plans/{id}).
    compiled.sort(key=lambda r: r.resource.count("{"))
    return compiled


def match(routes: list[CompiledRoute], method: str, path: str) -> tuple[CompiledRoute, dict[str, str]] | None:
    """The route for a request, or None. A path that exists with another method is also None."""
    for route in routes:
        found = route.pattern.match(path)
        if found and route.method == method:
            return route, found.groupdict()
    return None


class Authorizer:
    """What API Gateway's CognitoUserPoolsAuthorizer checks, with the same outcomes."""

    def __init__(self, jwks_url: str, issuer: str, audience: str) -> None:
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True)
        self._issuer = issuer
        self._audience = audience

    def claims(self, header: str | None) -> dict[str, Any] | None:
        if not header:
            return None
        token = header.removeprefix("Bearer ").strip()
        try:
            key = self._jwks.get_signing_key_from_jwt(token)
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                audience=self._audience,
                issuer=self._issuer,
                options={"require": ["exp", "iss", "sub", "token_use"]},
            )
        except jwt.PyJWTError:
            return None
        return claims if claims.get("token_use") == "id" else None


def _claims_as_api_gateway_sends_them(claims: dict[str, Any]) -> dict[str, str]:
    """The REST authorizer flattens claims to strings; groups become "a,b"."""
    flat = {}
    for key, value in claims.items():
        flat[key] = ",".join(value) if isinstance(value, list) else str(value)
    return flat


Invoke = Callable[[str, dict[str, Any]], Any]


class Gateway:
    def __init__(
        self,
        invoke: Invoke,
        authorizer: Authorizer,
        rate_limiter: RateLimiter,
        control: Callable[[str, str, bytes], tuple[int, Any]] | None = None,
    ) -> None:
        self.invoke = invoke
        self.authorizer = authorizer
        self.rate_limiter = rate_limiter
        # The portal's origins, as the deployed preflight admits them (context allowedOrigins
        # plus the portal's domain), the primary one first; empty admits none.
        self.allowed_origins: tuple[str, ...] = ()
        self.control = control
        # The stage's throttle: every caller together, as API Gateway counts it. Never stricter
        # than the per-address limit: a run that lifts that one (a fuzzer) lifts this too.
        self.stage_limiter = RateLimiter(
            max(STAGE_RATE_LIMIT, rate_limiter.rate), max(STAGE_BURST_LIMIT, rate_limiter.burst)
        )
        self.routes = compile_routes()
        # The manifest's stricter per-route limits, as the WAF's scoped rate rules apply them.
        self.route_limiters: dict[tuple[str, str], RateLimiter] = {
            (r.method, r.path): RateLimiter(r.rate_limit_per_5min / 300, max(1.0, r.rate_limit_per_5min / 4))
            for _fn, r in manifest.routes()
            if r.rate_limit_per_5min
        }

    @property
    def primary_origin(self) -> str | None:
        """The one origin the gateway's own answers name, as the template's (gateway_responses.py)."""
        return self.allowed_origins[0] if self.allowed_origins else None

    def handle(
        self, method: str, raw_path: str, headers: dict[str, str], body: bytes, source_ip: str
    ) -> tuple[int, dict[str, str], bytes]:
        url = urlsplit(raw_path)
        origin = self.primary_origin
        if url.path.startswith("/_local/") and self.control:
            try:
                status, payload = self.control(method, url.path, body)
            except Exception as exc:  # e.g. a Cognito trigger timed out: answer, never hang up
                traceback.print_exc()
                error = {"code": "control_failed", "message": f"{type(exc).__name__}: {exc}", "details": None}
                status, payload = 500, {"error": error}
            return status, {"Content-Type": "application/json"}, json.dumps(payload).encode()
        if len(body) > MAX_BODY_BYTES:
            return gateway_response("REQUEST_TOO_LARGE", origin=origin)
        text = body.decode("utf-8", errors="replace") if body else None
        if blocked_reason(url.path, url.query, text):
            return gateway_response("WAF_FILTERED", origin=origin)
        # The WAF's rate rules aggregate on the connection's address (aggregate_key_type IP),
        # never on a header the client writes: a new X-Forwarded-For per request is the same
        # caller. (The proxy event still shows the header, as API Gateway passes it on.)
        client = source_ip
        prefix = f"/{STAGE}"
        staged = url.path == prefix or url.path.startswith(prefix + "/")
        path = url.path[len(prefix) :] or "/"
        found = match(self.routes, method, path) if staged else None
        # The scoped rules match method and path on the stage, so they apply to known routes only.
        strict = self.route_limiters.get((found[0].method, found[0].resource)) if found else None
        if not self.rate_limiter.allow(client) or (strict is not None and not strict.allow(client)):
            return render(WAF_RATE_LIMITED, origin=origin)
        if not self.stage_limiter.allow("stage"):
            return gateway_response("THROTTLED", origin=origin)
        if not staged:
            return gateway_response("MISSING_AUTHENTICATION_TOKEN", origin=origin)
        if method == "OPTIONS":
            caller = {k.lower(): v for k, v in headers.items()}.get("origin", "")
            return 204, _cors_preflight(self.allowed_origins, caller), b""
        if found is None:
            # API Gateway answers an unknown resource or method this way, before any auth.
            return gateway_response("MISSING_AUTHENTICATION_TOKEN", origin=origin)
        route, path_params = found
        claims = None
        if route.access is not manifest.Access.PUBLIC:
            lower = {k.lower(): v for k, v in headers.items()}
            claims = self.authorizer.claims(lower.get("authorization"))
            if claims is None:
                return gateway_response("UNAUTHORIZED", origin=origin)
        event = proxy_event(method, path, route, path_params, url.query, headers, text, source_ip, claims)
        try:
            result = self.invoke(route.function, event)
        except Exception:
            return gateway_response("DEFAULT_5XX", 502, origin=origin)  # a function error: Lambda's 502
        return _response(result, origin)


def proxy_event(
    method: str,
    path: str,
    route: CompiledRoute,
    path_params: dict[str, str],
    query: str,
    headers: dict[str, str],
    body: str | None,
    source_ip: str,
    claims: dict[str, Any] | None,
) -> dict[str, Any]:
    multi_query = parse_qs(query, keep_blank_values=True) if query else {}
    context: dict[str, Any] = {
        "accountId": ACCOUNT,
        "apiId": "local",
        "resourceId": "local",
        "resourcePath": route.resource,
        "httpMethod": method,
        "path": f"/{STAGE}{path}",
        "stage": STAGE,
        "protocol": "HTTP/1.1",
        "requestId": str(uuid.uuid4()),
        "requestTimeEpoch": int(time.time() * 1000),
        "domainName": headers.get("Host", "127.0.0.1"),
        "identity": {"sourceIp": source_ip, "userAgent": headers.get("User-Agent")},
    }
    if claims is not None:
        context["authorizer"] = {"claims": _claims_as_api_gateway_sends_them(claims)}
    return {
        "resource": route.resource,
        "path": path,
        "httpMethod": method,
        "headers": headers or None,
        "multiValueHeaders": {k: [v] for k, v in headers.items()} or None,
        "queryStringParameters": {k: v[-1] for k, v in multi_query.items()} or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": path_params or None,
        "stageVariables": None,
        "requestContext": context,
        "body": body,
        "isBase64Encoded": False,
    }


Answer = tuple[int, dict[str, str], bytes]


def render(response: ErrorResponse, status: int | None = None, *, origin: str | None = None) -> Answer:
    """The answer API Gateway (or the WAF) sends for ``response``: its template, byte for byte,
    readable by the portal's primary ``origin`` only."""
    code = response.status or status
    assert code is not None, "a DEFAULT_* response needs the status of the error that occurred"
    return code, {"Content-Type": "application/json", **response.all_headers(origin)}, response.body.encode()


def gateway_response(response_type: str, status: int | None = None, *, origin: str | None = None) -> Answer:
    return render(GATEWAY_RESPONSES[response_type], status, origin=origin)


def _cors_preflight(allowed: tuple[str, ...] = (), origin: str = "") -> dict[str, str]:
    # As CDK's preflight for several origins: the caller's when listed, else the first listed
    # (which the browser then refuses for any other page). No origin listed admits none.
    if not allowed:
        return {}
    return {
        "Access-Control-Allow-Origin": origin if origin in allowed else allowed[0],
        "Vary": "Origin",
        "Access-Control-Allow-Methods": "GET,POST,PUT,PATCH,DELETE,OPTIONS",
        "Access-Control-Allow-Headers": ",".join(CORS_ALLOW_HEADERS),
        "Access-Control-Max-Age": "600",
    }


def _response(result: Any, origin: str | None = None) -> Answer:
    if not isinstance(result, dict) or "statusCode" not in result:
        return gateway_response("DEFAULT_5XX", 502, origin=origin)  # a malformed proxy response
    headers = {k: str(v) for k, v in (result.get("headers") or {}).items()}
    for key, values in (result.get("multiValueHeaders") or {}).items():
        headers[key] = ",".join(str(v) for v in values)
    body = result.get("body") or ""
    payload = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
    return int(result["statusCode"]), headers, payload


def serve(gateway: Gateway, host: str, port: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out as two writes: avoid 40 ms stalls

        timeout = IDLE_TIMEOUT_S  # between requests on a keep-alive connection

        def _handle(self) -> None:
            try:
                length = int(self.headers.get("Content-Length") or 0)
                if length < 0:
                    raise ValueError(length)
                self.connection.settimeout(BODY_TIMEOUT_S)
                body = self.rfile.read(length) if length else b""
                if len(body) < length:
                    raise ValueError("body shorter than Content-Length")
            except (ValueError, TimeoutError):
                # API Gateway (CloudFront in front of it) refuses such a request outright.
                self.close_connection = True
                status, headers, payload = gateway_response("DEFAULT_4XX", 400, origin=gateway.primary_origin)
            else:
                status, headers, payload = gateway.handle(
                    self.command, self.path, dict(self.headers.items()), body, self.client_address[0]
                )
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
            self.connection.settimeout(IDLE_TIMEOUT_S)

        def __getattr__(self, name: str) -> Any:
            # Every method reaches the gateway (API Gateway answers unknown ones with 403).
            if name.startswith("do_"):
                return self._handle
            raise AttributeError(name)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the functions log each request with its correlation id

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="api-gateway", daemon=True).start()
    return server
