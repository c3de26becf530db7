"""Drug plans, enrollment, comparison, beneficiary links and mail requests, on the wire."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal

from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import Field, StringConstraints

from salesportal.contract import (
    CACHE_CONTROL,
    ETAG,
    not_modified,
    reads_headers,
    refusals,
    request_header,
    success,
)
from salesportal.domain import plans
from salesportal.models.common import SPACE, ApiModel, InputModel, IsoDate, Money, not_blank
from salesportal.models.customers import Address

if TYPE_CHECKING:
    from salesportal.data.dynamo import Page
    from salesportal.workflows.enrolling import Enrolled

PLAN_ID = r"^[A-Za-z0-9_-]{1,40}$"
# A search's feature filter: a known feature key, then optionally "=" and the value it must have.
FEATURE = "^(" + "|".join(sorted(plans.FEATURES)) + r")(=[\s\S]*)?$"
# The search's query parameters, as the API states them.
ZipQuery = Annotated[str, Query(alias="zip", pattern=r"^\d{5}$", description="Five-digit ZIP code")]
FeatureQuery = Annotated[
    list[Annotated[str, StringConstraints(pattern=FEATURE)]] | None,
    Query(description="A feature key, or key=value; repeatable"),
]
MaxMonthlyCostQuery = Annotated[
    int | None, Query(alias="maxMonthlyCost", ge=0, le=100_000_00, description="In cents")
]
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


def plan_summary(plan: plans.Plan) -> PlanSummary:
    """A plan (or its ZIP copy) as the API shows it: money as cents plus currency."""
    return PlanSummary(
        plan_id=plan.plan_id,
        plan_name=plan.plan_name,
        insurer_name=plan.insurer_name,
        monthly_cost=Money.of(plan.costs.monthly),
        copay=Money.of(plan.costs.copay),
        annual_deductible=Money.of(plan.costs.deductible),
        min_age=plan.ages.min_age,
        max_age=plan.ages.max_age,
        features=dict(plan.features),
    )


def plan_detail(plan: plans.Plan) -> Plan:
    return Plan(
        **plan_summary(plan).model_dump(),
        description=plan.description,
        status=plan.status,
        estimated_annual_cost=Money.of(plans.estimated_annual(plan)),
    )


class PlanPage(ApiModel):
    items: list[PlanSummary]
    next_token: str | None = None

    @classmethod
    def from_entities(cls, page: Page[plans.Plan]) -> PlanPage:
        return cls(items=[plan_summary(p) for p in page.items], next_token=page.next_token)


class Enrollment(ApiModel):
    beneficiary_id: str
    plan: Plan
    start_date: date
    end_date: date | None = None


def enrollment_of(enrolled: Enrolled) -> Enrollment:
    return Enrollment(
        beneficiary_id=enrolled.beneficiary.beneficiary_id,
        plan=plan_detail(enrolled.plan),
        start_date=enrolled.enrollment.start,
        end_date=enrolled.enrollment.end,
    )


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

    @classmethod
    def from_entity(cls, comparison: plans.Comparison) -> Comparison:
        return cls(
            current_plan_id=comparison.current_plan_id,
            other_plan_id=comparison.other_plan_id,
            features=[
                FeatureComparison(key=f.key, current=f.current, other=f.other, status=f.status)
                for f in comparison.features
            ],
            monthly_cost=_delta(comparison.monthly_cost),
            copay=_delta(comparison.copay),
            annual_deductible=_delta(comparison.deductible),
            estimated_annual_cost=_delta(comparison.estimated_annual),
            age_in_band=comparison.age_in_band,
        )


def _delta(delta: plans.CostDelta) -> CostDelta:
    return CostDelta(
        current=Money.of(delta.current), other=Money.of(delta.other), delta_cents=delta.delta_cents
    )


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


# What POST /me/beneficiary-link answers, for the OpenAPI document.
LINK_DOCS: dict[str, Any] = {
    "responses": {
        200: success("Linked"),
        **refusals(
            {
                403: "The details do not prove a beneficiary this account may link (link_refused)",
                404: "No profile exists for this account yet (profile_not_found)",
                429: "Too many failed attempts for this account or beneficiary (too_many_attempts)",
            }
        ),
    }
}


# -- what the drug-plan routes answer (the OpenAPI document) -------------------------------
_CACHED = {**ETAG, **CACHE_CONTROL}
_IF_NONE_MATCH = reads_headers(
    request_header("If-None-Match", "ETags the client holds; a current one (or *) gets 304 without a body")
)
SEARCH_DOCS: dict[str, Any] = {
    "responses": {
        200: success("Plans sold in the ZIP that pass every filter", model=PlanPage, headers=_CACHED),
        304: not_modified(_CACHED),
    },
    "openapi_extensions": _IF_NONE_MATCH,
}
PLAN_DOCS: dict[str, Any] = {
    "responses": {
        200: success("The plan, its features and costs", model=Plan, headers=_CACHED),
        304: not_modified(_CACHED),
        **refusals({404: "No such plan (plan_not_found)"}),
    },
    "openapi_extensions": _IF_NONE_MATCH,
}
ENROLLMENT_DOCS: dict[str, Any] = {
    "responses": {
        200: success("The current enrollment and its plan"),
        **refusals({404: "Not linked to a beneficiary, no current enrollment, or its plan is gone"}),
    }
}
COMPARISON_DOCS: dict[str, Any] = {
    "responses": {
        200: success("That plan beside the current one"),
        **refusals({404: "No such plan, or no current enrollment to compare with"}),
    }
}
