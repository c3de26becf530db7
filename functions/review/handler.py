"""The underwriting review queue: agents list referred (or held) applications and decide them.

Every decision records who made it and why, on the application and (through the outbox)
in the audit trail; a decision on an application that has moved on answers 409. Nobody
decides an application they applied for (403), and a premium moves only within the
configured range (422).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import Field

from salesportal.config import Settings, load
from salesportal.contract import refusals, success
from salesportal.data.sales import SalesRepository, StateChanged
from salesportal.domain.underwriting import (
    REVIEW_ADJUSTMENT_CEILING_BPS,
    REVIEW_ADJUSTMENT_FLOOR_BPS,
    adjust,
)
from salesportal.errors import Conflict, Forbidden, NotFound, Unprocessable
from salesportal.http import caller, rest_resolver
from salesportal.models.applications import ULID_PATTERN, DecisionRequest, ReviewItem
from salesportal.models.common import Page
from salesportal.observability import entrypoint, logger, metrics

app = rest_resolver()
REVIEWABLE = ("REFERRED", "UNDER_REVIEW")


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


def _sales() -> SalesRepository:
    return SalesRepository(load(ReviewSettings).sales_table_name)


@app.get("/admin/applications")
def review_queue(
    status: Annotated[Literal["REFERRED", "UNDER_REVIEW"], Query()] = "REFERRED",
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
    next_token: Annotated[str | None, Query(alias="nextToken", max_length=2048)] = None,
) -> Page[ReviewItem]:
    caller(app)
    page = _sales().review_queue(status, limit=limit, token=next_token)
    return Page[ReviewItem](
        items=[ReviewItem.model_validate(i) for i in page.items], next_token=page.next_token
    )


def _check_adjustment(bps: int, settings: ReviewSettings) -> None:
    low, high = settings.premium_adjustment_min_bps, settings.premium_adjustment_max_bps
    if not low <= bps <= high:
        message = f"premiumAdjustmentBps must be between {low} and {high}."
        raise Unprocessable(
            "Invalid input: premiumAdjustmentBps.",
            details=[
                {
                    "field": "premiumAdjustmentBps",
                    "location": "body",
                    "message": message,
                    "type": "out_of_configured_range",
                }
            ],
        )


def _not_reviewable(status: str) -> Conflict:
    return Conflict(
        f"Only a REFERRED or UNDER_REVIEW application can be decided; this one is {status}.",
        code="invalid_application_state",
        details={"status": status},
    )


@app.put(
    "/admin/applications/<applicationId>/decision",
    responses={
        200: success("The decided application"),
        **refusals(
            {
                403: "Nobody decides an application they applied for (own_application)",
                404: "No such application (application_not_found)",
                409: "Not REFERRED or UNDER_REVIEW, or decided meanwhile (invalid_application_state)",
                422: "The premium adjustment is outside the configured range (validation_error)",
            }
        ),
    },
)
def decide(
    application_id: Annotated[str, Path(alias="applicationId", pattern=ULID_PATTERN)], body: DecisionRequest
) -> ReviewItem:
    principal = caller(app)
    _check_adjustment(body.premium_adjustment_bps, load(ReviewSettings))
    sales = _sales()
    application = sales.find_application(application_id)
    if application is None:
        raise NotFound("No such application.", code="application_not_found")
    if application["customerId"] == principal.sub:
        # Staff may also be customers; deciding one's own cover is a conflict of interest.
        raise Forbidden("You cannot decide an application you applied for.", code="own_application")
    if application["status"] not in REVIEWABLE:
        raise _not_reviewable(application["status"])
    now = datetime.now(UTC).isoformat()
    approved = body.outcome == "APPROVE"
    decision: dict[str, Any] = {
        "outcome": "APPROVED" if approved else "DECLINED",
        "reasons": [body.reason],
        "decidedBy": principal.actor,
        "decidedAt": now,
    }
    if approved:
        annual, monthly = application["quotedAnnualPremium"], application["quotedMonthlyPremium"]
        decision |= {
            "adjustmentBps": body.premium_adjustment_bps,
            "annualPremium": {
                **annual,
                "amountCents": adjust(int(annual["amountCents"]), body.premium_adjustment_bps),
            },
            "monthlyPremium": {
                **monthly,
                "amountCents": adjust(int(monthly["amountCents"]), body.premium_adjustment_bps),
            },
        }
    try:
        updated = sales.transition_application(
            application["customerId"],
            application_id,
            decision["outcome"],
            {"decision": decision, "reasons": [body.reason]},
            expected=REVIEWABLE,
            actor=principal.actor,
            now=now,
        )
    except StateChanged:
        current = sales.find_application(application_id) or application
        raise _not_reviewable(current["status"]) from None
    metrics.add_metric(name="ReviewDecisions", unit="Count", value=1)
    logger.info(
        "application decided by agent",
        extra={"application_id": application_id, "outcome": decision["outcome"], "actor": principal.actor},
    )
    return ReviewItem.model_validate(updated)


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
