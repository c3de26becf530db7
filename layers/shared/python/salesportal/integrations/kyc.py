"""Identity verification (KYC): is the applicant who they say they are?

The application id is the reference and the idempotency key: a retried check is replayed
by the provider, not billed again. A 4xx raises ``checks.RequestRejected`` (a ``DependencyError``
that retrying will not fix); 5xx, timeouts and connection failures, after retries, ``DependencyError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from salesportal.integrations import checks
from salesportal.integrations.http import BearerApi


@dataclass(frozen=True)
class IdentityCheck:
    id: str
    verified: bool
    reasons: tuple[str, ...]


class IdentityVerifier(Protocol):
    def verify(self, *, reference: str, identity: Mapping[str, Any]) -> IdentityCheck: ...


class HttpIdentityVerifier(BearerApi):
    service = "kyc"

    def verify(self, *, reference: str, identity: Mapping[str, Any]) -> IdentityCheck:
        body = checks.post_json(
            self._http, "/v1/verifications", {**identity, "reference": reference}, reference=reference
        )
        return IdentityCheck(
            id=str(body["id"]),
            verified=body.get("status") == "verified",
            reasons=tuple(body.get("reasons") or ()),
        )
