"""GET /me/enrollment and GET /plans/{planId}/comparison, for the linked beneficiary.

The enrollment comes from the nightly sync of the system of record; the comparison puts
every feature of the current plan and another side by side, with cost deltas and whether
the beneficiary's age is in the other plan's band (salesportal.domain.plans.compare).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.contract import refusals, success
from salesportal.data.customers import CustomerRepository
from salesportal.data.enrollments import EnrollmentRepository, current
from salesportal.data.plans import PlanRepository
from salesportal.domain import plans as rules
from salesportal.domain.profile import age_on
from salesportal.errors import NotFound
from salesportal.http import caller, rest_resolver
from salesportal.models.common import Money
from salesportal.models.plans import PLAN_ID, Comparison, CostDelta, Enrollment, plan_detail
from salesportal.observability import entrypoint

app = rest_resolver()


class EnrollmentSettings(Settings):
    customers_table_name: str
    enrollments_table_name: str
    catalog_table_name: str


def _current_enrollment(customer_id: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(beneficiary, enrollment, plan) of the caller, or 404 saying what is missing."""
    settings = load(EnrollmentSettings)
    profile = CustomerRepository(settings.customers_table_name).get(customer_id) or {}
    beneficiary_id = profile.get("beneficiaryId")
    if not beneficiary_id:
        raise NotFound("Link your account to your beneficiary record first.", code="beneficiary_not_linked")
    enrollments = EnrollmentRepository(settings.enrollments_table_name)
    beneficiary = enrollments.beneficiary(beneficiary_id)
    enrollment = current(enrollments.enrollments(beneficiary_id), datetime.now(UTC).date())
    if beneficiary is None or enrollment is None:
        raise NotFound("No current drug-plan enrollment on record.", code="enrollment_not_found")
    plan = PlanRepository(settings.catalog_table_name).get(enrollment["planId"])
    if plan is None:
        raise NotFound("The enrolled plan is not in the catalog.", code="plan_not_found")
    return beneficiary, enrollment, plan


@app.get(
    "/me/enrollment",
    responses={
        200: success("The current enrollment and its plan"),
        **refusals({404: "Not linked to a beneficiary, no current enrollment, or its plan is gone"}),
    },
)
def my_enrollment() -> Enrollment:
    principal = caller(app)
    beneficiary, enrollment, plan = _current_enrollment(principal.sub)
    return Enrollment(
        beneficiary_id=beneficiary["beneficiaryId"],
        plan=plan_detail(plan),
        start_date=enrollment["startDate"],
        end_date=enrollment.get("endDate"),
    )


def _delta(costs: dict[str, int]) -> CostDelta:
    return CostDelta(
        current=Money(amount_cents=costs["current"]),
        other=Money(amount_cents=costs["other"]),
        delta_cents=costs["delta"],
    )


@app.get(
    "/plans/<planId>/comparison",
    responses={
        200: success("That plan beside the current one"),
        **refusals({404: "No such plan, or no current enrollment to compare with"}),
    },
)
def comparison(plan_id: Annotated[str, Path(alias="planId", pattern=PLAN_ID)]) -> Comparison:
    principal = caller(app)
    beneficiary, _enrollment, current_plan = _current_enrollment(principal.sub)
    other = PlanRepository(load(EnrollmentSettings).catalog_table_name).get(plan_id)
    if other is None:
        raise NotFound("No such plan.", code="plan_not_found")
    age = age_on(date.fromisoformat(beneficiary["birthDate"]), datetime.now(UTC).date())
    result = rules.compare(current_plan, other, age)
    costs = result["costs"]
    return Comparison(
        current_plan_id=current_plan["planId"],
        other_plan_id=other["planId"],
        features=result["features"],
        monthly_cost=_delta(costs["monthlyCostCents"]),
        copay=_delta(costs["copayCents"]),
        annual_deductible=_delta(costs["deductibleCents"]),
        estimated_annual_cost=_delta(costs["estimatedAnnualCents"]),
        age_in_band=result["ageInBand"],
    )


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
