"""The activity table: per customer, the notification log (and later analytics events).

Access patterns:
- a customer's notifications, newest first, paginated:
  Query pk=CUSTOMER#<sub>, begins_with(sk, "NOTIFICATION#"), ScanIndexForward=false
- one delivery: GetItem sk=NOTIFICATION#<occurredAt>#<eventId>#<channel>. The key is built
  from the domain event, so the same event delivered twice finds its earlier record and is
  not sent again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from salesportal import aws
from salesportal.data.dynamo import decode_cursor, encode_cursor, from_item, prefix_bounds, to_item

MAX_PAGE = 50


def _pk(customer_id: str) -> str:
    return f"CUSTOMER#{customer_id}"


def notification_sk(occurred_at: str, event_id: str, channel: str) -> str:
    return f"NOTIFICATION#{occurred_at}#{event_id}#{channel}"


@dataclass(frozen=True)
class ActivityRepository:
    table_name: str

    def notification(self, customer_id: str, sk: str) -> dict[str, Any] | None:
        item = (
            aws.client("dynamodb")
            .get_item(TableName=self.table_name, Key=to_item({"pk": _pk(customer_id), "sk": sk}))
            .get("Item")
        )
        return from_item(item) if item else None

    def record_notification(self, customer_id: str, sk: str, values: Mapping[str, Any]) -> None:
        aws.client("dynamodb").put_item(
            TableName=self.table_name, Item=to_item({**values, "pk": _pk(customer_id), "sk": sk})
        )

    def notifications(
        self, customer_id: str, *, limit: int, token: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        pk = _pk(customer_id)
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :p)",
            "ExpressionAttributeValues": to_item({":pk": pk, ":p": "NOTIFICATION#"}),
            "ScanIndexForward": False,
            "Limit": min(limit, MAX_PAGE),
        }
        start = decode_cursor(
            token, expected={"pk": {"S": pk}}, bounds={"sk": prefix_bounds("NOTIFICATION#")}
        )
        if start:
            params["ExclusiveStartKey"] = start
        response = aws.client("dynamodb").query(**params)
        items = [
            {k: v for k, v in from_item(i).items() if k not in {"pk", "sk"}}
            for i in response.get("Items", [])
        ]
        return items, encode_cursor(response.get("LastEvaluatedKey"))
