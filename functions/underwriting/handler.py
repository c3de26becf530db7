"""Underwriting worker: ApplicationCreated events from the queue → KYC → bureau → decision.

Each message is handled alone (partial batch response). A dependency failure leaves the
message on the queue with a growing delay (backoff through its visibility timeout); on the
last attempt the application is marked UNDER_REVIEW for a person before the message moves
to the DLQ (whose depth alarms), so an application is never lost or left silent.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal import secrets
from salesportal.config import Settings, load
from salesportal.data.sales import SalesRepository, StateChanged
from salesportal.domain import underwriting
from salesportal.domain.profile import age_on
from salesportal.integrations.bureau import HttpRiskBureau, RiskBureau
from salesportal.integrations.http import DependencyError
from salesportal.integrations.kyc import HttpIdentityVerifier, IdentityVerifier
from salesportal.observability import entrypoint, logger, metrics
from salesportal.queues import delay_next_attempt

# A batch whose every record failed is reported like any other (each message retried alone).
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
RULES_ACTOR = "system:underwriting-rules"
UNDERWRITABLE = ("SUBMITTED", "UNDER_REVIEW")
MAX_BACKOFF_S = 900


class UnderwritingSettings(Settings):
    sales_table_name: str
    kyc_base_url: str
    kyc_secret_id: str
    bureau_base_url: str
    underwriting_bureau_secret_id: str
    max_receive_count: int
    source_queue_url: str


@cache
def identity_verifier() -> IdentityVerifier:
    s = load(UnderwritingSettings)
    return HttpIdentityVerifier(s.kyc_base_url, secrets.get_json(s.kyc_secret_id)["apiKey"])


@cache
def risk_bureau() -> RiskBureau:
    s = load(UnderwritingSettings)
    return HttpRiskBureau(s.bureau_base_url, secrets.get_json(s.underwriting_bureau_secret_id)["apiKey"])


def _identity_payload(identity: dict[str, Any]) -> dict[str, Any]:
    address = identity.get("address") or {}
    return {
        "givenName": identity["givenName"],
        "familyName": identity["familyName"],
        "dateOfBirth": identity["dateOfBirth"],
        "ssnLast4": identity["ssnLast4"],
        "address": {k: address.get(k) for k in ("line1", "city", "state", "postalCode")},
    }


def underwrite(customer_id: str, application_id: str, *, attempt: int) -> str | None:
    """Decide one application; returns the outcome, or None when there was nothing to do."""
    settings = load(UnderwritingSettings)
    sales = SalesRepository(settings.sales_table_name)
    application = sales.get_application(customer_id, application_id)
    if application is None or application["status"] not in UNDERWRITABLE:
        logger.info(
            "nothing to underwrite",
            extra={"application_id": application_id, "status": (application or {}).get("status")},
        )
        return None
    now = datetime.now(UTC)
    try:
        identity = identity_verifier().verify(
            reference=application_id, identity=_identity_payload(application["identity"])
        )
        assessment = risk_bureau().assess(
            reference=application_id,
            facts={
                "productId": application["productId"],
                "age": age_on(date.fromisoformat(application["dateOfBirth"]), now.date()),
                "state": application["state"],
                "declarations": application.get("declarations", {}),
                "riskFactors": application.get("riskFactors", {}),
            },
        )
    except DependencyError as exc:
        if attempt >= settings.max_receive_count:
            _hold_for_review(sales, customer_id, application_id, exc, now)
        raise
    decision = underwriting.decide(
        identity_verified=identity.verified,
        identity_reasons=identity.reasons,
        score=assessment.score,
        band=assessment.band,
        reason_codes=assessment.reason_codes,
        quoted_annual_cents=int(application["quotedAnnualPremium"]["amountCents"]),
        quoted_monthly_cents=int(application["quotedMonthlyPremium"]["amountCents"]),
    )
    currency = application["quotedAnnualPremium"].get("currency", "USD")
    fields: dict[str, Any] = {
        "decision": {
            "outcome": decision.outcome,
            "reasons": list(decision.reasons),
            "decidedBy": "underwriting-rules",
            "decidedAt": now.isoformat(),
            **(
                {
                    "adjustmentBps": underwriting.BAND_LOADING_BPS.get(assessment.band, 0),
                    "annualPremium": {"amountCents": decision.annual_premium_cents, "currency": currency},
                    "monthlyPremium": {"amountCents": decision.monthly_premium_cents, "currency": currency},
                }
                if decision.outcome == "APPROVED"
                else {}
            ),
        },
        "reasons": list(decision.reasons),  # an event fact: what the notification says
        "risk": {
            "identityVerified": identity.verified,
            "identityCheckId": identity.id,
            "assessmentId": assessment.id,
            "score": assessment.score,
            "band": assessment.band,
            "reasonCodes": list(assessment.reason_codes),
        },
    }
    try:
        sales.transition_application(
            customer_id,
            application_id,
            decision.outcome,
            fields,
            expected=UNDERWRITABLE,
            actor=RULES_ACTOR,
            now=now.isoformat(),
        )
    except StateChanged:
        logger.info("application decided meanwhile", extra={"application_id": application_id})
        return None
    metrics.add_metric(name=f"Applications{decision.outcome.capitalize()}", unit="Count", value=1)
    logger.info(
        "application underwritten",
        extra={"application_id": application_id, "outcome": decision.outcome, "score": assessment.score},
    )
    return decision.outcome


def _hold_for_review(
    sales: SalesRepository, customer_id: str, application_id: str, exc: DependencyError, now: datetime
) -> None:
    try:
        sales.transition_application(
            customer_id,
            application_id,
            "UNDER_REVIEW",
            {"reviewNote": f"Automatic underwriting failed: {exc.service} unavailable after every retry."},
            expected=("SUBMITTED",),
            actor=RULES_ACTOR,
            now=now.isoformat(),
        )
    except StateChanged:
        return
    metrics.add_metric(name="ApplicationsHeldForReview", unit="Count", value=1)
    logger.error(
        "underwriting gave up; application held for review",
        extra={"application_id": application_id, "service": exc.service},
    )


def handle(record: SQSRecord) -> None:
    event = json.loads(record.body)
    detail = event["detail"]
    attempt = int(record.attributes.approximate_receive_count or 1)
    try:
        underwrite(detail["customerId"], detail["entityId"], attempt=attempt)
    except DependencyError as exc:
        logger.warning(
            "underwriting dependency failed",
            extra={"service": exc.service, "attempt": attempt, "error": str(exc)},
        )
        if attempt < load(UnderwritingSettings).max_receive_count:
            delay_next_attempt(
                load(UnderwritingSettings).source_queue_url, record, attempt, first_s=30, max_s=MAX_BACKOFF_S
            )
        raise


@entrypoint()
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(event=event, record_handler=handle, processor=processor, context=context)
