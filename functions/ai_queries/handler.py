"""POST /ai/queries, GET /ai/queries and GET /ai/queries/{queryId}: staff questions to the
AI assistant.

The question is committed and answered 202 at once; the table's stream (the outbox) hands
it to the AI worker's queue. Only the asker (or an admin) may read a query: anyone else
gets 404, so query ids cannot be probed. The list is the caller's own questions alone,
admins included: reading another's goes by id.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from ulid import ULID

from salesportal.auth import Role
from salesportal.config import Settings, load
from salesportal.contract import LOCATION, refusals, success
from salesportal.data.ai_queries import AiQueryRepository
from salesportal.data.customers import CustomerRepository
from salesportal.errors import NotFound
from salesportal.http import caller, rest_resolver
from salesportal.models.ai import AiQuery, AiQueryRequest
from salesportal.models.applications import ULID_PATTERN
from salesportal.models.common import Page
from salesportal.observability import entrypoint, logger, metrics

app = rest_resolver()
RETENTION = timedelta(days=30)


class AiQueriesSettings(Settings):
    ai_queries_table_name: str
    customers_table_name: str


@app.post(
    "/ai/queries",
    responses={
        202: success("Queued; poll Location for the answer", headers=LOCATION),
        **refusals({404: "No such customer to ask about (customer_not_found)"}),
    },
)
def ask(body: AiQueryRequest) -> Response[AiQuery]:
    principal = caller(app)
    settings = load(AiQueriesSettings)
    if body.customer_id and CustomerRepository(settings.customers_table_name).get(body.customer_id) is None:
        raise NotFound(f"No customer {body.customer_id!r}.", code="customer_not_found")
    now = datetime.now(UTC)
    query = {
        "queryId": str(ULID()),
        "status": "QUEUED",
        "question": body.question,
        "customerId": body.customer_id,
        "askedBy": principal.sub,
        "createdAt": now.isoformat(),
        "expiresAt": (now + RETENTION).isoformat(),
    }
    AiQueryRepository(settings.ai_queries_table_name).create(
        {k: v for k, v in query.items() if v is not None},
        actor=principal.actor,
        ttl_epoch=int((now + RETENTION).timestamp()),
    )
    metrics.add_metric(name="AiQueriesAsked", unit="Count", value=1)
    logger.info(
        "ai query accepted", extra={"query_id": query["queryId"], "with_customer": bool(body.customer_id)}
    )
    return Response(
        status_code=202,
        content_type="application/json",
        body=AiQuery.model_validate(query),
        headers={"Location": f"/v1/ai/queries/{query['queryId']}"},
    )


@app.get("/ai/queries")
def my_queries(
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
    next_token: Annotated[str | None, Query(alias="nextToken", max_length=2048)] = None,
) -> Page[AiQuery]:
    principal = caller(app)
    items, token = AiQueryRepository(load(AiQueriesSettings).ai_queries_table_name).list_by_asker(
        principal.sub, now_epoch=int(datetime.now(UTC).timestamp()), limit=limit, token=next_token
    )
    return Page[AiQuery](items=[AiQuery.model_validate(i) for i in items], next_token=token)


@app.get(
    "/ai/queries/<queryId>",
    responses={
        200: success("The query and, once answered, its answer"),
        **refusals({404: "No such query, or expired"}),
    },
)
def get_query(query_id: Annotated[str, Path(alias="queryId", pattern=ULID_PATTERN)]) -> AiQuery:
    principal = caller(app)
    item = AiQueryRepository(load(AiQueriesSettings).ai_queries_table_name).get(query_id)
    if item is None or (item["askedBy"] != principal.sub and not principal.has(Role.ADMIN)):
        raise NotFound("No such query.", code="query_not_found")
    if datetime.fromisoformat(item["expiresAt"]) <= datetime.now(UTC):
        raise NotFound("No such query.", code="query_not_found")  # expired; TTL deletes lazily
    return AiQuery.model_validate(item)


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
