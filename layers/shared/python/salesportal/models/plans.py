"""Drug plans, enrollment, comparison, beneficiary links and mail requests, on the wire."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

from pydantic import Field

from salesportal.domain.plans import estimated_annual_cents
from salesportal.models.common import SPACE, ApiModel, InputModel, IsoDate, Money, not_blank
from salesportal.models.customers import Address

PLAN_ID = r"^[A-Za-z0-9_-]{1,40}$"
_NAME_CHAR = r"[^\x00-\x1f<>]"
_NAME_SIGNIFICANT = rf"[^\x00-\x1f<>{SPACE}]"
_NAME = rf"^{_NAME_CHAR}*{_NAME_SIGNIFICANT}{_NAME_CHAR}*{_NAME_SIGNIFICANT}{_NAME_CHAR}*$"


class PlanSummary(ApiModel):
    plan_id: str
    plan_name: str
    insurer_name: str
    monthly_cost: Money
    copay: Money
    annual_deductible: Money
    min_age: int
    max_age: int
    features: dict[str, str]


class Plan(PlanSummary):
    description: str | None = None
    status: Literal["ACTIVE", "INACTIVE"]
    estimated_annual_cost: Money


def plan_summary(item: Mapping[str, Any]) -> PlanSummary:
    """A stored plan (or its ZIP copy) as the API shows it: money as cents plus currency."""
    return PlanSummary(
        plan_id=item["planId"],
        plan_name=item["planName"],
        insurer_name=item["insurerName"],
        monthly_cost=Money(amount_cents=item["monthlyCostCents"]),
        copay=Money(amount_cents=item["copayCents"]),
        annual_deductible=Money(amount_cents=item["deductibleCents"]),
        min_age=item["minAge"],
        max_age=item["maxAge"],
        features=item.get("features") or {},
    )


def plan_detail(item: Mapping[str, Any]) -> Plan:
    return Plan(
        **plan_summary(item).model_dump(),
        description=item.get("description"),
        status=item["status"],
        estimated_annual_cost=Money(amount_cents=estimated_annual_cents(item)),
    )


class PlanPage(ApiModel):
    items: list[PlanSummary]
    next_token: str | None = None


class Enrollment(ApiModel):
    beneficiary_id: str
    plan: Plan
    start_date: date
    end_date: date | None = None


class FeatureComparison(ApiModel):
    key: str
    current: str | None
    other: str | None
    status: Literal["same", "different", "only_current", "only_other"]


class CostDelta(ApiModel):
    current: Money
    other: Money
    delta_cents: int  # other minus current: negative means the other plan is cheaper


class Comparison(ApiModel):
    current_plan_id: str
    other_plan_id: str
    features: list[FeatureComparison]
    monthly_cost: CostDelta
    copay: CostDelta
    annual_deductible: CostDelta
    estimated_annual_cost: CostDelta
    age_in_band: bool


class BeneficiaryLinkRequest(InputModel):
    beneficiary_id: str = Field(pattern=r"^[A-Za-z0-9-]{1,40}$")
    last_name: str = Field(min_length=1, max_length=60, pattern=not_blank())
    birth_date: IsoDate
    ssn_last4: str = Field(pattern=r"^\d{4}$")


class BeneficiaryLink(ApiModel):
    beneficiary_id: str
    linked: bool = True


class MailRequest(InputModel):
    # No control characters or angle brackets; two that are not spaces (it is trimmed).
    name: str = Field(min_length=2, max_length=100, pattern=_NAME)
    address: Address


class MailRequestAccepted(ApiModel):
    request_id: str
    status: Literal["QUEUED"] = "QUEUED"
