"""Applying with in-memory ports: one application per own, unexpired quote whose identity
matches; an approved application accepted into one policy, however often or concurrently."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from salesportal.domain.sales import Address, Decision, Money
from salesportal.errors import Conflict, Gone, NotFound, Unprocessable
from salesportal.workflows import applying
from tests.fakes.applications import (
    CUSTOMER,
    NO_DECLARATIONS,
    NOW,
    OTHER,
    QUOTE_ID,
    Clock,
    FakeApplications,
    FakePolicies,
    a_quote,
    an_application,
    an_identity,
)

ACTOR = f"customer:{CUSTOMER}"


def _world(clock: Clock | None = None) -> tuple[applying.Ports, FakeApplications, FakePolicies]:
    applications = FakeApplications()
    applications.put_quote(a_quote(), keep_until=NOW + timedelta(days=37), actor=ACTOR)
    policies = FakePolicies(applications)
    return applying.Ports(applications, policies, clock or Clock()), applications, policies


def _submission(**overrides: object) -> applying.Submission:
    submission = applying.Submission(CUSTOMER, ACTOR, QUOTE_ID, an_identity(), NO_DECLARATIONS)
    return replace(submission, **overrides)


def test_an_application_carries_the_quotes_terms_and_the_applicants_answers():
    ports, applications, _ = _world()
    submitted = applying.submit(_submission(), ports)
    application = submitted.application
    assert submitted.created and application.status == "SUBMITTED"
    assert application.quoted_annual_premium == Money(39_900) and application.quoted_monthly_premium == Money(
        3500
    )
    assert (application.product_id, application.state, application.date_of_birth) == (
        "term-life",
        "TX",
        date(1988, 6, 15),
    )
    assert application.identity == an_identity() and application.submitted_at == NOW
    assert applications.quote(CUSTOMER, QUOTE_ID).application_id == application.application_id


def test_applying_twice_from_one_quote_answers_with_the_first_application():
    ports, applications, _ = _world()
    first = applying.submit(_submission(), ports)
    second = applying.submit(_submission(), ports)
    assert not second.created and second.application == first.application
    assert len(applications.stored) == 1


def test_a_concurrent_submission_that_won_is_the_answer():
    ports, applications, _ = _world()
    winner = an_application(application_id="01JD8X3K9Q2M4N6P8R0T2V4W00")
    applications.interfere = lambda: applications.submit(winner, actor=ACTOR)
    submitted = applying.submit(_submission(), ports)
    assert not submitted.created and submitted.application == winner


def test_a_quote_deleted_by_its_ttl_while_applying_is_not_found():
    ports, applications, _ = _world()
    applications.interfere = lambda: applications.quotes.clear()
    with pytest.raises(NotFound) as error:
        applying.submit(_submission(), ports)
    assert error.value.code == "quote_not_found" and applications.stored == {}


def test_a_quote_expires_at_the_end_of_its_validity():
    clock = Clock(NOW + timedelta(days=30))
    ports, applications, _ = _world(clock)
    with pytest.raises(Gone) as error:
        applying.submit(_submission(), ports)
    assert error.value.code == "quote_expired" and applications.stored == {}
    clock.now -= timedelta(microseconds=1)
    assert applying.submit(_submission(), ports).created


@pytest.mark.parametrize(
    ("identity", "field"),
    [
        (an_identity(date_of_birth=date(1990, 1, 1)), "identity.dateOfBirth"),
        (an_identity(address=Address("1 Main St", "Los Angeles", "CA", "90001")), "identity.address.state"),
    ],
)
def test_the_identity_must_match_what_the_quote_was_priced_on(identity, field):
    ports, applications, _ = _world()
    with pytest.raises(Unprocessable) as error:
        applying.submit(_submission(identity=identity), ports)
    assert error.value.details[0]["field"] == field and applications.stored == {}


def test_another_customers_quote_is_not_found():
    ports, _, _ = _world()
    with pytest.raises(NotFound) as error:
        applying.submit(_submission(customer_id=OTHER, actor=f"customer:{OTHER}"), ports)
    assert error.value.code == "quote_not_found"


def _approved(annual: int = 43_890, monthly: int = 3850, bps: int = 1000):
    decision = Decision(
        "APPROVED",
        ("Approved with a 10% risk loading.",),
        "underwriting-rules",
        NOW,
        bps,
        Money(annual),
        Money(monthly),
    )
    return an_application(status="APPROVED", decision=decision)


def test_accepting_an_approved_application_issues_the_policy_on_the_approved_terms():
    ports, applications, policies = _world(Clock(NOW + timedelta(days=2)))
    applications.add(application := _approved())
    accepted = applying.accept(CUSTOMER, application.application_id, ACTOR, ports)
    policy = accepted.policy
    assert accepted.created and policy.status == "PENDING_PAYMENT"
    assert policy.policy_id == application.application_id  # one application, at most one policy
    assert (policy.annual_premium, policy.monthly_premium) == (Money(43_890), Money(3850))
    assert policy.premium_adjustment_bps == 1000  # kept: a renewal is rated with the same loading
    assert (policy.term.start, policy.term.end) == (date(2026, 12, 3), date(2027, 12, 3))
    assert policy.policy_number.startswith("TL-2026-")
    assert policy.date_of_birth == application.date_of_birth
    stored = applications.stored[application.application_id]
    assert stored.status == "ACCEPTED" and stored.policy_id == policy.policy_id
    assert policies.policies == {policy.policy_id: policy}


def test_accepting_again_answers_with_the_policy_issued_then():
    ports, applications, policies = _world()
    applications.add(application := _approved())
    first = applying.accept(CUSTOMER, application.application_id, ACTOR, ports)
    again = applying.accept(CUSTOMER, application.application_id, ACTOR, ports)
    assert not again.created and again.policy == first.policy and len(policies.policies) == 1


def test_losing_a_race_to_accept_answers_with_the_winners_policy():
    ports, applications, policies = _world()
    applications.add(application := _approved())
    racing = applying.Ports(applications, policies, Clock(NOW - timedelta(seconds=1)))
    applications.interfere = lambda: applying.accept(CUSTOMER, application.application_id, ACTOR, racing)
    accepted = applying.accept(CUSTOMER, application.application_id, ACTOR, ports)
    assert not accepted.created and accepted.policy.issued_at == NOW - timedelta(seconds=1)
    assert len(policies.policies) == 1


@pytest.mark.parametrize("status", ["SUBMITTED", "REFERRED", "DECLINED", "UNDER_REVIEW"])
def test_only_an_approved_application_can_be_accepted(status):
    ports, applications, policies = _world()
    applications.add(application := an_application(status=status))
    with pytest.raises(Conflict) as error:
        applying.accept(CUSTOMER, application.application_id, ACTOR, ports)
    assert error.value.code == "invalid_application_state" and error.value.details == {"status": status}
    assert policies.policies == {}


def test_another_customers_application_is_not_found():
    ports, applications, _ = _world()
    applications.add(application := _approved())
    with pytest.raises(NotFound):
        applying.accept(OTHER, application.application_id, f"customer:{OTHER}", ports)
    with pytest.raises(NotFound):
        applying.read(OTHER, application.application_id, ports)


def test_a_customers_applications_are_listed_newest_first_in_pages():
    ports, applications, _ = _world()
    ids = [f"01JD8X3K9Q2M4N6P8R0T2V4W{n:02d}" for n in range(3)]
    applications.add(
        *(an_application(application_id=i) for i in ids),
        an_application(application_id="X", customer_id=OTHER),
    )
    first = applying.listing(CUSTOMER, ports, limit=2, token=None)
    rest = applying.listing(CUSTOMER, ports, limit=2, token=first.next_token)
    assert [a.application_id for a in first.items + rest.items] == ids[::-1] and rest.next_token is None
