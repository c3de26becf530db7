"""Insurance products as the catalog sells them (how each is priced is ``domain.rating``'s)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from salesportal.domain.sales import Money

ProductLine = Literal["life", "health", "auto"]


@dataclass(frozen=True, slots=True)
class CoverageOption:
    code: str
    name: str
    coverage_amount: Money | None = None
    deductible: Money | None = None
    term_years: int | None = None


@dataclass(frozen=True, slots=True)
class Product:
    product_id: str
    name: str
    line: ProductLine
    description: str
    available_states: tuple[str, ...]  # two-letter US state codes
    starting_monthly_premium: Money
    coverage_options: tuple[CoverageOption, ...]
