"""Applications: apply from an own quote (202: underwriting follows through the outbox), read
them, accept approved terms (workflows.applying)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.data.applications import ApplicationsRepository
from salesportal.data.sales import SalesRepository
from salesportal.http import caller, rest_resolver
from salesportal.models import applications as api
from salesportal.models.applications import Application, ApplicationId, ApplicationRequest
from salesportal.models.common import Page
from salesportal.models.policies import Policy, policy_of
from salesportal.observability import entrypoint, logger, metrics
from salesportal.workflows import applying

app = rest_resolver()


class ApplicationsSettings(Settings):
    sales_table_name: str


def _ports() -> applying.Ports:
    table = load(ApplicationsSettings).sales_table_name
    return applying.Ports(
        ApplicationsRepository(table), SalesRepository(table), clock=lambda: datetime.now(UTC)
    )


def _created(status: int, body: Any, location: str) -> Response[Any]:
    return Response(
        status_code=status, content_type="application/json", body=body, headers={"Location": location}
    )


@app.post("/applications", responses=api.SUBMIT_RESPONSES)
def submit(body: ApplicationRequest) -> Response[Application]:
    principal = caller(app)
    identity, declarations = body.identity.to_entity(), body.declarations.to_entity()
    submission = applying.Submission(principal.sub, principal.actor, body.quote_id, identity, declarations)
    submitted = applying.submit(submission, _ports())
    application = submitted.application
    if submitted.created:  # a retried POST answers with the application it made before
        metrics.add_metric(name="ApplicationsSubmitted", unit="Count", value=1)
    logger.info(
        "application submitted",
        extra={"application_id": application.application_id, "new": submitted.created},
    )
    return _created(
        202, Application.from_entity(application), f"/v1/applications/{application.application_id}"
    )


@app.get("/applications")
def list_applications(
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
    next_token: Annotated[str | None, Query(alias="nextToken", max_length=2048)] = None,
) -> Page[Application]:
    page = applying.listing(caller(app).sub, _ports(), limit=limit, token=next_token)
    return Page[Application](
        items=[Application.from_entity(a) for a in page.items], next_token=page.next_token
    )


@app.get("/applications/<applicationId>", responses=api.READ_RESPONSES)
def get_application(application_id: ApplicationId) -> Application:
    return Application.from_entity(applying.read(caller(app).sub, application_id, _ports()))


@app.post("/applications/<applicationId>/acceptance", responses=api.ACCEPT_RESPONSES)
def accept(application_id: ApplicationId) -> Response[Policy]:
    principal = caller(app)
    accepted = applying.accept(principal.sub, application_id, principal.actor, _ports())
    policy = accepted.policy
    if accepted.created:  # accepting again answers with the policy issued then
        metrics.add_metric(name="PoliciesIssued", unit="Count", value=1)
    logger.info("application accepted", extra={"policy_id": policy.policy_id, "new": accepted.created})
    return _created(201 if accepted.created else 200, policy_of(policy), f"/v1/policies/{policy.policy_id}")


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
