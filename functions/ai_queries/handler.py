"""POST /ai/queries, GET /ai/queries and GET /ai/queries/{queryId}: staff questions to the
AI assistant.

The question is committed and answered 202 at once; the table's stream (the outbox) hands
it to the AI worker's queue. Only the asker (or an admin) may read a query: anyone else
gets 404, so query ids cannot be probed. The list is the caller's own questions alone,
admins included: reading another's goes by id.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from ulid import ULID

from salesportal.auth import Role
from salesportal.config import Settings, load
from salesportal.data.ai_queries import AiQueryRepository
from salesportal.data.customers import CustomerRepository
from salesportal.http import caller, rest_resolver
from salesportal.models.ai import ASK_DOCS, QUERY_DOCS, AiQuery, AiQueryRequest
from salesportal.models.applications import ULID_PATTERN
from salesportal.models.common import Page
from salesportal.observability import entrypoint, logger, metrics
from salesportal.workflows import asking

app = rest_resolver()


class AiQueriesSettings(Settings):
    ai_queries_table_name: str
    customers_table_name: str


def _ports() -> asking.Ports:
    s = load(AiQueriesSettings)
    questions, customers = (
        AiQueryRepository(s.ai_queries_table_name),
        CustomerRepository(s.customers_table_name),
    )
    return asking.Ports(questions, customers, clock=lambda: datetime.now(UTC), new_id=lambda: str(ULID()))


def _asker() -> asking.Asker:
    principal = caller(app)
    return asking.Asker(principal.sub, principal.actor, admin=principal.has(Role.ADMIN))


@app.post("/ai/queries", **ASK_DOCS)
def ask(body: AiQueryRequest) -> Response[AiQuery]:
    question = asking.ask(_ports(), _asker(), body.question, body.customer_id)
    metrics.add_metric(name="AiQueriesAsked", unit="Count", value=1)
    logger.info(
        "ai query accepted", extra={"query_id": question.query_id, "with_customer": bool(body.customer_id)}
    )
    location = {"Location": f"/v1/ai/queries/{question.query_id}"}
    return Response(202, "application/json", AiQuery.from_entity(question), headers=location)


@app.get("/ai/queries")
def my_queries(
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
    next_token: Annotated[str | None, Query(alias="nextToken", max_length=2048)] = None,
) -> Page[AiQuery]:
    page = asking.mine(_ports(), _asker(), limit=limit, token=next_token)
    return Page[AiQuery](items=[AiQuery.from_entity(q) for q in page.items], next_token=page.next_token)


@app.get("/ai/queries/<queryId>", **QUERY_DOCS)
def get_query(query_id: Annotated[str, Path(alias="queryId", pattern=ULID_PATTERN)]) -> AiQuery:
    return AiQuery.from_entity(asking.read(_ports(), _asker(), query_id))


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
