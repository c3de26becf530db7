"""Quotes: what a customer asks to be priced, and the priced answer with its breakdown."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from salesportal.models.common import ApiModel, InputModel, IsoDate, Money
from salesportal.models.customers import US_STATE

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


class RatingStep(ApiModel):
    name: str
    factor: str  # a decimal as text: never a float
    monthly: Money


class PremiumBreakdown(ApiModel):
    base_monthly: Money
    steps: list[RatingStep]
    premium_tax_monthly: Money
    fee_monthly: Money


class Quote(ApiModel):
    quote_id: str
    product_id: str
    coverage_option_code: str
    state: str
    status: Literal["ACTIVE", "EXPIRED"]
    monthly_premium: Money
    annual_premium: Money
    breakdown: PremiumBreakdown
    created_at: datetime
    expires_at: datetime
