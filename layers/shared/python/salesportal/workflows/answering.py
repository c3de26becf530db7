"""Answering an AI question about a customer: the question, the customer's data, the model's answer.

A query moves QUEUED → RUNNING → SUCCEEDED or FAILED, each move conditional on the state
it leaves, so a redelivered message never overwrites a finished query. A provider that may
answer later (``ProviderUnavailable``) is raised for the queue to retry, and on the last
attempt the query is FAILED with the reason first; a provider that refused the request
fails the query at once.

The model sees only what ``salesportal.domain.assistant`` lets it: the customer's own facts
(the customers repository's), and their latest policies and applications (the sales table's).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal, Protocol

from salesportal.data.dynamo import Page
from salesportal.domain.assistant import (
    FINISHED,
    AiQuery,
    Answer,
    ApplicationSummary,
    CustomerSnapshot,
    PolicySummary,
    prompt,
)
from salesportal.domain.sales import Application, Policy
from salesportal.integrations.openai import ChatModel, ProviderRefused, ProviderUnavailable
from salesportal.observability import logger, metrics


class Queries(Protocol):
    def get(self, query_id: str) -> AiQuery | None: ...

    def start(self, query_id: str, at: datetime) -> bool: ...

    def succeed(self, query_id: str, answer: Answer, at: datetime) -> bool: ...

    def fail(self, query_id: str, reason: str, at: datetime) -> bool: ...


class CustomerFacts(Protocol):
    def snapshot(self, customer_id: str) -> CustomerSnapshot:
        """The customer's own facts (their policies and applications are not among them)."""
        ...


class Policies(Protocol):
    def policies(self, customer_id: str, *, limit: int, token: str | None) -> Page[Policy]: ...


class Applications(Protocol):
    def applications(self, customer_id: str, *, limit: int, token: str | None) -> Page[Application]: ...


@dataclass(frozen=True)
class Ports:
    queries: Queries
    customers: CustomerFacts
    policies: Policies
    applications: Applications
    model: ChatModel
    clock: Callable[[], datetime]


LISTED = 20  # policies and applications each: enough for an answer, bounded for the prompt


@dataclass(frozen=True, slots=True)
class Attempt:
    query_id: str
    number: int  # 1 on the first delivery
    last: bool  # no delivery follows this one


Kind = Literal["answered", "failed", "finished_before", "not_found", "state_changed"]


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: Kind
    answer: Answer | None = None
    reason: str | None = None


def answer(attempt: Attempt, ports: Ports) -> Outcome:
    """Answer the query once; raises ``ProviderUnavailable`` when the queue should try again."""
    query = ports.queries.get(attempt.query_id)
    if query is None:
        return Outcome("not_found")
    if query.status in FINISHED:
        return Outcome("finished_before")
    if query.status == "QUEUED" and not ports.queries.start(query.query_id, ports.clock()):
        return Outcome("state_changed")
    snapshot = _snapshot(query.customer_id, ports) if query.customer_id else None
    try:
        answered = ports.model.complete(prompt(query.question, snapshot))
    except ProviderUnavailable as exc:
        logger.warning(
            "ai provider unavailable",
            extra={"query_id": query.query_id, "attempt": attempt.number, "reason": str(exc)},
        )
        if attempt.last:
            reason = f"The AI provider kept failing ({exc}); gave up after {attempt.number} attempts."
            _fail(query, reason, ports)
        raise
    except ProviderRefused as exc:
        return _fail(query, f"The AI provider refused the request: HTTP {exc.status_code}.", ports)
    if not ports.queries.succeed(query.query_id, answered, ports.clock()):
        return Outcome("state_changed")
    metrics.add_metric(name="AiQueriesAnswered", unit="Count", value=1)
    metrics.add_metric(name="AiTokens", unit="Count", value=answered.total_tokens)
    logger.info(
        "ai query answered",
        extra={"query_id": query.query_id, "latency_ms": answered.latency_ms, "model": answered.model},
    )
    return Outcome("answered", answer=answered)


def _snapshot(customer_id: str, ports: Ports) -> CustomerSnapshot:
    policies = ports.policies.policies(customer_id, limit=LISTED, token=None).items
    applications = ports.applications.applications(customer_id, limit=LISTED, token=None).items
    return replace(
        ports.customers.snapshot(customer_id),
        policies=tuple(_policy(p) for p in policies),
        applications=tuple(_application(a) for a in applications),
    )


def _policy(policy: Policy) -> PolicySummary:
    return PolicySummary(
        policy_number=policy.policy_number,
        product_id=policy.product_id,
        status=policy.status,
        term_start=policy.term.start,
        term_end=policy.term.end,
        premium_cents=policy.annual_premium.amount_cents,
        currency=policy.annual_premium.currency,
    )


def _application(application: Application) -> ApplicationSummary:
    return ApplicationSummary(
        application_id=application.application_id,
        product_id=application.product_id,
        status=application.status,
        submitted_at=application.submitted_at,
    )


def _fail(query: AiQuery, reason: str, ports: Ports) -> Outcome:
    if not ports.queries.fail(query.query_id, reason, ports.clock()):
        return Outcome("state_changed")
    metrics.add_metric(name="AiQueriesFailed", unit="Count", value=1)
    logger.error("ai query failed", extra={"query_id": query.query_id, "reason": reason})
    return Outcome("failed", reason=reason)
