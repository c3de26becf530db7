"""The analytics table: per-day counters.

Access patterns:
- a day's counters: UpdateItem ADD pk=DAY, sk=<YYYY-MM-DD>
- a range of days: Query pk=DAY, sk BETWEEN <from> AND <to> (one partition, at most 366 items)
- an event counted once: a marker pk=EVENT#<eventId>, sk=SEEN (TTL) put in the same
  transaction as the ADD, so a redelivered event adds nothing
- a user's first sign-in of a day: pk=SIGNIN#<day>, sk=<sub> (TTL), which adds to activeUsers
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from salesportal.data.dynamo import TableRepository, from_item, to_item

MARKER_TTL = timedelta(days=14)  # longer than any queue's retention: a redelivery still finds it


def _add(counters: Mapping[str, int]) -> tuple[str, dict[str, str], dict[str, Any]]:
    names = {f"#c{i}": name for i, name in enumerate(counters)}
    values = {f":c{i}": value for i, value in enumerate(counters.values())}
    return "ADD " + ", ".join(f"#c{i} :c{i}" for i in range(len(counters))), names, values


@dataclass(frozen=True)
class AnalyticsRepository(TableRepository):
    def count_event(self, event_id: str, day: date, counters: Mapping[str, int], now: datetime) -> bool:
        """Add ``counters`` to ``day`` once per event; False when the event was counted before."""
        expression, names, values = _add(counters)
        written = self._conditionally(
            "transact_write_items",
            TransactItems=[
                {
                    "Put": {
                        "TableName": self.table_name,
                        "Item": to_item(
                            {
                                "pk": f"EVENT#{event_id}",
                                "sk": "SEEN",
                                "expiresAtEpoch": int((now + MARKER_TTL).timestamp()),
                            }
                        ),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
                {
                    "Update": {
                        "TableName": self.table_name,
                        "Key": to_item({"pk": "DAY", "sk": day.isoformat()}),
                        "UpdateExpression": expression,
                        "ExpressionAttributeNames": names,
                        "ExpressionAttributeValues": to_item(values),
                    }
                },
            ],
        )
        return written is not None

    def count_sign_in(self, user_id: str, day: date, now: datetime) -> bool:
        """One sign-in; True when it was the user's first of the day (an active user)."""
        marker = {
            "pk": f"SIGNIN#{day.isoformat()}",
            "sk": user_id,
            "expiresAtEpoch": int((now + timedelta(days=2)).timestamp()),
        }
        first = self._put_new(marker)
        expression, names, values = _add({"signIns": 1, "activeUsers": 1} if first else {"signIns": 1})
        self._client().update_item(
            TableName=self.table_name,
            Key=to_item({"pk": "DAY", "sk": day.isoformat()}),
            UpdateExpression=expression,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=to_item(values),
        )
        return first

    def days(self, first: date, last: date) -> list[dict[str, Any]]:
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :p AND sk BETWEEN :a AND :b",
            "ExpressionAttributeValues": to_item(
                {":p": "DAY", ":a": first.isoformat(), ":b": last.isoformat()}
            ),
        }
        items: list[dict[str, Any]] = []
        while True:  # one page in practice (366 small items); a second only past 1 MB
            response = self._client().query(**request)
            items.extend(from_item(i) for i in response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                break
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        return [{"day": i.pop("sk"), **{k: v for k, v in i.items() if k != "pk"}} for i in items]
