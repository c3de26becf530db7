"""Plan information by post: a mail request and what became of it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

MailStatus = Literal["SENT", "REJECTED"]


@dataclass(frozen=True, slots=True)
class MailRequest:
    """Mail a plan's information to a person: its id is the mail house's idempotency key."""

    request_id: str
    plan_id: str
    plan_name: str
    recipient_name: str
    address: Mapping[str, str]  # line1, line2, city, state, postalCode, as the mail house takes them
    requested_at: datetime


@dataclass(frozen=True, slots=True)
class MailOutcome:
    status: MailStatus
    at: datetime
    fulfillment_id: str | None = None  # the mail house's id of the letter (SENT)
    reason: str | None = None  # why the mail house refused it (REJECTED)
