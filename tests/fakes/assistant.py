"""In-memory ports of the answering workflow: the ai-queries table, a customer's facts, policies and
applications (the sales table), a chat model."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from salesportal.data.dynamo import Page
from salesportal.domain.assistant import AiQuery, Answer, ChatMessage, CustomerSnapshot, QueryStatus
from salesportal.domain.sales import Application, Policy


@dataclass
class StoredQuery:
    query: AiQuery
    answer: Answer | None = None
    failure: str | None = None
    moved_at: list[datetime] = field(default_factory=list)


@dataclass
class FakeQueries:
    stored: dict[str, StoredQuery] = field(default_factory=dict)

    def add(self, query: AiQuery) -> None:
        self.stored[query.query_id] = StoredQuery(query)

    def status(self, query_id: str) -> QueryStatus:
        return self.stored[query_id].query.status

    def get(self, query_id: str) -> AiQuery | None:
        found = self.stored.get(query_id)
        return found.query if found else None

    def _move(self, query_id: str, to: QueryStatus, expected: tuple[QueryStatus, ...], at: datetime) -> bool:
        found = self.stored.get(query_id)
        if found is None or found.query.status not in expected:
            return False
        found.query = replace(found.query, status=to)
        found.moved_at.append(at)
        return True

    def start(self, query_id: str, at: datetime) -> bool:
        return self._move(query_id, "RUNNING", ("QUEUED",), at)

    def succeed(self, query_id: str, answer: Answer, at: datetime) -> bool:
        moved = self._move(query_id, "SUCCEEDED", ("RUNNING",), at)
        if moved:
            self.stored[query_id].answer = answer
        return moved

    def fail(self, query_id: str, reason: str, at: datetime) -> bool:
        moved = self._move(query_id, "FAILED", ("QUEUED", "RUNNING"), at)
        if moved:
            self.stored[query_id].failure = reason
        return moved


@dataclass
class FakeCustomerFacts:
    """The customers table's facts (``snapshot``) and the sales table's policies and
    applications, each listing newest first as the repositories' do."""

    snapshots: dict[str, CustomerSnapshot] = field(default_factory=dict)
    held: dict[str, list[Policy]] = field(default_factory=dict)
    applied: dict[str, list[Application]] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)
    limits: list[int] = field(default_factory=list)

    def snapshot(self, customer_id: str) -> CustomerSnapshot:
        self.asked.append(customer_id)
        return self.snapshots.get(customer_id, CustomerSnapshot())

    def policies(self, customer_id: str, *, limit: int, token: str | None) -> Page[Policy]:
        self.limits.append(limit)
        return Page(self.held.get(customer_id, [])[:limit], None)

    def applications(self, customer_id: str, *, limit: int, token: str | None) -> Page[Application]:
        self.limits.append(limit)
        return Page(self.applied.get(customer_id, [])[:limit], None)


@dataclass
class FakeChatModel:
    """Answers in turn from ``script``: an ``Answer``, or an exception to raise."""

    script: list[Answer | Exception] = field(default_factory=list)
    prompts: list[tuple[ChatMessage, ...]] = field(default_factory=list)

    def complete(self, messages: Sequence[ChatMessage]) -> Answer:
        self.prompts.append(tuple(messages))
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        return step
