"""Asking the AI assistant with in-memory questions: who may read a question, expiry, and
that a question about an unknown customer is refused before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from salesportal.data.dynamo import Page
from salesportal.domain.questions import RETENTION, Question
from salesportal.errors import NotFound
from salesportal.workflows import asking

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
AGENT = asking.Asker("agent-1", "agent:agent-1", admin=False)
OTHER_AGENT = asking.Asker("agent-2", "agent:agent-2", admin=False)
ADMIN = asking.Asker("admin-1", "admin:admin-1", admin=True)


@dataclass
class FakeQuestions:
    stored: dict[str, Question] = field(default_factory=dict)

    def ask(self, question: Question, *, actor: str) -> None:
        self.stored[question.query_id] = question

    def question(self, query_id: str) -> Question | None:
        return self.stored.get(query_id)

    def asked_by(self, user_id: str, *, now: datetime, limit: int, token: str | None) -> Page[Question]:
        mine = [q for q in self.stored.values() if q.asked_by == user_id and q.expires_at > now]
        return Page(sorted(mine, key=lambda q: q.created_at, reverse=True)[:limit], None)


@dataclass
class FakeCustomers:
    known: set[str] = field(default_factory=lambda: {"c1"})

    def get(self, customer_id: str) -> object | None:
        return {} if customer_id in self.known else None


@dataclass
class Clock:
    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now


def world() -> tuple[asking.Ports, FakeQuestions, Clock]:
    questions, clock, ids = FakeQuestions(), Clock(), iter(f"Q{i}" for i in range(100))
    return asking.Ports(questions, FakeCustomers(), clock, new_id=lambda: next(ids)), questions, clock


def test_a_question_is_queued_for_its_asker_and_kept_for_the_retention():
    ports, questions, _ = world()
    question = asking.ask(ports, AGENT, "What does c1 hold?", "c1")
    assert (question.status, question.asked_by, question.expires_at) == ("QUEUED", "agent-1", T0 + RETENTION)
    assert questions.stored == {"Q0": question}


def test_a_question_about_an_unknown_customer_stores_nothing():
    ports, questions, _ = world()
    with pytest.raises(NotFound) as missing:
        asking.ask(ports, AGENT, "Who?", "c404")
    assert missing.value.code == "customer_not_found" and questions.stored == {}


def test_only_the_asker_or_an_admin_reads_a_question_and_others_are_told_it_does_not_exist():
    ports, _, _ = world()
    question = asking.ask(ports, AGENT, "Anything?", None)
    assert asking.read(ports, AGENT, question.query_id) == question
    assert asking.read(ports, ADMIN, question.query_id) == question
    with pytest.raises(NotFound) as hidden:
        asking.read(ports, OTHER_AGENT, question.query_id)
    assert hidden.value.code == "query_not_found"


def test_an_expired_question_reads_as_missing_and_leaves_the_list():
    ports, _, clock = world()
    question = asking.ask(ports, AGENT, "Anything?", None)
    clock.now = T0 + RETENTION + timedelta(seconds=1)
    with pytest.raises(NotFound):
        asking.read(ports, AGENT, question.query_id)
    assert asking.mine(ports, AGENT, limit=10, token=None).items == []


def test_the_list_is_the_callers_own_questions_newest_first():
    ports, _, clock = world()
    first = asking.ask(ports, AGENT, "one", None)
    clock.now = T0 + timedelta(minutes=1)
    second = asking.ask(ports, AGENT, "two", None)
    asking.ask(ports, OTHER_AGENT, "theirs", None)
    assert asking.mine(ports, AGENT, limit=10, token=None).items == [second, first]
