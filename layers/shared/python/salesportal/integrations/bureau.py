"""The underwriting bureau: a risk score (0-1000), a band and reason codes for an applicant.

The application id is the reference and the idempotency key. A 4xx raises
``checks.RequestRejected``; 5xx, timeouts and connection failures, after retries, ``DependencyError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from salesportal.integrations import checks
from salesportal.integrations.http import BearerApi


@dataclass(frozen=True)
class RiskAssessment:
    id: str
    score: int
    band: str
    reason_codes: tuple[str, ...]


class RiskBureau(Protocol):
    def assess(self, *, reference: str, facts: Mapping[str, Any]) -> RiskAssessment: ...


class HttpRiskBureau(BearerApi):
    service = "bureau"

    def assess(self, *, reference: str, facts: Mapping[str, Any]) -> RiskAssessment:
        body = checks.post_json(
            self._http, "/v1/risk-assessments", {**facts, "reference": reference}, reference=reference
        )
        return RiskAssessment(
            id=str(body["id"]),
            score=int(body["score"]),
            band=str(body["band"]),
            reason_codes=tuple(body.get("reasonCodes") or ()),
        )
