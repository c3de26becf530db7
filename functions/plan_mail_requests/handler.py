"""POST /plans/{planId}/mail-requests: queue printed plan information for a postal address.

Public and rate-limited more strictly than the rest of the API (WAF and the emulator, from
the manifest). The request id is derived from the plan, the recipient and the day, so the
same request sent twice is mailed once (the worker and the Fulfillment API both dedupe on it).
The name and address travel only in the queue message; they are never logged.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal import aws
from salesportal.config import Settings, load
from salesportal.contract import refusals, success
from salesportal.data.plans import PlanRepository
from salesportal.errors import NotFound
from salesportal.http import rest_resolver
from salesportal.models.plans import PLAN_ID, MailRequest, MailRequestAccepted
from salesportal.observability import entrypoint, logger, metrics

app = rest_resolver()


class MailRequestSettings(Settings):
    catalog_table_name: str
    fulfillment_queue_url: str


def request_id(plan_id: str, request: MailRequest, day: str) -> str:
    recipient = json.dumps(
        {
            "name": request.name.casefold(),
            "address": request.address.model_dump(mode="json", exclude_none=True),
        },
        sort_keys=True,
    ).casefold()
    return hashlib.sha256(f"{plan_id}|{recipient}|{day}".encode()).hexdigest()[:32]


@app.post(
    "/plans/<planId>/mail-requests",
    responses={
        202: success("Queued for the fulfillment house to mail"),
        **refusals({404: "No such plan (plan_not_found)"}),
    },
)
def request_mail(
    plan_id: Annotated[str, Path(alias="planId", pattern=PLAN_ID)], body: MailRequest
) -> Response[MailRequestAccepted]:
    settings = load(MailRequestSettings)
    plan = PlanRepository(settings.catalog_table_name).get(plan_id)
    if plan is None or plan.status != "ACTIVE":
        raise NotFound("No such plan.", code="plan_not_found")
    now = datetime.now(UTC)
    rid = request_id(plan_id, body, now.date().isoformat())
    aws.client("sqs").send_message(
        QueueUrl=settings.fulfillment_queue_url,
        MessageBody=json.dumps(
            {
                "requestId": rid,
                "planId": plan_id,
                "planName": plan.plan_name,
                "recipient": {
                    "name": body.name,
                    "address": body.address.model_dump(mode="json", by_alias=True, exclude_none=True),
                },
                "requestedAt": now.isoformat(),
            }
        ),
    )
    metrics.add_metric(name="PlanMailRequests", unit="Count", value=1)
    logger.info("mail request queued", extra={"request_id": rid, "plan_id": plan_id})
    return Response(
        status_code=202, content_type="application/json", body=MailRequestAccepted(request_id=rid)
    )


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
