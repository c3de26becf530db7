"""Secrets Manager values (JSON objects), read on first use and kept for a few minutes.

Kept briefly rather than forever so a rotated credential reaches warm functions without
a deploy; one GetSecretValue per secret per five minutes per process.
"""

from __future__ import annotations

import json
import time
from typing import Any

from salesportal import aws

TTL_S = 300.0
_cache: dict[str, tuple[float, dict[str, Any]]] = {}


def get_json(secret_id: str) -> dict[str, Any]:
    cached = _cache.get(secret_id)
    if cached and time.monotonic() - cached[0] < TTL_S:
        return cached[1]
    raw = aws.client("secretsmanager").get_secret_value(SecretId=secret_id)["SecretString"]
    value: dict[str, Any] = json.loads(raw)
    _cache[secret_id] = (time.monotonic(), value)
    return value


def reset() -> None:
    _cache.clear()
