"""Insurance products as the catalog API shows them."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from salesportal.models.common import ApiModel, Money

ProductLine = Literal["life", "health", "auto"]


class CoverageOption(ApiModel):
    code: str
    name: str
    coverage_amount: Money | None = None
    deductible: Money | None = None
    term_years: int | None = Field(default=None, ge=1)


class Product(ApiModel):
    product_id: str
    name: str
    line: ProductLine
    description: str
    available_states: list[str]
    starting_monthly_premium: Money
    coverage_options: list[CoverageOption]


class ProductPage(ApiModel):
    items: list[Product]
    next_token: str | None = None
