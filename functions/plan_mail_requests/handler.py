"""POST /plans/{planId}/mail-requests: queue printed plan information for a postal address.

Public and rate-limited more strictly than the rest of the API (WAF and the emulator, from
the manifest). The same request sent twice the same day is mailed once
(``salesportal.workflows.requesting_mail``). The name and address travel only in the queue
message; they are never logged.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.contract import refusals, success
from salesportal.data.fulfillment_queue import FulfillmentQueue
from salesportal.data.plans import PlanRepository
from salesportal.http import rest_resolver
from salesportal.models.plans import PLAN_ID, MailRequest, MailRequestAccepted
from salesportal.observability import entrypoint, logger, metrics
from salesportal.workflows import requesting_mail

app = rest_resolver()


class MailRequestSettings(Settings):
    catalog_table_name: str
    fulfillment_queue_url: str


def _ports() -> requesting_mail.Ports:
    settings = load(MailRequestSettings)
    return requesting_mail.Ports(
        PlanRepository(settings.catalog_table_name),
        FulfillmentQueue(settings.fulfillment_queue_url),
        clock=lambda: datetime.now(UTC),
    )


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
    mail = requesting_mail.request(_ports(), plan_id, body.name, body.address.to_entity())
    metrics.add_metric(name="PlanMailRequests", unit="Count", value=1)
    logger.info("mail request queued", extra={"request_id": mail.request_id, "plan_id": plan_id})
    return Response(
        status_code=202, content_type="application/json", body=MailRequestAccepted(request_id=mail.request_id)
    )


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
