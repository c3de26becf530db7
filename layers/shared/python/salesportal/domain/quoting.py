"""Quote rules: validity period and the status a quote shows at a given moment."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

QUOTE_VALIDITY = timedelta(days=30)
# DynamoDB's TTL removes a quote a week after it expires, so a late customer reads
# "expired" rather than "not found".
TTL_GRACE = timedelta(days=7)


def expires_at(created_at: datetime) -> datetime:
    return created_at + QUOTE_VALIDITY


def status(expires: datetime, now: datetime) -> Literal["ACTIVE", "EXPIRED"]:
    return "ACTIVE" if now < expires else "EXPIRED"
