"""Insurance products as the catalog API shows them."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from salesportal.domain import catalog, sales
from salesportal.models.common import ApiModel, Money

ProductLine = Literal["life", "health", "auto"]  # as domain.catalog.ProductLine


class CoverageOption(ApiModel):
    code: str
    name: str
    coverage_amount: Money | None = None
    deductible: Money | None = None
    term_years: int | None = Field(default=None, ge=1)

    @classmethod
    def from_entity(cls, option: catalog.CoverageOption) -> CoverageOption:
        return cls(
            code=option.code,
            name=option.name,
            coverage_amount=_maybe(option.coverage_amount),
            deductible=_maybe(option.deductible),
            term_years=option.term_years,
        )


class Product(ApiModel):
    product_id: str
    name: str
    line: ProductLine
    description: str
    available_states: list[str]
    starting_monthly_premium: Money
    coverage_options: list[CoverageOption]

    @classmethod
    def from_entity(cls, product: catalog.Product) -> Product:
        return cls(
            product_id=product.product_id,
            name=product.name,
            line=product.line,
            description=product.description,
            available_states=list(product.available_states),
            starting_monthly_premium=Money.of(product.starting_monthly_premium),
            coverage_options=[CoverageOption.from_entity(o) for o in product.coverage_options],
        )


class ProductPage(ApiModel):
    items: list[Product]
    next_token: str | None = None


def _maybe(money: sales.Money | None) -> Money | None:
    return None if money is None else Money.of(money)
