"""Identity verification (KYC): is the applicant who they say they are?

The application id is the reference and the idempotency key: a retried check is replayed
by the provider, not billed again. 4xx → ``RequestRejected``; outages → ``DependencyError``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from salesportal.integrations import checks
from salesportal.integrations.http import RetryPolicy, bearer_client


@dataclass(frozen=True)
class IdentityCheck:
    id: str
    verified: bool
    reasons: tuple[str, ...]


class IdentityVerifier(Protocol):
    def verify(self, *, reference: str, identity: Mapping[str, Any]) -> IdentityCheck: ...


class HttpIdentityVerifier:
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
        self._http = bearer_client(
            "kyc", base_url, api_key, transport=transport, retry=retry, timeout=timeout, sleep=sleep
        )

    def verify(self, *, reference: str, identity: Mapping[str, Any]) -> IdentityCheck:
        body = checks.post_json(
            self._http, "/v1/verifications", {"reference": reference, **identity}, reference=reference
        )
        return IdentityCheck(
            id=str(body["id"]),
            verified=body.get("status") == "verified",
            reasons=tuple(body.get("reasons") or ()),
        )
