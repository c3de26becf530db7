"""Policy documents worker: PolicyCreated events → a PDF certificate in the documents bucket,
in the customer's preferred language (``workflows.documents.render``: once per policy and
term, however often the event comes)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.data.customers import CustomerRepository
from salesportal.data.documents import DocumentBucket
from salesportal.data.sales import SalesRepository
from salesportal.domain.policy_document import render as policy_pdf
from salesportal.models.events import DomainEventMessage
from salesportal.observability import count, entrypoint, logger
from salesportal.workflows import documents

ACTOR = "system:policy-documents"
# A batch whose every record failed is reported like any other (each message retried alone).
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


class DocumentSettings(Settings):
    sales_table_name: str
    customers_table_name: str  # the profile's preferred language
    documents_bucket_name: str


def handle(record: SQSRecord) -> None:
    s = load(DocumentSettings)
    detail = DomainEventMessage.model_validate_json(record.body).detail
    sales, bucket = SalesRepository(s.sales_table_name), DocumentBucket(s.documents_bucket_name)
    profiles = CustomerRepository(s.customers_table_name)
    outcome = documents.render(
        sales, bucket, detail.customer_id, detail.entity_id, actor=ACTOR, profiles=profiles, pdf=policy_pdf
    )
    if outcome == "rendered":
        count("PolicyDocumentsRendered")
    logger.info("policy document " + outcome, extra={"policy_id": detail.entity_id})


@entrypoint()
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=handle, processor=processor, context=context)
