"""Requesting plan information by post with in-memory plans and queue: one id per plan,
person, address and day, whatever the case; only a plan on sale; the message as queued."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from salesportal.domain.mailing import MailRequest
from salesportal.domain.profile import PostalAddress
from salesportal.errors import NotFound
from salesportal.workflows import requesting_mail
from tests.fakes.plans import NOW, FakePlans, a_plan

HOME = PostalAddress(line1="1 Main St", city="Austin", state="TX", postal_code="78701")


@dataclass
class FakeQueue:
    sent: list[MailRequest] = field(default_factory=list)

    def send(self, request: MailRequest) -> None:
        self.sent.append(request)


def _ports(now=NOW) -> tuple[requesting_mail.Ports, FakeQueue]:
    plans = FakePlans({p.plan_id: p for p in (a_plan("DEMO-PLUS"), a_plan("OLD", status="INACTIVE"))})
    queue = FakeQueue()
    return requesting_mail.Ports(plans, queue, clock=lambda: now), queue


def test_a_request_is_queued_with_the_plan_name_and_the_address_as_the_mail_house_takes_it():
    ports, queue = _ports()
    mail = requesting_mail.request(ports, "DEMO-PLUS", "Sam Okafor", HOME)
    assert queue.sent == [mail]
    assert (mail.plan_name, mail.recipient_name, mail.requested_at) == ("DEMO-PLUS Rx", "Sam Okafor", NOW)
    assert mail.address == {"line1": "1 Main St", "city": "Austin", "state": "TX", "postalCode": "78701"}


def test_the_same_request_the_same_day_has_the_same_id_whatever_the_case():
    ports, _ = _ports()
    first = requesting_mail.request(ports, "DEMO-PLUS", "Sam Okafor", HOME)
    again = requesting_mail.request(
        ports, "DEMO-PLUS", "SAM OKAFOR", PostalAddress("1 MAIN ST", "austin", "TX", "78701")
    )
    assert first.request_id == again.request_id
    # The id the API has always given this request (the mail house dedupes on it).
    assert first.request_id == "a1d5fc7c21f110587cc6496244b68039"


def test_another_person_address_or_day_is_another_request():
    ports, _ = _ports()
    base = requesting_mail.request(ports, "DEMO-PLUS", "Sam Okafor", HOME).request_id
    assert requesting_mail.request(ports, "DEMO-PLUS", "Ana Okafor", HOME).request_id != base
    moved = PostalAddress("1 Main St", "Austin", "TX", "78701", line2="Apt 2")
    assert requesting_mail.request(ports, "DEMO-PLUS", "Sam Okafor", moved).request_id != base
    tomorrow, _ = _ports(NOW + timedelta(days=1))
    assert requesting_mail.request(tomorrow, "DEMO-PLUS", "Sam Okafor", HOME).request_id != base
    assert requesting_mail.request_id("DEMO-PLUS", "Sam Okafor", HOME, date(2026, 12, 1)) == base


@pytest.mark.parametrize("plan_id", ["OLD", "NOPE"])
def test_a_plan_not_on_sale_is_plan_not_found_and_nothing_is_queued(plan_id):
    ports, queue = _ports()
    with pytest.raises(NotFound) as refused:
        requesting_mail.request(ports, plan_id, "Sam Okafor", HOME)
    assert refused.value.code == "plan_not_found" and queue.sent == []
