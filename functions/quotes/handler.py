"""POST /quotes and GET /quotes/{quoteId}: a caller's own instant quotes (workflows.quoting)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.data.applications import ApplicationsRepository
from salesportal.data.catalog import CatalogRepository
from salesportal.http import caller, rest_resolver
from salesportal.models.quotes import CREATE_RESPONSES, READ_RESPONSES, Quote, QuoteId, QuoteRequest
from salesportal.observability import entrypoint, logger, metrics
from salesportal.workflows import quoting

app = rest_resolver()


class QuotesSettings(Settings):
    catalog_table_name: str
    sales_table_name: str


def _ports() -> quoting.Ports:
    settings = load(QuotesSettings)
    return quoting.Ports(
        catalog=CatalogRepository(settings.catalog_table_name),
        quotes=ApplicationsRepository(settings.sales_table_name),
        clock=lambda: datetime.now(UTC),
    )


@app.post("/quotes", responses=CREATE_RESPONSES)
def create_quote(body: QuoteRequest) -> Response[Quote]:
    principal = caller(app)
    request = quoting.QuoteRequest(
        principal.sub, principal.actor, body.product_id, body.coverage_option_code, body.facts()
    )
    quoted = quoting.create(request, _ports())
    metrics.add_metric(name="QuotesCreated", unit="Count", value=1)
    logger.info("quote created", extra={"quote_id": quoted.quote.quote_id, "product_id": body.product_id})
    return Response(
        status_code=201,
        content_type="application/json",
        body=Quote.from_entity(quoted.quote, quoted.status),
        headers={"Location": f"/v1/quotes/{quoted.quote.quote_id}"},
    )


@app.get("/quotes/<quoteId>", responses=READ_RESPONSES)
def get_quote(quote_id: QuoteId) -> Quote:
    quoted = quoting.read(caller(app).sub, quote_id, _ports())
    return Quote.from_entity(quoted.quote, quoted.status)


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
