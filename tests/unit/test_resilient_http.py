"""The shared HTTP client: what is retried, what is not, the key repeated, the breaker."""

from __future__ import annotations

import httpx
import pytest

from salesportal.integrations.http import (
    CircuitBreaker,
    CircuitOpen,
    DependencyError,
    ResilientClient,
    RetryPolicy,
)


class Script:
    """A transport answering from a list, recording every request (no sockets)."""

    def __init__(self, *answers: int | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return httpx.Response(answer, json={"ok": answer < 400})


def _client(script: Script, **kwargs) -> tuple[ResilientClient, list[float]]:
    slept: list[float] = []
    client = ResilientClient(
        "gateway", "https://gateway.test", transport=httpx.MockTransport(script), sleep=slept.append, **kwargs
    )
    return client, slept


def test_a_5xx_then_success_is_retried_with_the_same_idempotency_key():
    script = Script(503, 200)
    client, slept = _client(script)
    assert client.request("POST", "/charges", json={}, idempotency_key="k-1").status_code == 200
    assert [r.headers["Idempotency-Key"] for r in script.requests] == ["k-1", "k-1"]
    assert len(slept) == 1


def test_a_timeout_is_retried():
    script = Script(httpx.ReadTimeout("slow"), 200)
    client, _ = _client(script)
    assert client.request("GET", "/x").status_code == 200


@pytest.mark.parametrize("status", [400, 402, 404, 409, 422])
def test_client_errors_are_answers_not_retried(status):
    script = Script(status)
    client, slept = _client(script)
    assert client.request("GET", "/x").status_code == status
    assert len(script.requests) == 1 and slept == []


def test_retry_after_is_honoured():
    script = Script(429, 200)
    script_answers = script.answers
    client, slept = _client(script)

    def with_header(request: httpx.Request) -> httpx.Response:
        script.requests.append(request)
        status = script_answers.pop(0)
        return httpx.Response(status, headers={"Retry-After": "2"} if status == 429 else {})

    client.transport = httpx.MockTransport(with_header)
    client.request("GET", "/x")
    assert slept == [2.0]


def test_exhausted_retries_raise_with_the_last_status():
    client, _ = _client(Script(500, 502, 503))
    with pytest.raises(DependencyError) as error:
        client.request("GET", "/x")
    assert error.value.status == 503 and "attempt 3" in str(error.value)


def test_the_breaker_opens_after_repeated_failures_and_half_opens_later():
    now = [0.0]
    breaker = CircuitBreaker(failure_threshold=2, reset_after_s=30, clock=lambda: now[0])
    script = Script(*([500] * 6), 200)
    client, _ = _client(script, breaker=breaker, retry=RetryPolicy(attempts=3))
    for _ in range(2):
        with pytest.raises(DependencyError):
            client.request("GET", "/x")
    calls = len(script.requests)
    with pytest.raises(CircuitOpen):
        client.request("GET", "/x")
    assert len(script.requests) == calls  # refused without touching the network
    now[0] = 31.0
    assert client.request("GET", "/x").status_code == 200


@pytest.mark.parametrize("attempt", range(6))
def test_backoff_is_bounded(attempt):
    policy = RetryPolicy(base_delay_s=0.5, max_delay_s=3)
    assert 0 <= policy.delay(attempt) <= min(3, 0.5 * 2**attempt)
