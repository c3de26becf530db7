"""Asking the AI assistant: a question is committed QUEUED and answered later.

The table's stream (the outbox) hands a new question to the AI worker (``workflows/answering``).
Only the asker (or an admin) may read a question: anyone else is told it does not exist, so
ids cannot be probed. The list is the caller's own questions alone, admins included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from salesportal.data.dynamo import Page
from salesportal.domain.questions import RETENTION, Question
from salesportal.errors import NotFound


class Questions(Protocol):
    def ask(self, question: Question, *, actor: str) -> None: ...

    def question(self, query_id: str) -> Question | None: ...

    def asked_by(self, user_id: str, *, now: datetime, limit: int, token: str | None) -> Page[Question]: ...


class Customers(Protocol):
    def get(self, customer_id: str) -> object | None: ...


@dataclass(frozen=True)
class Ports:
    questions: Questions
    customers: Customers
    clock: Callable[[], datetime]
    new_id: Callable[[], str]


@dataclass(frozen=True)
class Asker:
    user_id: str
    actor: str
    admin: bool


def ask(ports: Ports, asker: Asker, text: str, customer_id: str | None) -> Question:
    if customer_id and ports.customers.get(customer_id) is None:
        raise NotFound(f"No customer {customer_id!r}.", code="customer_not_found")
    now = ports.clock()
    question = Question(
        query_id=ports.new_id(),
        status="QUEUED",
        question=text,
        customer_id=customer_id,
        asked_by=asker.user_id,
        created_at=now,
        expires_at=now + RETENTION,
    )
    ports.questions.ask(question, actor=asker.actor)
    return question


def mine(ports: Ports, asker: Asker, *, limit: int, token: str | None) -> Page[Question]:
    return ports.questions.asked_by(asker.user_id, now=ports.clock(), limit=limit, token=token)


def read(ports: Ports, asker: Asker, query_id: str) -> Question:
    question = ports.questions.question(query_id)
    if question is None or not question.readable_by(asker.user_id, admin=asker.admin, now=ports.clock()):
        raise NotFound("No such query.", code="query_not_found")
    return question
