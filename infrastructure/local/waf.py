"""WAF-like request inspection and per-client rate limiting for the local API Gateway.

A stand-in for the AWS managed SQLi and common rule sets and the rate-based rule: the
same requests a deployed stage would refuse are refused here, so tests see 403 and 429.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote_plus

_SQLI = re.compile(
    r"('|%27)\s*(or|and)\s+[\w'\"]+\s*=\s*[\w'\"]+"
    r"|\bunion\b\s+(all\s+)?\bselect\b"
    r"|;\s*(drop|delete|insert|update|alter|truncate)\s"
    r"|\b(sleep|benchmark|pg_sleep)\s*\("
    r"|'\s*--|\bor\b\s+1\s*=\s*1",
    re.IGNORECASE,
)
_XSS = re.compile(
    r"<\s*script\b|javascript\s*:|\bon(error|load|click|mouseover)\s*=|<\s*iframe\b", re.IGNORECASE
)


def blocked_reason(*parts: str | None) -> str | None:
    """``"sqli"`` or ``"xss"`` when any part of the request matches a rule, else None."""
    for part in parts:
        if not part:
            continue
        text = unquote_plus(part)
        if _SQLI.search(text):
            return "sqli"
        if _XSS.search(text):
            return "xss"
    return None


@dataclass
class RateLimiter:
    """A token bucket per client: ``rate`` requests per second on average, ``burst`` at once."""

    rate: float
    burst: float
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allow(self, client: str) -> bool:
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens < 1:
                self._buckets[client] = (tokens, now)
                return False
            self._buckets[client] = (tokens - 1, now)
            return True
