"""POST /me/beneficiary-link: link the signed-in account to the beneficiary record it proves.

Proof is the beneficiary id with the last name, birth date and SSN last four on record. Any
mismatch is the same 403 (no hint which fact was wrong, or whether the id exists); too many
failures are 429 with Retry-After (``salesportal.workflows.linking`` has the rules). SSN
digits are never logged or returned.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.data.customers import CustomerRepository
from salesportal.data.enrollments import EnrollmentRepository
from salesportal.domain.beneficiaries import Proof
from salesportal.http import caller, rest_resolver
from salesportal.models.plans import LINK_DOCS, BeneficiaryLink, BeneficiaryLinkRequest
from salesportal.observability import count, entrypoint, logger
from salesportal.workflows import linking

app = rest_resolver()


class LinkSettings(Settings):
    customers_table_name: str
    enrollments_table_name: str


def _ports() -> linking.Ports:
    settings = load(LinkSettings)
    customers, enrollments = (
        CustomerRepository(settings.customers_table_name),
        EnrollmentRepository(settings.enrollments_table_name),
    )
    return linking.Ports(customers, enrollments, clock=lambda: datetime.now(UTC), count=count)


@app.post("/me/beneficiary-link", **LINK_DOCS)
def link(body: BeneficiaryLinkRequest) -> Response[BeneficiaryLink]:
    principal = caller(app)
    claimed = Proof(body.last_name, body.birth_date.isoformat(), body.ssn_last4)
    linking.link(_ports(), principal.sub, principal.actor, body.beneficiary_id, claimed)
    logger.info("beneficiary linked")  # never the facts
    body_out = BeneficiaryLink(beneficiary_id=body.beneficiary_id)
    return Response(status_code=200, content_type="application/json", body=body_out)


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
