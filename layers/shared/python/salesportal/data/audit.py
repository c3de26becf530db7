"""The audit table: append-only history of every committed change.

Access patterns:
- an entity's history, newest first, paginated: Query pk=<type>#<id>, ScanIndexForward=false
- append: PutItem with attribute_not_exists, so a replayed stream record is written once

Only the stream processor may write here (conditional put only; no update or delete grant).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from salesportal.data.dynamo import Page, TableRepository, decode_cursor, encode_cursor, from_item, to_item
from salesportal.domain.outbox import AuditRecord, FieldChange


@dataclass(frozen=True)
class AuditRepository(TableRepository):
    def append(self, record: AuditRecord) -> bool:
        """Write the record once; False when it was already there (a replay)."""
        item = {
            "pk": record.entity,
            # Newest first by commit time, then by stream sequence (zero-padded: sequence numbers
            # grow in length), so two changes in one second still list in the order they happened.
            "sk": f"{record.at.isoformat()}#{record.sequence:0>40}#{record.event_id}",
            "eventId": record.event_id,
            "action": record.action,
            "actor": record.actor,
            "at": record.at.isoformat(),
            "changes": [asdict(c) for c in record.changes],
        }
        return self._put_new(item)

    def history(self, entity: str, *, limit: int, token: str | None) -> Page[AuditRecord]:
        """An entity's audit records, newest first."""
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :e",
            "ExpressionAttributeValues": to_item({":e": entity}),
            "ScanIndexForward": False,
            "Limit": limit,
        }
        start = decode_cursor(token, expected={"pk": {"S": entity}})
        if start:
            params["ExclusiveStartKey"] = start
        response = self._client().query(**params)
        records = [_record(from_item(i)) for i in response.get("Items", [])]
        return Page(records, encode_cursor(response.get("LastEvaluatedKey")))


def _record(item: Mapping[str, Any]) -> AuditRecord:
    _at, padded, _event = item["sk"].split("#", 2)
    return AuditRecord(
        entity=item["pk"],
        event_id=item["eventId"],
        action=item["action"],
        actor=item["actor"],
        at=datetime.fromisoformat(item["at"]),
        changes=tuple(
            FieldChange(c["field"], c.get("before"), c.get("after")) for c in item.get("changes", [])
        ),
        sequence=padded.lstrip("0"),
    )
