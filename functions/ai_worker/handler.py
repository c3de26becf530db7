"""AI worker: an AiQueryCreated event → the question answered by OpenAI → the answer stored.

The customer's data (profile, policies, applications: only the fields an answer needs,
never an SSN or date of birth) is put in the prompt when a customer is named. Rate limits
(429), provider errors (5xx), timeouts and connection failures leave the message on the
queue with a growing delay; after the last attempt the query is FAILED with the reason and
the message goes to the DLQ. A finished query is never overwritten by a redelivery.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal import secrets
from salesportal.config import Settings, load
from salesportal.data.ai_queries import AiQueryRepository, StateChanged
from salesportal.data.customers import CustomerRepository
from salesportal.data.sales import SalesRepository
from salesportal.observability import entrypoint, logger, metrics
from salesportal.queues import delay_next_attempt

processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
ACTOR = "system:ai-worker"
MAX_BACKOFF_S = 600
SYSTEM_PROMPT = (
    "You are the assistant of an insurance sales team. Answer the staff member's question "
    "briefly and factually. When customer data is given, use only that data; say so when it "
    "does not contain the answer. Never invent policy numbers, amounts or dates."
)


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


class Retryable(Exception):
    """The provider may answer later (429, 5xx, timeout): try the message again."""


@cache
def _client_for(api_key: str) -> Any:
    from openai import OpenAI  # ~700 ms to import: only this worker pays it

    settings = load(AiWorkerSettings)
    # Retries are the queue's (with backoff across invocations), not the SDK's inside one.
    return OpenAI(
        api_key=api_key, base_url=settings.openai_base_url, timeout=settings.openai_timeout_s, max_retries=0
    )


def openai_client() -> Any:
    secret = secrets.get_json(load(AiWorkerSettings).openai_secret_id, "apiKey")
    return _client_for(str(secret["apiKey"]))  # a rotated key builds a new client


def customer_context(customer_id: str) -> dict[str, Any]:
    """What the model may see about a customer: minimal fields, nothing that identifies them further."""
    settings = load(AiWorkerSettings)
    profile = CustomerRepository(settings.customers_table_name).get(customer_id) or {}
    sales = SalesRepository(settings.sales_table_name)
    policies = sales.list_policies(customer_id, limit=20, token=None).items
    applications = sales.list_applications(customer_id, limit=20, token=None).items
    return {
        "customer": {
            "givenName": profile.get("givenName"),
            "familyName": profile.get("familyName"),
            "state": (profile.get("address") or {}).get("state"),
            "customerSince": profile.get("createdAt"),
            "contactPreferences": profile.get("contactPreferences"),
        },
        "policies": [
            {
                k: p.get(k)
                for k in ("policyNumber", "productId", "status", "termStart", "termEnd", "annualPremium")
            }
            for p in policies
        ],
        "applications": [
            {k: a.get(k) for k in ("applicationId", "productId", "status", "submittedAt")}
            for a in applications
        ],
    }


def _messages(query: dict[str, Any]) -> list[dict[str, str]]:
    messages = [{"role": "system", "content": SYSTEM_PROMPT}]
    if query.get("customerId"):
        context = json.dumps(customer_context(query["customerId"]), default=str, separators=(",", ":"))
        messages.append({"role": "system", "content": f"Customer data (JSON): {context}"})
    messages.append({"role": "user", "content": query["question"]})
    return messages


def answer(query_id: str, *, attempt: int) -> str | None:
    settings = load(AiWorkerSettings)
    queries = AiQueryRepository(settings.ai_queries_table_name)
    query = queries.get(query_id)
    if query is None or query["status"] in ("SUCCEEDED", "FAILED"):
        return None
    if query["status"] == "QUEUED":
        queries.transition(
            query_id,
            "RUNNING",
            {"startedAt": datetime.now(UTC).isoformat()},
            expected=("QUEUED",),
            actor=ACTOR,
        )
    import openai  # the SDK's error types (already imported by the client)

    started = time.perf_counter()
    try:
        completion = openai_client().chat.completions.create(
            model=settings.openai_model, messages=_messages(query)
        )
    except (
        openai.RateLimitError,
        openai.InternalServerError,
        openai.APITimeoutError,
        openai.APIConnectionError,
    ) as exc:
        reason = f"{type(exc).__name__}: {getattr(exc, 'status_code', '') or 'no response'}".strip()
        if attempt >= settings.max_receive_count:
            _fail(
                queries,
                query_id,
                f"The AI provider kept failing ({reason}); gave up after {attempt} attempts.",
            )
        raise Retryable(reason) from exc
    except openai.APIStatusError as exc:  # 4xx other than 429: retrying would fail the same way
        _fail(queries, query_id, f"The AI provider refused the request: HTTP {exc.status_code}.")
        return "FAILED"
    latency_ms = int((time.perf_counter() - started) * 1000)
    usage = completion.usage
    try:
        queries.transition(
            query_id,
            "SUCCEEDED",
            {
                "answer": completion.choices[0].message.content or "",
                "model": completion.model,
                "usage": {
                    "promptTokens": usage.prompt_tokens if usage else 0,
                    "completionTokens": usage.completion_tokens if usage else 0,
                    "totalTokens": usage.total_tokens if usage else 0,
                },
                "latencyMs": latency_ms,
                "completedAt": datetime.now(UTC).isoformat(),
            },
            expected=("RUNNING",),
            actor=ACTOR,
        )
    except StateChanged:
        return None
    metrics.add_metric(name="AiQueriesAnswered", unit="Count", value=1)
    metrics.add_metric(name="AiTokens", unit="Count", value=usage.total_tokens if usage else 0)
    logger.info(
        "ai query answered", extra={"query_id": query_id, "latency_ms": latency_ms, "model": completion.model}
    )
    return "SUCCEEDED"


def _fail(queries: AiQueryRepository, query_id: str, reason: str) -> None:
    try:
        queries.transition(
            query_id,
            "FAILED",
            {"failureReason": reason, "completedAt": datetime.now(UTC).isoformat()},
            expected=("QUEUED", "RUNNING"),
            actor=ACTOR,
        )
    except StateChanged:
        return
    metrics.add_metric(name="AiQueriesFailed", unit="Count", value=1)
    logger.error("ai query failed", extra={"query_id": query_id, "reason": reason})


def handle(record: SQSRecord) -> None:
    detail = json.loads(record.body)["detail"]
    attempt = int(record.attributes.approximate_receive_count or 1)
    try:
        answer(detail["entityId"], attempt=attempt)
    except Retryable as exc:
        logger.warning(
            "ai provider unavailable; will retry",
            extra={"query_id": detail["entityId"], "attempt": attempt, "reason": str(exc)},
        )
        if attempt < load(AiWorkerSettings).max_receive_count:
            delay_next_attempt(
                load(AiWorkerSettings).source_queue_url, record, attempt, first_s=20, max_s=MAX_BACKOFF_S
            )
        raise


@entrypoint()
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(event=event, record_handler=handle, processor=processor, context=context)
