"""The one way to call an outside HTTP service: timeouts, retries with jitter, a circuit breaker.

Every integration client (payments, KYC, bureau, fulfillment) builds on ``ResilientClient``
so each gets the same behaviour: bounded time per attempt, retries only for failures that a
retry can fix (connect errors, timeouts, 429, 5xx), ``Retry-After`` honoured, and a breaker
that stops hammering a dependency that is down. Callers that must not act twice send an
idempotency key, which is repeated unchanged on every retry.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


class DependencyError(RuntimeError):
    """The dependency failed in a way retries did not fix; the caller queues or reports it."""

    def __init__(self, service: str, message: str, *, status: int | None = None) -> None:
        super().__init__(f"{service}: {message}")
        self.service = service
        self.status = status


class CircuitOpen(DependencyError):
    """Calls are refused for a while after repeated failures, without touching the network."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    base_delay_s: float = 0.2
    max_delay_s: float = 5.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Full jitter (AWS architecture blog): spreads retries of many callers apart."""
        if retry_after is not None:
            return min(retry_after, self.max_delay_s)
        return random.uniform(0, min(self.max_delay_s, self.base_delay_s * 2**attempt))


@dataclass
class CircuitBreaker:
    failure_threshold: int = 5
    reset_after_s: float = 30.0
    clock: Callable[[], float] = time.monotonic
    _failures: int = field(default=0, init=False)
    _opened_at: float | None = field(default=None, init=False)

    def allow(self) -> bool:
        if self._opened_at is None:
            return True
        # Half-open: after the cool-down one trial call goes through.
        return self.clock() - self._opened_at >= self.reset_after_s

    def record_success(self) -> None:
        self._failures, self._opened_at = 0, None

    def record_failure(self) -> None:
        self._failures += 1
        if self._failures >= self.failure_threshold:
            self._opened_at = self.clock()


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


@dataclass
class ResilientClient:
    service: str
    base_url: str
    timeout: httpx.Timeout = field(default_factory=lambda: httpx.Timeout(5.0, connect=2.0))
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    breaker: CircuitBreaker = field(default_factory=CircuitBreaker)
    headers: Mapping[str, str] = field(default_factory=dict)
    sleep: Callable[[float], None] = time.sleep
    transport: httpx.BaseTransport | None = None
    _client: httpx.Client | None = field(default=None, init=False)

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                base_url=self.base_url,
                timeout=self.timeout,
                headers=dict(self.headers),
                transport=self.transport,
            )
        return self._client

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        idempotency_key: str | None = None,
    ) -> httpx.Response:
        """The response of the first attempt that is not retryable (2xx-4xx), else DependencyError."""
        if not self.breaker.allow():
            raise CircuitOpen(self.service, "circuit open after repeated failures")
        sent = dict(headers or {})
        if idempotency_key:
            sent["Idempotency-Key"] = idempotency_key
        last_error = "no attempt made"
        status: int | None = None
        for attempt in range(self.retry.attempts):
            retry_after = None
            try:
                response = self._http().request(method, path, json=json, headers=sent)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                last_error, status = f"{type(exc).__name__} on attempt {attempt + 1}", None
            else:
                if response.status_code not in RETRYABLE_STATUS:
                    self.breaker.record_success()
                    return response
                last_error, status = (
                    f"HTTP {response.status_code} on attempt {attempt + 1}",
                    response.status_code,
                )
                retry_after = _retry_after(response)
            if attempt + 1 < self.retry.attempts:
                self.sleep(self.retry.delay(attempt, retry_after))
        self.breaker.record_failure()
        raise DependencyError(self.service, last_error, status=status)


class BearerApi:
    """Base of the clients of APIs authenticated with ``Authorization: Bearer <api_key>``.

    Subclasses name their ``service`` (for errors and logs) and call ``self._http``.
    """

    service = "service"

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        transport: httpx.BaseTransport | None = None,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._http = ResilientClient(
            self.service,
            base_url.rstrip("/"),
            timeout=timeout or httpx.Timeout(5.0, connect=2.0),
            retry=retry or RetryPolicy(),
            headers={"Authorization": f"Bearer {api_key}"},
            sleep=sleep,
            transport=transport,
        )
