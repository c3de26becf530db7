"""Mailing plan information: each queued request sent to the mail house once.

A request already SENT or REJECTED is not sent again (the same request queued twice). A
request the mail house refuses (4xx) is recorded REJECTED with the reason and not retried,
since it would fail the same way; an outage raises, so the queue retries the message and
then keeps it in its DLQ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from salesportal.domain.mailing import MailOutcome, MailRequest, MailStatus
from salesportal.integrations.checks import RequestRejected
from salesportal.integrations.fulfillment import Fulfillment

Mailed = Literal["sent", "rejected", "already_handled"]


class MailLog(Protocol):
    def handled(self, request_id: str) -> MailStatus | None: ...

    def record(self, request: MailRequest, outcome: MailOutcome) -> None: ...


@dataclass(frozen=True)
class Ports:
    log: MailLog
    mail_house: Fulfillment
    now: datetime


def mail(ports: Ports, request: MailRequest) -> Mailed:
    if ports.log.handled(request.request_id) is not None:
        return "already_handled"
    recipient = {"name": request.recipient_name, "address": dict(request.address)}
    try:
        letter = ports.mail_house.send(
            request_id=request.request_id,
            plan_id=request.plan_id,
            plan_name=request.plan_name,
            recipient=recipient,
        )
    except RequestRejected as refused:
        ports.log.record(request, MailOutcome("REJECTED", ports.now, reason=str(refused)))
        return "rejected"
    ports.log.record(request, MailOutcome("SENT", ports.now, fulfillment_id=letter))
    return "sent"
