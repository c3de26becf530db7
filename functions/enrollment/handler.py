"""GET /me/enrollment and GET /plans/{planId}/comparison, for the linked beneficiary.

The enrollment comes from the nightly sync of the system of record; the comparison puts
every feature of the current plan and another side by side, with cost deltas and whether
the beneficiary's age is in the other plan's band (``salesportal.workflows.enrolling``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.data.customers import CustomerRepository
from salesportal.data.enrollments import EnrollmentRepository
from salesportal.data.plans import PlanRepository
from salesportal.http import caller, rest_resolver
from salesportal.models.plans import (
    COMPARISON_DOCS,
    ENROLLMENT_DOCS,
    PLAN_ID,
    Comparison,
    Enrollment,
    enrollment_of,
)
from salesportal.observability import entrypoint
from salesportal.workflows import enrolling

app = rest_resolver()


class EnrollmentSettings(Settings):
    customers_table_name: str
    enrollments_table_name: str
    catalog_table_name: str


def _ports() -> enrolling.Ports:
    s = load(EnrollmentSettings)
    return enrolling.Ports(
        links=CustomerRepository(s.customers_table_name),
        beneficiaries=EnrollmentRepository(s.enrollments_table_name),
        plans=PlanRepository(s.catalog_table_name),
        clock=lambda: datetime.now(UTC),
    )


@app.get("/me/enrollment", **ENROLLMENT_DOCS)
def my_enrollment() -> Enrollment:
    return enrollment_of(enrolling.enrollment(_ports(), caller(app).sub))


@app.get("/plans/<planId>/comparison", **COMPARISON_DOCS)
def comparison(plan_id: Annotated[str, Path(alias="planId", pattern=PLAN_ID)]) -> Comparison:
    return Comparison.from_entity(enrolling.comparison(_ports(), caller(app).sub, plan_id))


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
