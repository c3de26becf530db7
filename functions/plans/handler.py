"""GET /plans and GET /plans/{planId}: public drug-plan search, built for an edge cache.

A search reads the ZIP's partition with one DynamoDB Query, and a few more only when
selective filters leave the page short of ``limit`` (bounded; see salesportal.data.plans).
Responses carry ``Cache-Control`` and a strong ``ETag``; a matching ``If-None-Match`` gets
304 with no body.
"""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.data.plans import PlanRepository
from salesportal.http import cacheable, rest_resolver
from salesportal.models import plans as api
from salesportal.observability import entrypoint, logger
from salesportal.workflows import browsing

app = rest_resolver()
SEARCH_MAX_AGE_S = 300  # plans change nightly; five minutes keeps a hot ZIP off the table
PLAN_MAX_AGE_S = 900


class PlansSettings(Settings):
    catalog_table_name: str


def _plans() -> PlanRepository:
    return PlanRepository(load(PlansSettings).catalog_table_name)


@app.get("/plans", **api.SEARCH_DOCS)
def search(
    zip_code: api.ZipQuery,
    feature: api.FeatureQuery = None,
    max_monthly_cost: api.MaxMonthlyCostQuery = None,
    age: Annotated[int | None, Query(ge=0, le=130)] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
    next_token: Annotated[str | None, Query(alias="nextToken", max_length=2048)] = None,
) -> Response[str]:
    search = browsing.PlanSearch(zip_code, tuple(feature or ()), max_monthly_cost, age, limit, next_token)
    page = browsing.search_plans(_plans(), search)
    logger.info(
        "plan search", extra={"zip": zip_code, "filters": len(feature or ()), "results": len(page.items)}
    )
    body = api.PlanPage.from_entities(page)
    return cacheable(app, body.model_dump(mode="json", by_alias=True), max_age_s=SEARCH_MAX_AGE_S)


@app.get("/plans/<planId>", **api.PLAN_DOCS)
def get_plan(plan_id: Annotated[str, Path(alias="planId", pattern=api.PLAN_ID)]) -> Response[str]:
    plan = api.plan_detail(browsing.plan(_plans(), plan_id))
    return cacheable(app, plan.model_dump(mode="json", by_alias=True), max_age_s=PLAN_MAX_AGE_S)


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
