"""POST /me/beneficiary-link: link the signed-in account to the beneficiary record it proves.

Proof is the beneficiary id with the last name, birth date and SSN last four on record.
Any mismatch is the same 403 (no hint which fact was wrong, or whether the id exists).
Failures count per account and per beneficiary (many accounts guessing at one person get
no more tries than one account): five in a window of fifteen minutes, and every attempt
after is 429 with Retry-After until that window ends. Each attempt is counted before it is
judged, atomically, so concurrent guesses cannot exceed the limit; only an attempt that
proved right is taken off again, and nothing resets a count (a link, a re-link, a success).
SSN digits are never logged or returned.
"""

from __future__ import annotations

import hmac
import time
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.contract import refusals, success
from salesportal.data.attempts import AttemptCounter, AttemptsExhausted, Reservation
from salesportal.data.customers import CustomerRepository
from salesportal.data.enrollments import EnrollmentRepository
from salesportal.errors import Forbidden, NotFound, TooManyRequests
from salesportal.http import caller, rest_resolver
from salesportal.models.plans import BeneficiaryLink, BeneficiaryLinkRequest
from salesportal.observability import entrypoint, logger, metrics

app = rest_resolver()
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


def _reserve(counters: tuple[AttemptCounter, ...], now: int) -> list[Reservation]:
    """Count this attempt on every counter, or 429 if any is full (those already counted are
    handed back then: a refused attempt guessed nothing)."""
    held: list[Reservation] = []
    try:
        for counter in counters:
            held.append(counter.reserve(now))
    except AttemptsExhausted as full:
        for reservation in held:
            reservation.counter.release(reservation)
        metrics.add_metric(name="BeneficiaryLinkThrottled", unit="Count", value=1)
        raise TooManyRequests(
            "Too many attempts; try again later.", code="too_many_attempts", retry_after_s=full.retry_after_s
        ) from None
    return held


@app.post(
    "/me/beneficiary-link",
    responses={
        200: success("Linked"),
        **refusals(
            {
                403: "The details do not prove a beneficiary this account may link (link_refused)",
                404: "No profile exists for this account yet (profile_not_found)",
                429: "Too many failed attempts for this account or beneficiary (too_many_attempts)",
            }
        ),
    },
)
def link(body: BeneficiaryLinkRequest) -> Response[BeneficiaryLink]:
    principal = caller(app)
    settings = load(LinkSettings)
    customers = CustomerRepository(settings.customers_table_name)
    if customers.get(principal.sub) is None:  # before any guess: says nothing of the record
        raise NotFound("No profile exists for this account yet.", code="profile_not_found")
    enrollments = EnrollmentRepository(settings.enrollments_table_name)
    counters = (
        customers.link_attempts(principal.sub, limit=MAX_FAILURES, window_s=WINDOW_S),
        enrollments.link_attempts(body.beneficiary_id, limit=MAX_FAILURES, window_s=WINDOW_S),
    )
    held = _reserve(counters, int(time.time()))
    # Linked to another account: the same answer as a wrong fact, and it counts as one.
    if not (
        _proves(enrollments.beneficiary(body.beneficiary_id), body)
        and enrollments.link(body.beneficiary_id, principal.sub, datetime.now(UTC).isoformat())
    ):
        metrics.add_metric(name="BeneficiaryLinkRefused", unit="Count", value=1)
        logger.info("beneficiary link refused")  # never which fact, never the values
        raise Forbidden(_REFUSED, code="link_refused")
    for reservation in held:  # proved right: not a failure (earlier failures still count)
        reservation.counter.release(reservation)
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
