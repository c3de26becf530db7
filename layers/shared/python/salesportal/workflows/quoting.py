"""Quoting: a premium priced from the product's rate table, offered for a set time.

Rating is one step, ``domain.rating.rate_on`` over the catalog's current rate table: a quote
prices on the day it is made, a renewal (workflows.renewing) on the first day of the term it
offers, with the facts the quote was priced on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from ulid import ULID

from salesportal.domain import quoting
from salesportal.domain.quoting import QuoteStatus
from salesportal.domain.rating import RatingFacts, rate_on
from salesportal.domain.sales import Quote
from salesportal.errors import NotFound, Unprocessable
from salesportal.models.rating import RateTable


class RateTables(Protocol):
    def rate_table(self, product_id: str) -> RateTable | None:
        """The product's rate table; None when there is no such product or it is not rated."""
        ...


class Quotes(Protocol):
    def put_quote(self, quote: Quote, *, keep_until: datetime, actor: str) -> None: ...

    def quote(self, customer_id: str, quote_id: str) -> Quote | None: ...


@dataclass(frozen=True)
class Ports:
    catalog: RateTables
    quotes: Quotes
    clock: Callable[[], datetime]  # aware, UTC


@dataclass(frozen=True)
class QuoteRequest:
    customer_id: str
    actor: str
    product_id: str
    coverage_option_code: str
    facts: RatingFacts


@dataclass(frozen=True)
class Quoted:
    """A quote and the status it shows at the moment it was read."""

    quote: Quote
    status: QuoteStatus


def create(request: QuoteRequest, ports: Ports) -> Quoted:
    now, facts = ports.clock(), request.facts
    table = ports.catalog.rate_table(request.product_id)
    if table is None:
        raise Unprocessable(
            f"No product {request.product_id!r} can be quoted.",
            details=[{"field": "productId", "message": "unknown product", "type": "value_error"}],
        )
    # What cannot be rated (option, state, age, a risk level) is Unprocessable, naming the field.
    premium = rate_on(table, request.coverage_option_code, facts, now.date())
    quote = Quote(
        quote_id=str(ULID()),
        customer_id=request.customer_id,
        product_id=request.product_id,
        coverage_option_code=request.coverage_option_code,
        state=facts.state,
        monthly_premium=premium.monthly(),
        annual_premium=premium.annual(),
        breakdown=premium.breakdown(),
        date_of_birth=facts.date_of_birth,  # needed to apply; masked in audit, never logged
        risk_factors=dict(facts.risk_factors),
        created_at=now,
        expires_at=quoting.expires_at(now),
    )
    ports.quotes.put_quote(quote, keep_until=quoting.keep_until(quote), actor=request.actor)
    return Quoted(quote, quoting.status(quote, now))


def read(customer_id: str, quote_id: str, ports: Ports) -> Quoted:
    """The caller's own quote: another customer's id is simply not found."""
    quote = ports.quotes.quote(customer_id, quote_id)
    if quote is None:
        raise NotFound("No such quote.", code="quote_not_found")
    return Quoted(quote, quoting.status(quote, ports.clock()))
