"""AI worker: an AiQueryCreated event → the question answered (salesportal.workflows.answering).

Rate limits, provider errors, timeouts and connection failures leave the message on the
queue with a growing delay; after the last attempt the query is FAILED with the reason and
the message goes to the DLQ.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal import secrets
from salesportal.config import Settings, load
from salesportal.data.ai_queries import AiQueryRepository
from salesportal.data.applications import ApplicationsRepository
from salesportal.data.customers import CustomerRepository
from salesportal.data.sales import SalesRepository
from salesportal.integrations.openai import OpenAIChat, ProviderUnavailable
from salesportal.models.events import DomainEventMessage
from salesportal.observability import entrypoint
from salesportal.queues import delay_next_attempt
from salesportal.workflows import answering

processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


class AiWorkerSettings(Settings):
    ai_queries_table_name: str
    customers_table_name: str
    sales_table_name: str
    openai_base_url: str
    openai_secret_id: str
    openai_model: str = "gpt-4o-mini"
    openai_timeout_s: float = 30.0
    max_receive_count: int
    source_queue_url: str


def ports(s: AiWorkerSettings) -> answering.Ports:
    api_key = str(secrets.get_json(s.openai_secret_id, "apiKey")["apiKey"])  # read per invocation: rotation
    return answering.Ports(
        queries=AiQueryRepository(s.ai_queries_table_name),
        customers=CustomerRepository(s.customers_table_name),
        policies=SalesRepository(s.sales_table_name),
        applications=ApplicationsRepository(s.sales_table_name),
        model=OpenAIChat(s.openai_base_url, api_key, s.openai_model, s.openai_timeout_s),
        clock=lambda: datetime.now(UTC),
    )


def handle(record: SQSRecord) -> None:
    s = load(AiWorkerSettings)
    number = int(record.attributes.approximate_receive_count or 1)
    query_id = DomainEventMessage.model_validate_json(record.body).detail.entity_id
    attempt = answering.Attempt(query_id, number, last=number >= s.max_receive_count)
    try:
        answering.answer(attempt, ports(s))
    except ProviderUnavailable:
        if not attempt.last:  # back later, with a growing delay; after the last, the DLQ
            delay_next_attempt(s.source_queue_url, record, number, first_s=20, max_s=600)
        raise


@entrypoint()
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=handle, processor=processor, context=context)
