"""The underwriting bureau: a risk score (0-1000), a band and reason codes for an applicant."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from salesportal.integrations import checks
from salesportal.integrations.http import RetryPolicy, bearer_client


@dataclass(frozen=True)
class RiskAssessment:
    id: str
    score: int
    band: str
    reason_codes: tuple[str, ...]


class RiskBureau(Protocol):
    def assess(self, *, reference: str, facts: Mapping[str, Any]) -> RiskAssessment: ...


class HttpRiskBureau:
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
            "bureau", base_url, api_key, transport=transport, retry=retry, timeout=timeout, sleep=sleep
        )

    def assess(self, *, reference: str, facts: Mapping[str, Any]) -> RiskAssessment:
        body = checks.post_json(
            self._http, "/v1/risk-assessments", {"reference": reference, **facts}, reference=reference
        )
        return RiskAssessment(
            id=str(body["id"]),
            score=int(body["score"]),
            band=str(body["band"]),
            reason_codes=tuple(body.get("reasonCodes") or ()),
        )
