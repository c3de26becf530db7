"""OpenAI chat completions behind the ``ChatModel`` port, through the ``openai`` SDK at a base URL.

The base URL is configuration (OpenAI, a compatible provider, or the offline stand-in): no
code path knows which. The SDK costs ~700 ms to import, so it is imported on the first
completion, never with this module. Its own retries are off: the queue retries a failed
message with a growing delay across invocations instead.

Failures come out as two kinds: ``ProviderUnavailable`` (429, 5xx, timeout, no connection:
the same request may succeed later) and ``ProviderRefused`` (any other 4xx: it would fail
the same way again).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from salesportal.domain.assistant import Answer, ChatMessage

if TYPE_CHECKING:
    from openai import OpenAI
    from openai.types.chat import ChatCompletionMessageParam


class ProviderUnavailable(Exception):
    """The provider may answer later (429, 5xx, timeout, no connection)."""


class ProviderRefused(Exception):
    """The provider refused this request (a 4xx other than 429); retrying would not help."""

    def __init__(self, status_code: int) -> None:
        super().__init__(f"HTTP {status_code}")
        self.status_code = status_code


class ChatModel(Protocol):
    def complete(self, messages: Sequence[ChatMessage]) -> Answer: ...


@lru_cache(maxsize=4)
def _client(base_url: str, api_key: str, timeout_s: float) -> OpenAI:
    # Keyed on the key itself: a rotated key (salesportal.secrets re-reads it) builds a new
    # client, and the warm connection pool is reused while the key stays the same.
    from openai import OpenAI

    return OpenAI(api_key=api_key, base_url=base_url, timeout=timeout_s, max_retries=0)


def _message(message: ChatMessage) -> ChatCompletionMessageParam:
    if message.role == "system":
        return {"role": "system", "content": message.content}
    return {"role": "user", "content": message.content}


@dataclass(frozen=True)
class OpenAIChat:
    base_url: str
    api_key: str
    model: str
    timeout_s: float = 30.0

    def complete(self, messages: Sequence[ChatMessage]) -> Answer:
        import openai

        client = _client(self.base_url, self.api_key, self.timeout_s)
        started = time.perf_counter()
        try:
            completion = client.chat.completions.create(
                model=self.model,
                messages=[_message(m) for m in messages],
            )
        except (
            openai.RateLimitError,
            openai.InternalServerError,
            openai.APITimeoutError,
            openai.APIConnectionError,
        ) as exc:
            status = getattr(exc, "status_code", "") or "no response"
            raise ProviderUnavailable(f"{type(exc).__name__}: {status}") from exc
        except openai.APIStatusError as exc:
            raise ProviderRefused(exc.status_code) from exc
        usage = completion.usage
        return Answer(
            text=completion.choices[0].message.content or "",
            model=completion.model,
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
            total_tokens=usage.total_tokens if usage else 0,
            latency_ms=int((time.perf_counter() - started) * 1000),
        )
