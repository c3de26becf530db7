"""POST /quotes and GET /quotes/{quoteId}: instant premium quotes, valid for 30 days.

The price comes from the product's rate table in the catalog (salesportal.domain.rating);
a quote belongs to the caller and is stored in their own partition.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from ulid import ULID

from salesportal.config import Settings, load
from salesportal.contract import LOCATION, refusals, success
from salesportal.data.catalog import CatalogRepository
from salesportal.data.sales import SalesRepository
from salesportal.domain import quoting
from salesportal.domain.profile import age_on
from salesportal.domain.rating import Applicant, Premium, rate
from salesportal.errors import NotFound, Unprocessable
from salesportal.http import caller, rest_resolver
from salesportal.models.common import Money
from salesportal.models.quotes import PremiumBreakdown, Quote, QuoteRequest, RatingStep
from salesportal.models.rating import RateTable
from salesportal.observability import entrypoint, logger, metrics

app = rest_resolver()


class QuotesSettings(Settings):
    catalog_table_name: str
    sales_table_name: str


def _money(cents: int) -> Money:
    return Money(amount_cents=cents)


def _breakdown(premium: Premium) -> PremiumBreakdown:
    return PremiumBreakdown(
        base_monthly=_money(premium.base_monthly_cents),
        steps=[
            RatingStep(name=s.name, factor=str(s.factor), monthly=_money(s.monthly_cents))
            for s in premium.steps
        ],
        premium_tax_monthly=_money(premium.tax_monthly_cents),
        fee_monthly=_money(premium.fee_monthly_cents),
    )


@app.post(
    "/quotes",
    responses={
        201: success("Quoted; Location names the quote", headers=LOCATION),
        **refusals({422: "The product, option, state or age cannot be quoted (validation_error)"}),
    },
)
def create_quote(body: QuoteRequest) -> Response[Quote]:
    principal = caller(app)
    settings = load(QuotesSettings)
    product = CatalogRepository(settings.catalog_table_name).get_product(body.product_id)
    if product is None or "rating" not in product:
        raise Unprocessable(
            f"No product {body.product_id!r} can be quoted.",
            details=[{"field": "productId", "message": "unknown product", "type": "value_error"}],
        )
    now = datetime.now(UTC)
    applicant = Applicant(
        age=age_on(body.date_of_birth, now.date()), state=body.state, risk=body.risk_factors
    )
    premium = rate(RateTable.model_validate(product["rating"]), body.coverage_option_code, applicant)
    expires = quoting.expires_at(now)
    quote = Quote(
        quote_id=str(ULID()),
        product_id=body.product_id,
        coverage_option_code=body.coverage_option_code,
        state=body.state,
        status="ACTIVE",
        monthly_premium=_money(premium.monthly_cents),
        annual_premium=_money(premium.annual_cents),
        breakdown=_breakdown(premium),
        created_at=now,
        expires_at=expires,
    )
    stored = {
        **quote.model_dump(mode="json", by_alias=True, exclude={"status"}),
        "dateOfBirth": body.date_of_birth.isoformat(),  # needed to apply; masked in audit, never logged
        "riskFactors": body.risk_factors,
    }
    SalesRepository(settings.sales_table_name).put_quote(
        principal.sub, stored, actor=principal.actor, ttl_epoch=int((expires + quoting.TTL_GRACE).timestamp())
    )
    metrics.add_metric(name="QuotesCreated", unit="Count", value=1)
    logger.info("quote created", extra={"quote_id": quote.quote_id, "product_id": quote.product_id})
    return Response(
        status_code=201,
        content_type="application/json",
        body=quote,
        headers={"Location": f"/v1/quotes/{quote.quote_id}"},
    )


@app.get(
    "/quotes/<quoteId>",
    responses={200: success("The quote"), **refusals({404: "No such quote (quote_not_found)"})},
)
def get_quote(quote_id: Annotated[str, Path(alias="quoteId", pattern=r"^[0-9A-HJKMNP-TV-Z]{26}$")]) -> Quote:
    principal = caller(app)
    item = SalesRepository(load(QuotesSettings).sales_table_name).get_quote(principal.sub, quote_id)
    if item is None:
        raise NotFound("No such quote.", code="quote_not_found")
    expires = datetime.fromisoformat(item["expiresAt"])
    return Quote.model_validate({**item, "status": quoting.status(expires, datetime.now(UTC))})


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
