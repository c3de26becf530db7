"""Applications: apply from an own, unexpired quote; read status; accept approved terms.

POST /applications commits the application and answers 202: the table's stream (the
outbox) delivers ApplicationCreated to the underwriting queue, so nothing submitted is
lost if underwriting is slow or down. Accepting an approved application issues the policy
in the same transaction that marks the application ACCEPTED: accepting twice yields one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from ulid import ULID

from salesportal.config import Settings, load
from salesportal.contract import LOCATION, refusals, success
from salesportal.data.sales import SalesRepository
from salesportal.domain import policies as lifecycle
from salesportal.errors import Conflict, Gone, NotFound, Unprocessable
from salesportal.http import caller, rest_resolver
from salesportal.models.applications import ULID_PATTERN, Application, ApplicationRequest
from salesportal.models.common import Page
from salesportal.models.policies import Policy
from salesportal.observability import entrypoint, logger, metrics

app = rest_resolver()

ApplicationId = Annotated[str, Path(alias="applicationId", pattern=ULID_PATTERN)]


class ApplicationsSettings(Settings):
    sales_table_name: str


def _sales() -> SalesRepository:
    return SalesRepository(load(ApplicationsSettings).sales_table_name)


def _invalid(field: str, message: str) -> Unprocessable:
    return Unprocessable(message, details=[{"field": field, "message": message, "type": "value_error"}])


def _own_application(customer_id: str, application_id: str) -> dict[str, Any]:
    item = _sales().get_application(customer_id, application_id)
    if item is None:
        raise NotFound("No such application.", code="application_not_found")
    return item


@app.post(
    "/applications",
    responses={
        202: success("Submitted for underwriting (or already submitted from this quote)", headers=LOCATION),
        **refusals(
            {
                404: "No such quote (quote_not_found)",
                410: "The quote expired; ask for a new one (quote_expired)",
                422: "The identity does not match the quote (validation_error)",
            }
        ),
    },
)
def submit(body: ApplicationRequest) -> Response[Application]:
    principal = caller(app)
    now = datetime.now(UTC)
    sales = _sales()
    quote = sales.get_quote(principal.sub, body.quote_id)
    if quote is None:
        raise NotFound("No such quote.", code="quote_not_found")
    if now >= datetime.fromisoformat(quote["expiresAt"]):
        raise Gone(
            f"Quote {body.quote_id} expired on {quote['expiresAt']}; ask for a new quote.",
            code="quote_expired",
        )
    if body.identity.date_of_birth != date.fromisoformat(quote["dateOfBirth"]):
        raise _invalid("identity.dateOfBirth", "The date of birth must be the one the quote was priced on.")
    if body.identity.address.state != quote["state"]:
        raise _invalid(
            "identity.address.state", f"The address must be in {quote['state']}, the quoted state."
        )

    application_id = str(ULID())
    stamp = now.isoformat()
    application = {
        "applicationId": application_id,
        "quoteId": body.quote_id,
        "productId": quote["productId"],
        "coverageOptionCode": quote["coverageOptionCode"],
        "state": quote["state"],
        "status": "SUBMITTED",
        "quotedAnnualPremium": quote["annualPremium"],
        "quotedMonthlyPremium": quote["monthlyPremium"],
        "dateOfBirth": quote["dateOfBirth"],
        "riskFactors": quote.get("riskFactors", {}),
        "identity": body.identity.model_dump(mode="json", by_alias=True, exclude_none=True),
        "declarations": body.declarations.model_dump(mode="json", by_alias=True),
        "submittedAt": stamp,
        "updatedAt": stamp,
    }
    existing = sales.submit_application(principal.sub, application, actor=principal.actor)
    if existing is not None:
        # A retried submission: the quote was already applied for; answer with that application.
        logger.info("application already submitted for quote", extra={"application_id": existing})
        stored = _own_application(principal.sub, existing)
    else:
        metrics.add_metric(name="ApplicationsSubmitted", unit="Count", value=1)
        logger.info(
            "application submitted",
            extra={"application_id": application_id, "product_id": quote["productId"]},
        )
        stored = application
    result = Application.model_validate(stored)
    return Response(
        status_code=202,
        content_type="application/json",
        body=result,
        headers={"Location": f"/v1/applications/{result.application_id}"},
    )


@app.get("/applications")
def list_applications(
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
    next_token: Annotated[str | None, Query(alias="nextToken", max_length=2048)] = None,
) -> Page[Application]:
    principal = caller(app)
    page = _sales().list_applications(principal.sub, limit=limit, token=next_token)
    return Page[Application](
        items=[Application.model_validate(i) for i in page.items], next_token=page.next_token
    )


@app.get(
    "/applications/<applicationId>",
    responses={200: success("The application"), **refusals({404: "No such application"})},
)
def get_application(application_id: ApplicationId) -> Application:
    principal = caller(app)
    return Application.model_validate(_own_application(principal.sub, application_id))


@app.post(
    "/applications/<applicationId>/acceptance",
    responses={
        201: success("The policy issued from the approved terms", headers=LOCATION),
        200: success("Already accepted: the policy issued then", headers=LOCATION),
        **refusals(
            {404: "No such application", 409: "The application is not APPROVED (or its offer lapsed)"}
        ),
    },
)
def accept(application_id: ApplicationId) -> Response[Policy]:
    principal = caller(app)
    sales = _sales()
    application = _own_application(principal.sub, application_id)
    if application["status"] == "ACCEPTED":
        return _policy_response(principal.sub, application["policyId"], created=False)
    if application["status"] != "APPROVED":
        raise Conflict(
            f"Only an APPROVED application can be accepted; this one is {application['status']}.",
            code="invalid_application_state",
            details={"status": application["status"]},
        )
    now = datetime.now(UTC)
    decision = application["decision"]
    policy_id = application_id  # one application, at most one policy: issuance is idempotent by key
    start = now.date()
    policy = {
        "policyId": policy_id,
        "policyNumber": lifecycle.policy_number(application["productId"], policy_id, now),
        "applicationId": application_id,
        "quoteId": application["quoteId"],
        "productId": application["productId"],
        "coverageOptionCode": application["coverageOptionCode"],
        "state": application["state"],
        "status": "PENDING_PAYMENT",
        "termStart": start.isoformat(),
        "termEnd": lifecycle.term_end(start).isoformat(),
        "annualPremium": decision["annualPremium"],
        "monthlyPremium": decision["monthlyPremium"],
        "premiumAdjustmentBps": int(decision.get("adjustmentBps", 0)),
        "documentStatus": "PENDING",
        "dateOfBirth": application["dateOfBirth"],  # kept to re-rate at renewal
        "riskFactors": application.get("riskFactors", {}),
        "issuedAt": now.isoformat(),
        "updatedAt": now.isoformat(),
    }
    if sales.issue_policy(principal.sub, application_id, policy, actor=principal.actor, now=now.isoformat()):
        metrics.add_metric(name="PoliciesIssued", unit="Count", value=1)
        logger.info("policy issued", extra={"policy_id": policy_id, "policy_number": policy["policyNumber"]})
        return _policy_response(principal.sub, policy_id, created=True, item=policy)
    # Lost a race with a concurrent acceptance (or the state moved): answer with the truth.
    current = _own_application(principal.sub, application_id)
    if current["status"] == "ACCEPTED":
        return _policy_response(principal.sub, current["policyId"], created=False)
    raise Conflict(
        f"Only an APPROVED application can be accepted; this one is {current['status']}.",
        code="invalid_application_state",
        details={"status": current["status"]},
    )


def _policy_response(
    customer_id: str, policy_id: str, *, created: bool, item: dict[str, Any] | None = None
) -> Response[Policy]:
    stored = item or _sales().get_policy(customer_id, policy_id)
    if stored is None:  # the application names a policy that must exist: a data fault
        raise NotFound("No such policy.", code="policy_not_found")
    return Response(
        status_code=201 if created else 200,
        content_type="application/json",
        body=Policy.model_validate(stored),
        headers={"Location": f"/v1/policies/{policy_id}"},
    )


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
