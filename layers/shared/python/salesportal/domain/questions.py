"""A staff member's question to the AI assistant, as the asker reads it.

A question is kept ``RETENTION`` and readable only by its asker (or an admin) until then; the
worker's view of the same query (``domain/assistant.py``) is what the model may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from salesportal.domain.assistant import Answer, QueryStatus

RETENTION = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class Question:
    query_id: str
    status: QueryStatus
    question: str
    customer_id: str | None
    asked_by: str  # the asker's sub
    created_at: datetime
    expires_at: datetime
    answer: Answer | None = None
    failure_reason: str | None = None
    completed_at: datetime | None = None

    def readable_by(self, user_id: str, *, admin: bool, now: datetime) -> bool:
        # Expired questions read as missing: TTL deletes them lazily.
        return (self.asked_by == user_id or admin) and now < self.expires_at
