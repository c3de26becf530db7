"""The ai-queries table: staff questions to the AI assistant and their answers.

Access patterns:
- one query: GetItem pk=QUERY#<queryId>, sk=QUERY
- one asker's queries, newest first: Query index byAsker (askedBy, createdAt), paged
- create: PutItem, conditional on the id being new
- status moves (QUEUED → RUNNING → SUCCEEDED | FAILED), the AI worker's: UpdateItem
  conditional on the status it leaves, so a redelivered message cannot overwrite a finished
  answer (a lost race answers False and writes nothing)

Items expire by ``expiresAtEpoch`` (DynamoDB TTL); readers check ``expiresAt`` too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from salesportal.data.dynamo import (
    Page,
    TableRepository,
    decode_cursor,
    encode_cursor,
    from_item,
    index_key,
    set_expression,
    status_in,
    to_item,
)
from salesportal.domain.assistant import AiQuery, Answer, QueryStatus
from salesportal.domain.questions import Question

ENTITY = "ai_query"
WORKER = "system:ai-worker"  # who the status moves are recorded as made by
_INTERNAL = {"pk", "sk", "entityType", "entityId", "lastModifiedBy", "expiresAtEpoch"}


def _key(query_id: str) -> dict[str, Any]:
    return to_item({"pk": f"QUERY#{query_id}", "sk": "QUERY"})


@dataclass(frozen=True)
class AiQueryRepository(TableRepository):
    def ask(self, question: Question, *, actor: str) -> None:
        item = {
            **_question_item(question),
            "pk": f"QUERY#{question.query_id}",
            "sk": "QUERY",
            "entityType": ENTITY,
            "entityId": question.query_id,
            "lastModifiedBy": actor,
            "expiresAtEpoch": int(question.expires_at.timestamp()),
        }
        self._client().put_item(
            TableName=self.table_name, Item=to_item(item), ConditionExpression="attribute_not_exists(pk)"
        )

    def question(self, query_id: str) -> Question | None:
        item = self._item(query_id)
        return None if item is None else _question(item)

    def _item(self, query_id: str) -> dict[str, Any] | None:
        item = (
            self._client()
            .get_item(TableName=self.table_name, Key=_key(query_id), ConsistentRead=True)
            .get("Item")
        )
        return {k: v for k, v in from_item(item).items() if k not in _INTERNAL} if item else None

    def asked_by(self, user_id: str, *, now: datetime, limit: int, token: str | None) -> Page[Question]:
        """The asker's questions, newest first. Expired ones are left out as TTL deletes lazily;
        a page can then hold fewer than ``limit`` items and still have a next token."""
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": "byAsker",
            "KeyConditionExpression": "askedBy = :a",
            "FilterExpression": "expiresAtEpoch > :now",
            "ExpressionAttributeValues": to_item({":a": user_id, ":now": int(now.timestamp())}),
            "ScanIndexForward": False,
            "Limit": limit,
        }
        start = decode_cursor(
            token, expected={"askedBy": {"S": user_id}}, shape=index_key("askedBy", "createdAt")
        )
        if start:
            params["ExclusiveStartKey"] = start
        response = self._client().query(**params)
        questions = [_question(from_item(i)) for i in response["Items"]]
        return Page(questions, encode_cursor(response.get("LastEvaluatedKey")))

    # -- the AI worker's view: the query it answers, and its status moves ----------------
    def get(self, query_id: str) -> AiQuery | None:
        question = self.question(query_id)
        if question is None:
            return None
        return AiQuery(question.query_id, question.status, question.question, question.customer_id)

    def start(self, query_id: str, at: datetime) -> bool:
        return self._move(
            query_id, "RUNNING", {"startedAt": at.isoformat()}, expected=("QUEUED",), actor=WORKER
        )

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
        return self._move(query_id, "SUCCEEDED", fields, expected=("RUNNING",), actor=WORKER)

    def fail(self, query_id: str, reason: str, at: datetime) -> bool:
        fields = {"failureReason": reason, "completedAt": at.isoformat()}
        return self._move(query_id, "FAILED", fields, expected=("QUEUED", "RUNNING"), actor=WORKER)

    def _move(
        self,
        query_id: str,
        status: QueryStatus,
        fields: Mapping[str, Any],
        *,
        expected: tuple[QueryStatus, ...],
        actor: str,
    ) -> bool:
        """Move the query to ``status`` if it is in one of ``expected``; False when it is not
        (a redelivery, or another worker got there first: nothing is written)."""
        expression, names, values = set_expression({**fields, "status": status, "lastModifiedBy": actor})
        written = self._conditionally(
            "update_item",
            TableName=self.table_name,
            Key=_key(query_id),
            UpdateExpression=expression,
            ConditionExpression=status_in(expected, names, values),
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )
        return written is not None


def _question_item(question: Question) -> dict[str, Any]:
    item: dict[str, Any] = {
        "queryId": question.query_id,
        "status": question.status,
        "question": question.question,
        "askedBy": question.asked_by,
        "createdAt": question.created_at.isoformat(),
        "expiresAt": question.expires_at.isoformat(),
    }
    if question.customer_id:
        item["customerId"] = question.customer_id
    return item


def _question(item: Mapping[str, Any]) -> Question:
    usage = item.get("usage") or {}
    answer = (
        Answer(
            text=str(item["answer"]),
            model=str(item.get("model") or ""),
            prompt_tokens=int(usage.get("promptTokens", 0)),
            completion_tokens=int(usage.get("completionTokens", 0)),
            total_tokens=int(usage.get("totalTokens", 0)),
            latency_ms=int(item.get("latencyMs", 0)),
        )
        if item.get("answer") is not None
        else None
    )
    completed = item.get("completedAt")
    return Question(
        query_id=str(item["queryId"]),
        status=item["status"],
        question=str(item["question"]),
        customer_id=str(item["customerId"]) if item.get("customerId") else None,
        asked_by=str(item["askedBy"]),
        created_at=datetime.fromisoformat(item["createdAt"]),
        expires_at=datetime.fromisoformat(item["expiresAt"]),
        answer=answer,
        failure_reason=item.get("failureReason"),
        completed_at=datetime.fromisoformat(completed) if completed else None,
    )
