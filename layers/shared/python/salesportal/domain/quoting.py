"""Quote rules: the validity period, how long an expired quote is kept, the status it shows.

When a quote expires is ``Quote.expired`` (salesportal.domain.sales), the one test every
reader applies: the quote's own status and whether it can still be applied for.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from salesportal.domain.sales import Quote

QuoteStatus = Literal["ACTIVE", "EXPIRED"]

QUOTE_VALIDITY = timedelta(days=30)
# DynamoDB's TTL removes a quote a week after it expires, so a late customer reads
# "expired" rather than "not found".
TTL_GRACE = timedelta(days=7)


def expires_at(created_at: datetime) -> datetime:
    return created_at + QUOTE_VALIDITY


def keep_until(quote: Quote) -> datetime:
    """When the stored quote may be deleted: a grace period after it expired."""
    return quote.expires_at + TTL_GRACE


def status(quote: Quote, now: datetime) -> QuoteStatus:
    return "EXPIRED" if quote.expired(now) else "ACTIVE"
