"""Requesting plan information by post: an active plan's printed material for an address.

The request id is derived from the plan, the recipient and the day, so the same request sent
twice is mailed once (the worker and the Fulfillment API both dedupe on it). A plan that is
not sold (unknown or inactive) is the same 404.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from salesportal.domain.mailing import MailRequest
from salesportal.domain.plans import Plan
from salesportal.domain.profile import PostalAddress
from salesportal.errors import NotFound


class Plans(Protocol):
    def get(self, plan_id: str) -> Plan | None: ...


class Queue(Protocol):
    def send(self, request: MailRequest) -> None: ...


@dataclass(frozen=True)
class Ports:
    plans: Plans
    queue: Queue
    clock: Callable[[], datetime]


def request_id(plan_id: str, name: str, address: PostalAddress, day: date) -> str:
    """The same plan to the same person and address on the same day: the same id (names and
    addresses compared without case)."""
    parts = {
        "line1": address.line1,
        "line2": address.line2,
        "city": address.city,
        "state": address.state,
        "postal_code": address.postal_code,
    }
    recipient = json.dumps(
        {"name": name.casefold(), "address": {k: v for k, v in parts.items() if v is not None}},
        sort_keys=True,
    ).casefold()
    return hashlib.sha256(f"{plan_id}|{recipient}|{day.isoformat()}".encode()).hexdigest()[:32]


def request(ports: Ports, plan_id: str, name: str, address: PostalAddress) -> MailRequest:
    plan = ports.plans.get(plan_id)
    if plan is None or plan.status != "ACTIVE":
        raise NotFound("No such plan.", code="plan_not_found")
    now = ports.clock()
    mail = MailRequest(
        request_id=request_id(plan_id, name, address, now.date()),
        plan_id=plan_id,
        plan_name=plan.plan_name,
        recipient_name=name,
        address=_as_mailed(address),
        requested_at=now,
    )
    ports.queue.send(mail)
    return mail


def _as_mailed(address: PostalAddress) -> dict[str, str]:
    """The address as the mail house takes it (its field names; absent lines left out)."""
    fields = {
        "line1": address.line1,
        "line2": address.line2,
        "city": address.city,
        "state": address.state,
        "postalCode": address.postal_code,
    }
    return {k: v for k, v in fields.items() if v is not None}
