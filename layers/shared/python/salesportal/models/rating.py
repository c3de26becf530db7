"""Rate tables: how a product is priced. They live with the product in the catalog, not in code."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel


class _Table(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True, extra="forbid")


class AgeBand(_Table):
    min_age: int = Field(ge=0)
    max_age: int = Field(le=130)
    factor: Decimal = Field(gt=0)


class RateTable(_Table):
    """Monthly premium = base(option) x age band x state x risk factors, then tax and fee.

    Factors are decimals held as strings in the catalog ("1.25"), never floats.
    """

    base_monthly_cents: dict[str, int]  # coverage option code -> base monthly premium
    age_bands: list[AgeBand]
    state_factors: dict[str, Decimal]  # a state missing here is not sold
    risk_factors: dict[str, dict[str, Decimal]] = {}  # e.g. {"smoker": {"true": "2.1", "false": "1"}}
    premium_tax_bps: dict[str, int] = {}  # state premium tax in basis points
    monthly_fee_cents: int = Field(default=0, ge=0)
    annual_payment_discount_bps: int = Field(default=0, ge=0, le=2000)

    @model_validator(mode="after")
    def _bands_do_not_overlap(self) -> RateTable:
        bands = sorted(self.age_bands, key=lambda b: b.min_age)
        for low, high in pairwise(bands):
            if high.min_age <= low.max_age:
                raise ValueError(
                    f"age bands {low.min_age}-{low.max_age} and {high.min_age}-{high.max_age} overlap"
                )
        return self
