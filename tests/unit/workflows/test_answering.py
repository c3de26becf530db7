"""Answering an AI question, with in-memory ports: the customer's data in the prompt, each state moved once."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from salesportal.domain.assistant import CUSTOMER_DATA, SYSTEM_PROMPT, AiQuery, Answer, CustomerSnapshot
from salesportal.domain.sales import Money, Term
from salesportal.integrations.openai import ProviderRefused, ProviderUnavailable
from salesportal.workflows import answering
from tests.fakes.applications import an_application
from tests.fakes.assistant import FakeChatModel, FakeCustomerFacts, FakeQueries
from tests.fakes.sales import a_policy

NOW = datetime(2026, 12, 1, 22, 0, tzinfo=UTC)
ANSWER = Answer("Dana holds one active policy.", "gpt-4o-mini", 120, 12, 132, latency_ms=40)
DANA = CustomerSnapshot(
    given_name="Dana",
    family_name="Rivera",
    state="CA",
    customer_since=datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
)
DANAS_POLICY = a_policy(
    customer_id="c1",
    policy_number="TL-1",
    product_id="term-life-20",
    status="ACTIVE",
    term=Term(date(2026, 2, 1), date(2046, 2, 1)),
    annual_premium=Money(40345),
)
DANAS_APPLICATION = an_application(
    application_id="a1",
    product_id="term-life-20",
    status="APPROVED",
    submitted_at=datetime(2026, 1, 6, tzinfo=UTC),
)


def _facts() -> FakeCustomerFacts:
    return FakeCustomerFacts({"c1": DANA}, held={"c1": [DANAS_POLICY]}, applied={"c1": [DANAS_APPLICATION]})


def _ports(
    queries: FakeQueries, model: FakeChatModel, facts: FakeCustomerFacts | None = None
) -> answering.Ports:
    facts = facts or _facts()
    return answering.Ports(
        queries, customers=facts, policies=facts, applications=facts, model=model, clock=lambda: NOW
    )


def _queries(status: str = "QUEUED", customer_id: str | None = "c1") -> FakeQueries:
    queries = FakeQueries()
    queries.add(AiQuery("q1", status, "Which policies does this customer hold?", customer_id))  # type: ignore[arg-type]
    return queries


def test_a_question_about_a_customer_is_answered_from_their_data_only():
    queries, model = _queries(), FakeChatModel([ANSWER])
    outcome = answering.answer(answering.Attempt("q1", 1, last=False), _ports(queries, model))
    assert outcome == answering.Outcome("answered", answer=ANSWER)
    assert queries.status("q1") == "SUCCEEDED" and queries.stored["q1"].answer == ANSWER
    system, data, user = model.prompts[0]
    assert system.content == SYSTEM_PROMPT and user.content == "Which policies does this customer hold?"
    sent = json.loads(data.content.removeprefix(CUSTOMER_DATA))
    assert sent["customer"] == {
        "givenName": "Dana",
        "familyName": "Rivera",
        "state": "CA",
        "customerSince": "2026-01-05T09:30:00+00:00",
        "contactPreferences": None,
    }
    assert sent["policies"] == [
        {
            "policyNumber": "TL-1",
            "productId": "term-life-20",
            "status": "ACTIVE",
            "termStart": "2026-02-01",
            "termEnd": "2046-02-01",
            "annualPremium": {"amountCents": 40345, "currency": "USD"},
        }
    ]
    assert [a["applicationId"] for a in sent["applications"]] == ["a1"]


def test_at_most_twenty_policies_and_twenty_applications_reach_the_prompt():
    facts = _facts()
    facts.held["c1"] = [DANAS_POLICY] * 25
    facts.applied["c1"] = [DANAS_APPLICATION] * 25
    queries, model = _queries(), FakeChatModel([ANSWER])
    answering.answer(answering.Attempt("q1", 1, last=False), _ports(queries, model, facts))
    sent = json.loads(model.prompts[0][1].content.removeprefix(CUSTOMER_DATA))
    assert (len(sent["policies"]), len(sent["applications"]), facts.limits) == (20, 20, [20, 20])


def test_a_general_question_sends_no_customer_data():
    queries, model, facts = _queries(customer_id=None), FakeChatModel([ANSWER]), FakeCustomerFacts()
    answering.answer(answering.Attempt("q1", 1, last=False), _ports(queries, model, facts))
    assert [m.role for m in model.prompts[0]] == ["system", "user"] and facts.asked == []


@pytest.mark.parametrize("status", ["SUCCEEDED", "FAILED"])
def test_a_redelivered_message_for_a_finished_query_changes_nothing(status):
    queries, model = _queries(status), FakeChatModel()
    outcome = answering.answer(answering.Attempt("q1", 2, last=False), _ports(queries, model))
    assert outcome.kind == "finished_before" and model.prompts == [] and queries.stored["q1"].moved_at == []


def test_an_unknown_query_is_left_alone():
    outcome = answering.answer(
        answering.Attempt("nope", 1, last=False), _ports(FakeQueries(), FakeChatModel())
    )
    assert outcome.kind == "not_found"


def test_a_provider_outage_is_raised_for_a_retry_and_the_query_stays_running():
    queries, model = _queries(), FakeChatModel([ProviderUnavailable("RateLimitError: 429"), ANSWER])
    with pytest.raises(ProviderUnavailable):
        answering.answer(answering.Attempt("q1", 1, last=False), _ports(queries, model))
    assert queries.status("q1") == "RUNNING"
    assert answering.answer(answering.Attempt("q1", 2, last=False), _ports(queries, model)).kind == "answered"
    assert queries.status("q1") == "SUCCEEDED"


def test_on_the_last_attempt_an_outage_fails_the_query_with_the_reason_and_is_still_raised():
    queries, model = _queries("RUNNING"), FakeChatModel([ProviderUnavailable("InternalServerError: 500")])
    with pytest.raises(ProviderUnavailable):
        answering.answer(answering.Attempt("q1", 5, last=True), _ports(queries, model))
    assert queries.status("q1") == "FAILED"
    assert queries.stored["q1"].failure == (
        "The AI provider kept failing (InternalServerError: 500); gave up after 5 attempts."
    )


def test_a_refused_request_fails_the_query_at_once():
    queries, model = _queries(), FakeChatModel([ProviderRefused(400)])
    outcome = answering.answer(answering.Attempt("q1", 1, last=False), _ports(queries, model))
    assert outcome == answering.Outcome("failed", reason="The AI provider refused the request: HTTP 400.")
    assert queries.status("q1") == "FAILED"


def test_an_answer_that_lost_a_race_to_another_delivery_is_not_written():
    queries, model = _queries(), FakeChatModel([ANSWER])

    class Racing(FakeChatModel):
        def complete(self, messages):  # another delivery finishes the query meanwhile
            queries.fail("q1", "someone else", NOW)
            return super().complete(messages)

    outcome = answering.answer(answering.Attempt("q1", 1, last=False), _ports(queries, Racing([ANSWER])))
    assert outcome.kind == "state_changed" and queries.stored["q1"].failure == "someone else"
    assert model.script == [ANSWER]
