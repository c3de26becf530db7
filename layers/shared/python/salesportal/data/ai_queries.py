"""The ai-queries table: staff questions to the AI assistant and their answers.

Access patterns:
- one query: GetItem pk=QUERY#<queryId>, sk=QUERY
- one asker's queries, newest first: Query index byAsker (askedBy, createdAt), paged
- create: PutItem, conditional on the id being new
- status moves (QUEUED → RUNNING → SUCCEEDED | FAILED): UpdateItem conditional on the
  status it leaves, so a redelivered message cannot overwrite a finished answer

Items expire by ``expiresAtEpoch`` (DynamoDB TTL); readers check ``expiresAt`` too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from salesportal import aws
from salesportal.data.dynamo import (
    StateChanged,
    decode_cursor,
    encode_cursor,
    from_item,
    index_key,
    is_condition_failure,
    set_expression,
    status_in,
    to_item,
)

ENTITY = "ai_query"
_INTERNAL = {"pk", "sk", "entityType", "entityId", "lastModifiedBy", "expiresAtEpoch"}


def _key(query_id: str) -> dict[str, Any]:
    return to_item({"pk": f"QUERY#{query_id}", "sk": "QUERY"})


@dataclass(frozen=True)
class AiQueryRepository:
    table_name: str

    def create(self, query: Mapping[str, Any], *, actor: str, ttl_epoch: int) -> None:
        item = {
            **query,
            "pk": f"QUERY#{query['queryId']}",
            "sk": "QUERY",
            "entityType": ENTITY,
            "entityId": query["queryId"],
            "lastModifiedBy": actor,
            "expiresAtEpoch": ttl_epoch,
        }
        aws.client("dynamodb").put_item(
            TableName=self.table_name, Item=to_item(item), ConditionExpression="attribute_not_exists(pk)"
        )

    def get(self, query_id: str) -> dict[str, Any] | None:
        item = (
            aws.client("dynamodb")
            .get_item(TableName=self.table_name, Key=_key(query_id), ConsistentRead=True)
            .get("Item")
        )
        return {k: v for k, v in from_item(item).items() if k not in _INTERNAL} if item else None

    def list_by_asker(
        self, asked_by: str, *, now_epoch: int, limit: int, token: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """The asker's queries, newest first. Expired ones are left out as TTL deletes lazily;
        a page can then hold fewer than ``limit`` items and still have a next token."""
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": "byAsker",
            "KeyConditionExpression": "askedBy = :a",
            "FilterExpression": "expiresAtEpoch > :now",
            "ExpressionAttributeValues": to_item({":a": asked_by, ":now": now_epoch}),
            "ScanIndexForward": False,
            "Limit": limit,
        }
        start = decode_cursor(
            token, expected={"askedBy": {"S": asked_by}}, shape=index_key("askedBy", "createdAt")
        )
        if start:
            params["ExclusiveStartKey"] = start
        response = aws.client("dynamodb").query(**params)
        items = [{k: v for k, v in from_item(i).items() if k not in _INTERNAL} for i in response["Items"]]
        return items, encode_cursor(response.get("LastEvaluatedKey"))

    def transition(
        self, query_id: str, status: str, fields: Mapping[str, Any], *, expected: tuple[str, ...], actor: str
    ) -> None:
        expression, names, values = set_expression({**fields, "status": status, "lastModifiedBy": actor})
        try:
            aws.client("dynamodb").update_item(
                TableName=self.table_name,
                Key=_key(query_id),
                UpdateExpression=expression,
                ConditionExpression=status_in(expected, names, values),
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
        except Exception as exc:
            if is_condition_failure(exc):
                raise StateChanged(query_id) from exc
            raise
