"""Signed webhooks (Stripe's scheme): ``t=<unix>,v1=<hex HMAC-SHA256(secret, "t.body")>``.

The timestamp is signed with the body, so a captured request cannot be replayed after the
tolerance; comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any


class InvalidSignature(Exception):
    """The request is not provably from the gateway: refuse it without acting on it."""


def _digest(payload: bytes, secret: str, timestamp: int) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """The ``Stripe-Signature`` header value for ``payload`` sent at ``timestamp``."""
    return f"t={timestamp},v1={_digest(payload, secret, timestamp)}"


def verify(
    payload: bytes, header: str | None, secret: str, *, now: int, tolerance_s: int = 300
) -> dict[str, Any]:
    """The event in ``payload`` if ``header`` signs it with ``secret`` within ``tolerance_s`` of ``now``."""
    if not header:
        raise InvalidSignature("no signature header")
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        parts.setdefault(key, []).append(value)
    try:
        timestamp = int(parts["t"][0])
    except (KeyError, ValueError):
        raise InvalidSignature("no valid timestamp") from None
    if abs(now - timestamp) > tolerance_s:
        raise InvalidSignature("timestamp outside the tolerance")
    expected = _digest(payload, secret, timestamp)
    if not any(hmac.compare_digest(expected, candidate) for candidate in parts.get("v1", [])):
        raise InvalidSignature("no matching v1 signature")
    try:
        event = json.loads(payload)
    except ValueError:
        raise InvalidSignature("the signed body is not JSON") from None
    if not isinstance(event, dict):
        raise InvalidSignature("the signed body is not a JSON object")
    return event
