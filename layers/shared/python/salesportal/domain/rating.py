"""The rating engine: a premium from a product's rate table and the applicant's facts.

Pure and table-driven: every number comes from the ``RateTable`` handed in; the breakdown
says which factor did what, so a customer (and an auditor) can follow the price.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from salesportal.domain.profile import age_on
from salesportal.domain.sales import Money, PremiumBreakdown, RatingStep
from salesportal.errors import Unprocessable
from salesportal.models.rating import RateTable

_BPS = Decimal(10_000)


@dataclass(frozen=True)
class Applicant:
    age: int
    state: str
    risk: Mapping[str, str]  # e.g. {"smoker": "false"} or {"drivingRecord": "clean"}


@dataclass(frozen=True)
class RatingFacts:
    """What a price depends on besides the product: kept on a quote, an application and a
    policy, so a renewal is rated on the same facts as the quote was."""

    date_of_birth: date
    state: str
    risk_factors: Mapping[str, str]


@dataclass(frozen=True)
class Step:
    name: str
    factor: Decimal
    monthly_cents: int  # the running premium after this step


@dataclass(frozen=True)
class Premium:
    base_monthly_cents: int
    steps: tuple[Step, ...]
    rated_monthly_cents: int
    tax_monthly_cents: int
    fee_monthly_cents: int
    monthly_cents: int
    annual_cents: int

    def monthly(self, currency: str = "USD") -> Money:
        return Money(self.monthly_cents, currency)

    def annual(self, currency: str = "USD") -> Money:
        return Money(self.annual_cents, currency)

    def breakdown(self, currency: str = "USD") -> PremiumBreakdown:
        """The steps a customer (and an auditor) can follow the price by."""
        return PremiumBreakdown(
            base_monthly=Money(self.base_monthly_cents, currency),
            steps=tuple(
                RatingStep(s.name, str(s.factor), Money(s.monthly_cents, currency)) for s in self.steps
            ),
            premium_tax_monthly=Money(self.tax_monthly_cents, currency),
            fee_monthly=Money(self.fee_monthly_cents, currency),
        )


def _cents(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _invalid(field: str, message: str) -> Unprocessable:
    return Unprocessable(message, details=[{"field": field, "message": message, "type": "value_error"}])


def rate(table: RateTable, option_code: str, applicant: Applicant) -> Premium:
    if option_code not in table.base_monthly_cents:
        raise _invalid("coverageOptionCode", f"{option_code!r} is not an option of this product.")
    if applicant.state not in table.state_factors:
        raise _invalid("state", f"This product is not sold in {applicant.state}.")
    band = next((b for b in table.age_bands if b.min_age <= applicant.age <= b.max_age), None)
    if band is None:
        raise _invalid("dateOfBirth", f"Applicants aged {applicant.age} cannot be covered by this product.")

    factors: list[tuple[str, Decimal]] = [
        (f"age {band.min_age}-{band.max_age}", band.factor),
        (f"state {applicant.state}", table.state_factors[applicant.state]),
    ]
    for name, levels in sorted(table.risk_factors.items()):
        level = applicant.risk.get(name)
        if level is None or level not in levels:
            raise _invalid(name, f"{name} must be one of {', '.join(sorted(levels))}.")
        factors.append((f"{name} {level}", levels[level]))

    base = table.base_monthly_cents[option_code]
    running = Decimal(base)
    steps = []
    for name, factor in factors:
        running *= factor
        steps.append(Step(name, factor, _cents(running)))
    rated = _cents(running)
    tax = _cents(Decimal(rated) * table.premium_tax_bps.get(applicant.state, 0) / _BPS)
    monthly = rated + tax + table.monthly_fee_cents
    annual = _cents(Decimal(monthly * 12) * (1 - table.annual_payment_discount_bps / _BPS))
    return Premium(base, tuple(steps), rated, tax, table.monthly_fee_cents, monthly, annual)


def rate_on(table: RateTable, option_code: str, facts: RatingFacts, on: date) -> Premium:
    """The premium for ``facts`` with the applicant's age as on ``on``: the day a quote is
    made, or the first day of the term a renewal prices."""
    applicant = Applicant(age=age_on(facts.date_of_birth, on), state=facts.state, risk=facts.risk_factors)
    return rate(table, option_code, applicant)
