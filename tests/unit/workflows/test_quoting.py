"""Quoting with in-memory ports: priced from the rate table on the day, stored for its owner,
expiring after its validity and kept a grace period for the TTL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from salesportal.domain.rating import RatingFacts
from salesportal.errors import NotFound, Unprocessable
from salesportal.workflows import quoting
from tests.fakes.applications import CUSTOMER, NOW, OTHER, Clock, FakeApplications, FakeCatalog


def _ports(clock: Clock | None = None) -> tuple[quoting.Ports, FakeApplications]:
    quotes = FakeApplications()
    return quoting.Ports(FakeCatalog(), quotes, clock or Clock()), quotes


def _request(
    *, born: date = date(1988, 6, 15), state: str = "TX", product: str = "term-life"
) -> quoting.QuoteRequest:
    facts = RatingFacts(born, state, {"smoker": "false"})
    return quoting.QuoteRequest(CUSTOMER, f"customer:{CUSTOMER}", product, "TL-250K", facts)


def test_a_quote_is_priced_from_the_table_and_stored_for_its_owner():
    ports, quotes = _ports()
    quoted = quoting.create(_request(), ports)
    quote = quoted.quote
    # 2000 x 1.5 (age 38) x 1.1 (TX) x 1.0 (non-smoker) = 3300, + 1.75 % tax (58) + 100 fee
    assert quote.monthly_premium.amount_cents == 3300 + 58 + 100
    assert quote.annual_premium.amount_cents == round(3458 * 12 * 0.95)
    assert [s.monthly.amount_cents for s in quote.breakdown.steps] == [3000, 3300, 3300]
    assert quoted.status == "ACTIVE" and quote.customer_id == CUSTOMER
    assert quote.date_of_birth == date(1988, 6, 15) and dict(quote.risk_factors) == {"smoker": "false"}
    assert quotes.quote(CUSTOMER, quote.quote_id) == quote


def test_a_quote_is_valid_for_thirty_days_and_kept_a_week_longer():
    ports, quotes = _ports()
    quote = quoting.create(_request(), ports).quote
    assert quote.created_at == NOW and quote.expires_at == NOW + timedelta(days=30)
    assert quotes.kept_until[quote.quote_id] == NOW + timedelta(days=37)


def test_the_applicants_age_is_taken_on_the_day_of_the_quote():
    clock = Clock()
    ports, _ = _ports(clock)
    # 70 today (born 1956-12-01), 71 tomorrow: the table covers 18-70.
    assert quoting.create(_request(born=date(1956, 12, 1)), ports).quote.monthly_premium
    clock.advance(timedelta(days=365))
    with pytest.raises(Unprocessable) as error:
        quoting.create(_request(born=date(1956, 12, 1)), ports)
    assert error.value.details[0]["field"] == "dateOfBirth"


def test_an_unknown_or_unrated_product_is_refused_naming_the_field_and_nothing_is_stored():
    ports, quotes = _ports()
    with pytest.raises(Unprocessable) as error:
        quoting.create(_request(product="no-such"), ports)
    assert error.value.details[0]["field"] == "productId"
    with pytest.raises(Unprocessable) as error:
        quoting.create(_request(state="ME"), ports)
    assert error.value.details[0]["field"] == "state"
    assert quotes.quotes == {}


def test_a_quote_reads_expired_from_the_moment_its_validity_ends():
    clock = Clock()
    ports, _ = _ports(clock)
    quote_id = quoting.create(_request(), ports).quote.quote_id
    clock.advance(timedelta(days=30) - timedelta(microseconds=1))
    assert quoting.read(CUSTOMER, quote_id, ports).status == "ACTIVE"
    clock.advance(timedelta(microseconds=1))
    assert quoting.read(CUSTOMER, quote_id, ports).status == "EXPIRED"


def test_another_customers_quote_is_not_found():
    ports, _ = _ports()
    quote_id = quoting.create(_request(), ports).quote.quote_id
    with pytest.raises(NotFound) as error:
        quoting.read(OTHER, quote_id, ports)
    assert error.value.code == "quote_not_found"
