"""The underwriting review queue: agents list referred (or held) applications and decide them
(workflows.deciding): who and why recorded, never their own application, a premium moved only
within the configured range.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import Field

from salesportal.config import Settings, load
from salesportal.data.applications import ApplicationsRepository
from salesportal.domain.underwriting import REVIEW_ADJUSTMENT_CEILING_BPS, REVIEW_ADJUSTMENT_FLOOR_BPS
from salesportal.http import caller, rest_resolver
from salesportal.models.applications import DECIDE_RESPONSES, ApplicationId, DecisionRequest, ReviewItem
from salesportal.models.common import Page
from salesportal.observability import entrypoint, logger, metrics
from salesportal.workflows import deciding

app = rest_resolver()


class ReviewSettings(Settings):
    sales_table_name: str
    # The range a reviewer may move a premium: the insurer's choice, within the API's bounds
    # (a deployment error, loudly, if set outside them or not around zero, so min <= max).
    premium_adjustment_min_bps: int = Field(
        default=REVIEW_ADJUSTMENT_FLOOR_BPS, ge=REVIEW_ADJUSTMENT_FLOOR_BPS, le=0
    )
    premium_adjustment_max_bps: int = Field(
        default=REVIEW_ADJUSTMENT_CEILING_BPS, ge=0, le=REVIEW_ADJUSTMENT_CEILING_BPS
    )


def _ports() -> deciding.Ports:
    table = load(ReviewSettings).sales_table_name
    return deciding.Ports(ApplicationsRepository(table), clock=lambda: datetime.now(UTC))


@app.get("/admin/applications")
def review_queue(
    status: Annotated[deciding.ReviewStatus, Query()] = "REFERRED",
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
    next_token: Annotated[str | None, Query(alias="nextToken", max_length=2048)] = None,
) -> Page[ReviewItem]:
    caller(app)
    page = deciding.review_queue(status, _ports(), limit=limit, token=next_token)
    return Page[ReviewItem](items=[ReviewItem.from_entity(a) for a in page.items], next_token=page.next_token)


@app.put("/admin/applications/<applicationId>/decision", responses=DECIDE_RESPONSES)
def decide(application_id: ApplicationId, body: DecisionRequest) -> ReviewItem:
    principal, settings = caller(app), load(ReviewSettings)
    review = deciding.Review(
        application_id,
        reviewer=principal.sub,
        actor=principal.actor,
        approve=body.outcome == "APPROVE",
        reason=body.reason,
        adjustment_bps=body.premium_adjustment_bps,
    )
    allowed = deciding.AdjustmentRange(
        settings.premium_adjustment_min_bps, settings.premium_adjustment_max_bps
    )
    decided = deciding.decide(review, allowed, _ports())
    metrics.add_metric(name="ReviewDecisions", unit="Count", value=1)
    logger.info(
        "application decided by agent",
        extra={"application_id": application_id, "outcome": decided.status, "actor": principal.actor},
    )
    return ReviewItem.from_entity(decided)


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
