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
from pydantic import StringConstraints

from salesportal.config import Settings, load
from salesportal.contract import (
    CACHE_CONTROL,
    ETAG,
    not_modified,
    reads_headers,
    refusals,
    request_header,
    success,
)
from salesportal.data.plans import PlanRepository
from salesportal.http import cacheable, rest_resolver
from salesportal.models.plans import FEATURE, PLAN_ID, Plan, PlanPage, plan_detail, plan_summary
from salesportal.observability import entrypoint, logger
from salesportal.workflows import browsing

app = rest_resolver()
SEARCH_MAX_AGE_S = 300  # plans change nightly; five minutes keeps a hot ZIP off the table
PLAN_MAX_AGE_S = 900
_CACHED = {**ETAG, **CACHE_CONTROL}
IF_NONE_MATCH = request_header(
    "If-None-Match", "ETags the client holds; a current one (or *) gets 304 without a body"
)


class PlansSettings(Settings):
    catalog_table_name: str


def _plans() -> PlanRepository:
    return PlanRepository(load(PlansSettings).catalog_table_name)


@app.get(
    "/plans",
    responses={
        200: success("Plans sold in the ZIP that pass every filter", model=PlanPage, headers=_CACHED),
        304: not_modified(_CACHED),
    },
    openapi_extensions=reads_headers(IF_NONE_MATCH),
)
def search(
    zip_code: Annotated[str, Query(alias="zip", pattern=r"^\d{5}$", description="Five-digit ZIP code")],
    feature: Annotated[
        list[Annotated[str, StringConstraints(pattern=FEATURE)]] | None,
        Query(description="A feature key, or key=value; repeatable"),
    ] = None,
    max_monthly_cost: Annotated[
        int | None, Query(alias="maxMonthlyCost", ge=0, le=100_000_00, description="In cents")
    ] = None,
    age: Annotated[int | None, Query(ge=0, le=130)] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
    next_token: Annotated[str | None, Query(alias="nextToken", max_length=2048)] = None,
) -> Response[str]:
    search = browsing.PlanSearch(zip_code, tuple(feature or ()), max_monthly_cost, age, limit, next_token)
    page = browsing.search_plans(_plans(), search)
    logger.info(
        "plan search", extra={"zip": zip_code, "filters": len(search.features), "results": len(page.items)}
    )
    body = PlanPage(items=[plan_summary(p) for p in page.items], next_token=page.next_token)
    return cacheable(app, body.model_dump(mode="json", by_alias=True), max_age_s=SEARCH_MAX_AGE_S)


@app.get(
    "/plans/<planId>",
    responses={
        200: success("The plan, its features and costs", model=Plan, headers=_CACHED),
        304: not_modified(_CACHED),
        **refusals({404: "No such plan (plan_not_found)"}),
    },
    openapi_extensions=reads_headers(IF_NONE_MATCH),
)
def get_plan(plan_id: Annotated[str, Path(alias="planId", pattern=PLAN_ID)]) -> Response[str]:
    plan = plan_detail(browsing.plan(_plans(), plan_id))
    return cacheable(app, plan.model_dump(mode="json", by_alias=True), max_age_s=PLAN_MAX_AGE_S)


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
