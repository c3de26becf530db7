"""Quotes: what a customer asks to be priced, and the priced answer with its breakdown."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import Field, StringConstraints

from salesportal.contract import LOCATION, refusals, success
from salesportal.domain import sales
from salesportal.domain.quoting import QuoteStatus
from salesportal.domain.rating import RatingFacts
from salesportal.models.common import ApiModel, InputModel, IsoDate, Money
from salesportal.models.customers import US_STATE

QuoteId = Annotated[str, Path(alias="quoteId", pattern=r"^[0-9A-HJKMNP-TV-Z]{26}$")]
RiskKey = Annotated[str, StringConstraints(pattern=r"^[a-zA-Z]{1,32}$")]
RiskLevel = Annotated[str, StringConstraints(pattern=r"^[a-zA-Z0-9_-]{1,32}$")]


class QuoteRequest(InputModel):
    product_id: str = Field(pattern=r"^[a-z0-9-]{1,64}$")
    coverage_option_code: str = Field(pattern=r"^[A-Z0-9-]{1,32}$")
    state: str = Field(pattern=US_STATE, description="Two-letter US state code where the risk is")
    date_of_birth: IsoDate
    risk_factors: dict[RiskKey, RiskLevel] = Field(
        default_factory=dict, max_length=10, description='Product-specific, e.g. {"smoker": "false"}'
    )

    def facts(self) -> RatingFacts:
        return RatingFacts(self.date_of_birth, self.state, dict(self.risk_factors))


class RatingStep(ApiModel):
    name: str
    factor: str  # a decimal as text: never a float
    monthly: Money


class PremiumBreakdown(ApiModel):
    base_monthly: Money
    steps: list[RatingStep]
    premium_tax_monthly: Money
    fee_monthly: Money

    @classmethod
    def from_entity(cls, breakdown: sales.PremiumBreakdown) -> PremiumBreakdown:
        return cls(
            base_monthly=Money.of(breakdown.base_monthly),
            steps=[
                RatingStep(name=s.name, factor=s.factor, monthly=Money.of(s.monthly)) for s in breakdown.steps
            ],
            premium_tax_monthly=Money.of(breakdown.premium_tax_monthly),
            fee_monthly=Money.of(breakdown.fee_monthly),
        )


class Quote(ApiModel):
    quote_id: str
    product_id: str
    coverage_option_code: str
    state: str
    status: QuoteStatus
    monthly_premium: Money
    annual_premium: Money
    breakdown: PremiumBreakdown
    created_at: datetime
    expires_at: datetime

    @classmethod
    def from_entity(cls, quote: sales.Quote, status: QuoteStatus) -> Quote:
        """The quote as its owner reads it: never the date of birth or risk answers it was
        priced on (the request carried them; the stored quote keeps them to apply)."""
        return cls(
            quote_id=quote.quote_id,
            product_id=quote.product_id,
            coverage_option_code=quote.coverage_option_code,
            state=quote.state,
            status=status,
            monthly_premium=Money.of(quote.monthly_premium),
            annual_premium=Money.of(quote.annual_premium),
            breakdown=PremiumBreakdown.from_entity(quote.breakdown),
            created_at=quote.created_at,
            expires_at=quote.expires_at,
        )


# -- what the routes answer (their OpenAPI), beside the models they answer with -------------
CREATE_RESPONSES: dict[int, OpenAPIResponse] = {
    201: success("Quoted; Location names the quote", headers=LOCATION),
    **refusals({422: "The product, option, state or age cannot be quoted (validation_error)"}),
}
READ_RESPONSES: dict[int, OpenAPIResponse] = {
    200: success("The quote"),
    **refusals({404: "No such quote (quote_not_found)"}),
}
