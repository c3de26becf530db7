"""The AI worker's view of the ai-queries table: a query as an ``AiQuery``, and its state moves.

Over ``AiQueryRepository`` (which owns the table's keys and its conditional update): each
move is conditional on the state it starts from, and a lost race answers False, so a
redelivered message never overwrites a finished query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from salesportal.data.ai_queries import AiQueryRepository
from salesportal.domain.assistant import AiQuery, Answer, QueryStatus

ACTOR = "system:ai-worker"


@dataclass(frozen=True)
class AiAnswers:
    queries: AiQueryRepository

    def get(self, query_id: str) -> AiQuery | None:
        question = self.queries.question(query_id)
        if question is None:
            return None
        return AiQuery(question.query_id, question.status, question.question, question.customer_id)

    def start(self, query_id: str, at: datetime) -> bool:
        return self._move(query_id, "RUNNING", {"startedAt": at.isoformat()}, expected=("QUEUED",))

    def succeed(self, query_id: str, answer: Answer, at: datetime) -> bool:
        fields = {
            "answer": answer.text,
            "model": answer.model,
            "usage": {
                "promptTokens": answer.prompt_tokens,
                "completionTokens": answer.completion_tokens,
                "totalTokens": answer.total_tokens,
            },
            "latencyMs": answer.latency_ms,
            "completedAt": at.isoformat(),
        }
        return self._move(query_id, "SUCCEEDED", fields, expected=("RUNNING",))

    def fail(self, query_id: str, reason: str, at: datetime) -> bool:
        fields = {"failureReason": reason, "completedAt": at.isoformat()}
        return self._move(query_id, "FAILED", fields, expected=("QUEUED", "RUNNING"))

    def _move(
        self,
        query_id: str,
        status: QueryStatus,
        fields: Mapping[str, object],
        *,
        expected: tuple[QueryStatus, ...],
    ) -> bool:
        return self.queries.transition(query_id, status, fields, expected=expected, actor=ACTOR)
