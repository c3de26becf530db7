"""Mailing plan information, over an in-memory log and mail house."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from salesportal.domain.mailing import MailOutcome, MailRequest, MailStatus
from salesportal.integrations.checks import RequestRejected
from salesportal.integrations.http import DependencyError
from salesportal.workflows import mailing

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
REQUEST = MailRequest("req-1", "DEMO-PLUS", "Demo Plus", "Dana Rivera", {"line1": "600 Congress Ave"}, NOW)


@dataclass
class Log:
    records: dict[str, MailOutcome] = field(default_factory=dict)

    def handled(self, request_id: str) -> MailStatus | None:
        found = self.records.get(request_id)
        return found.status if found else None

    def record(self, request: MailRequest, outcome: MailOutcome) -> None:
        self.records[request.request_id] = outcome


@dataclass
class MailHouse:
    answer: Exception | None = None
    letters: list[dict[str, Any]] = field(default_factory=list)

    def send(self, *, request_id: str, plan_id: str, plan_name: str, recipient: Any) -> str:
        if self.answer is not None:
            raise self.answer
        self.letters.append({"reference": request_id, "plan": plan_id, "recipient": recipient})
        return f"ful_{len(self.letters)}"


def test_a_request_is_mailed_once_however_often_it_is_queued():
    log, house = Log(), MailHouse()
    assert mailing.mail(mailing.Ports(log, house, NOW), REQUEST) == "sent"
    assert mailing.mail(mailing.Ports(log, house, NOW), REQUEST) == "already_handled"
    assert house.letters == [
        {
            "reference": "req-1",
            "plan": "DEMO-PLUS",
            "recipient": {"name": "Dana Rivera", "address": {"line1": "600 Congress Ave"}},
        }
    ]
    assert log.records["req-1"] == MailOutcome("SENT", NOW, fulfillment_id="ful_1")


def test_a_request_the_mail_house_refuses_is_recorded_and_not_retried():
    log, house = Log(), MailHouse(RequestRejected("fulfillment", "HTTP 422: bad address", status=422))
    assert mailing.mail(mailing.Ports(log, house, NOW), REQUEST) == "rejected"
    assert log.records["req-1"].status == "REJECTED" and "bad address" in (log.records["req-1"].reason or "")
    assert mailing.mail(mailing.Ports(log, MailHouse(), NOW), REQUEST) == "already_handled"


def test_an_outage_is_raised_for_the_queue_to_retry_and_records_nothing():
    log = Log()
    with pytest.raises(DependencyError):
        mailing.mail(mailing.Ports(log, MailHouse(DependencyError("fulfillment", "down")), NOW), REQUEST)
    assert log.records == {}
