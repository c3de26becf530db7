"""POST /me/beneficiary-link: link the signed-in account to the beneficiary record it proves.

Proof is the beneficiary id with the last name, birth date and SSN last four on record.
Any mismatch is the same 403 (no hint which fact was wrong, or whether the id exists), and
five failures in fifteen minutes are 429 for the rest of the window. SSN digits are never
logged or returned.
"""

from __future__ import annotations

import hmac
import time
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.auth import Role
from salesportal.config import Settings, load
from salesportal.data.customers import CustomerRepository
from salesportal.data.enrollments import EnrollmentRepository
from salesportal.errors import Forbidden, NotFound, TooManyRequests
from salesportal.http import caller, rest_resolver
from salesportal.models.plans import BeneficiaryLink, BeneficiaryLinkRequest
from salesportal.observability import entrypoint, logger, metrics

app = rest_resolver(Role.CUSTOMER)
MAX_FAILURES = 5
WINDOW_S = 15 * 60
_REFUSED = "These details do not match a beneficiary record we can link to this account."


class LinkSettings(Settings):
    customers_table_name: str
    enrollments_table_name: str


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.strip().casefold().encode(), b.strip().casefold().encode())


def _proves(record: dict[str, Any] | None, body: BeneficiaryLinkRequest) -> bool:
    """Every fact compared, always, in constant time: timing tells nothing either."""
    stored = record or {"lastName": "", "birthDate": "", "ssnLast4": ""}
    checks = [
        _same(str(stored.get("lastName", "")), body.last_name),
        _same(str(stored.get("birthDate", "")), body.birth_date.isoformat()),
        _same(str(stored.get("ssnLast4", "")), body.ssn_last4),
    ]
    return record is not None and all(checks)


@app.post("/me/beneficiary-link")
def link(body: BeneficiaryLinkRequest) -> Response[BeneficiaryLink]:
    principal = caller(app, Role.CUSTOMER)
    settings = load(LinkSettings)
    customers = CustomerRepository(settings.customers_table_name)
    now = int(time.time())
    if customers.link_failures(principal.sub, now - WINDOW_S) >= MAX_FAILURES:
        metrics.add_metric(name="BeneficiaryLinkThrottled", unit="Count", value=1)
        raise TooManyRequests("Too many attempts; try again later.", code="too_many_attempts")
    enrollments = EnrollmentRepository(settings.enrollments_table_name)
    if not _proves(enrollments.beneficiary(body.beneficiary_id), body):
        customers.record_link_failure(principal.sub, now, WINDOW_S)
        metrics.add_metric(name="BeneficiaryLinkRefused", unit="Count", value=1)
        logger.info("beneficiary link refused")  # never which fact, never the values
        raise Forbidden(_REFUSED, code="link_refused")
    if customers.get(principal.sub) is None:
        raise NotFound("No profile exists for this account yet.", code="profile_not_found")
    if not enrollments.link(body.beneficiary_id, principal.sub, datetime.now(UTC).isoformat()):
        customers.record_link_failure(principal.sub, now, WINDOW_S)
        raise Forbidden(_REFUSED, code="link_refused")  # linked to another account: same answer
    customers.set_beneficiary(
        principal.sub, body.beneficiary_id, actor=principal.actor, now=datetime.now(UTC)
    )
    metrics.add_metric(name="BeneficiaryLinked", unit="Count", value=1)
    logger.info("beneficiary linked")
    return Response(
        status_code=200,
        content_type="application/json",
        body=BeneficiaryLink(beneficiary_id=body.beneficiary_id),
    )


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
