"""Underwriting worker: ApplicationCreated → KYC → bureau → decision (workflows.deciding).

Each message alone (partial batch response). A dependency failure leaves the message on the
queue with a growing delay (its visibility timeout); after the last attempt it goes to the
DLQ (alarmed), the application held UNDER_REVIEW for a person: never lost, never silent.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal import secrets
from salesportal.config import Settings, load
from salesportal.data.applications import ApplicationsRepository
from salesportal.models.events import DomainEventMessage
from salesportal.observability import entrypoint, logger, metrics
from salesportal.queues import delay_next_attempt
from salesportal.workflows import deciding

if TYPE_CHECKING:
    from salesportal.integrations.bureau import RiskBureau
    from salesportal.integrations.kyc import IdentityVerifier

# A batch whose every record failed is reported like any other (each message retried alone).
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
MAX_BACKOFF_S = 900


class UnderwritingSettings(Settings):
    sales_table_name: str
    kyc_base_url: str
    kyc_secret_id: str
    bureau_base_url: str
    underwriting_bureau_secret_id: str
    max_receive_count: int
    source_queue_url: str


class DependencyUnavailable(Exception):
    """Fails the record: delivered again later, or (after the last attempt) kept in the DLQ."""


# The HTTP clients (and httpx) load on the first application to underwrite, and a client is
# kept per key, so a rotated key (secrets re-reads it after its TTL) builds a new one.
@lru_cache(maxsize=2)
def _verifier(base_url: str, api_key: str) -> IdentityVerifier:
    from salesportal.integrations.kyc import HttpIdentityVerifier

    return HttpIdentityVerifier(base_url, api_key)


@lru_cache(maxsize=2)
def _bureau(base_url: str, api_key: str) -> RiskBureau:
    from salesportal.integrations.bureau import HttpRiskBureau

    return HttpRiskBureau(base_url, api_key)


def _checks(s: UnderwritingSettings) -> deciding.Checks:
    kyc_key = str(secrets.get_json(s.kyc_secret_id, "apiKey")["apiKey"])
    bureau_key = str(secrets.get_json(s.underwriting_bureau_secret_id, "apiKey")["apiKey"])
    return deciding.Checks(_verifier(s.kyc_base_url, kyc_key), _bureau(s.bureau_base_url, bureau_key))


def _report(result: deciding.Underwritten, request: deciding.UnderwritingRequest) -> None:
    outcome = result.application.status if result.application else None
    extra = {"application_id": request.application_id, "attempt": request.attempt, "status": outcome}
    if result.kind == "decided":
        metrics.add_metric(name=f"Applications{str(outcome).capitalize()}", unit="Count", value=1)
    if result.held_for_review:
        metrics.add_metric(name="ApplicationsHeldForReview", unit="Count", value=1)
        logger.error(
            "underwriting gave up; application held for review", extra={**extra, "service": result.service}
        )
    elif result.kind == "unavailable":
        logger.warning("underwriting dependency failed", extra={**extra, "error": result.error})
    else:
        logger.info(f"underwriting: {result.kind}", extra={**extra, "score": result.score})


def handle(record: SQSRecord) -> None:
    s = load(UnderwritingSettings)
    detail = DomainEventMessage.model_validate_json(record.body).detail
    attempt = int(record.attributes.approximate_receive_count or 1)
    request = deciding.UnderwritingRequest(detail.customer_id, detail.entity_id, attempt, s.max_receive_count)
    ports = deciding.Ports(
        ApplicationsRepository(s.sales_table_name), clock=lambda: datetime.now(UTC), checks=lambda: _checks(s)
    )
    result = deciding.underwrite(request, ports)
    _report(result, request)
    if result.retry_later:
        delay_next_attempt(s.source_queue_url, record, attempt, first_s=30, max_s=MAX_BACKOFF_S)
    if result.kind == "unavailable":
        raise DependencyUnavailable(result.error)


@entrypoint()
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=handle, processor=processor, context=context)
