"""Policy documents worker: PolicyCreated events → a PDF certificate in the documents bucket.

Idempotent: the object key is fixed by the policy and term, so a redelivered event writes
the same object again and the policy's ``documentStatus`` moves to READY once.
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal import aws
from salesportal.config import Settings, load
from salesportal.data.sales import SalesRepository, StateChanged
from salesportal.domain import policy_document
from salesportal.observability import entrypoint, logger, metrics

# A batch whose every record failed is reported like any other (each message retried alone).
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
ANY_STATUS = ("PENDING_PAYMENT", "ACTIVE", "CANCELLED", "LAPSED", "EXPIRED")


class DocumentSettings(Settings):
    sales_table_name: str
    documents_bucket_name: str


def document_key(customer_id: str, policy: dict[str, Any]) -> str:
    return f"policies/{customer_id}/{policy['policyId']}/certificate-{policy['termStart']}.pdf"


def handle(record: SQSRecord) -> None:
    settings = load(DocumentSettings)
    detail = json.loads(record.body)["detail"]
    customer_id, policy_id = detail["customerId"], detail["entityId"]
    sales = SalesRepository(settings.sales_table_name)
    policy = sales.get_policy(customer_id, policy_id)
    if policy is None or policy.get("documentStatus") == "READY":
        logger.info("no document to render", extra={"policy_id": policy_id})
        return
    key = document_key(customer_id, policy)
    aws.client("s3").put_object(
        Bucket=settings.documents_bucket_name,
        Key=key,
        Body=policy_document.render(policy),
        ContentType="application/pdf",
        ContentDisposition=f'inline; filename="{policy["policyNumber"]}.pdf"',
    )
    try:
        sales.update_policy(
            customer_id,
            policy_id,
            {"documentStatus": "READY", "documentKey": key},
            expected=ANY_STATUS,
            actor="system:policy-documents",
        )
    except StateChanged:  # the policy is gone: nothing to point at the document
        logger.warning("policy vanished before its document was recorded", extra={"policy_id": policy_id})
        return
    metrics.add_metric(name="PolicyDocumentsRendered", unit="Count", value=1)
    logger.info("policy document rendered", extra={"policy_id": policy_id, "key": key})


@entrypoint()
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(event=event, record_handler=handle, processor=processor, context=context)
