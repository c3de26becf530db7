"""The audit table: append-only history of every committed change.

Access patterns:
- an entity's history, newest first, paginated: Query pk=<type>#<id>, ScanIndexForward=false
- append: PutItem with attribute_not_exists, so a replayed stream record is written once

Only the stream processor may write here (conditional put only; no update or delete grant).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from botocore.exceptions import ClientError

from salesportal import aws
from salesportal.data.dynamo import to_item
from salesportal.domain.outbox import AuditRecord


@dataclass(frozen=True)
class AuditRepository:
    table_name: str

    def append(self, record: AuditRecord) -> bool:
        """Write the record once; False when it was already there (a replay)."""
        item = {
            "pk": record.entity,
            "sk": f"{record.at.isoformat()}#{record.event_id}",
            "eventId": record.event_id,
            "action": record.action,
            "actor": record.actor,
            "at": record.at.isoformat(),
            "changes": [asdict(c) for c in record.changes],
        }
        try:
            aws.client("dynamodb").put_item(
                TableName=self.table_name,
                Item=to_item(item),
                ConditionExpression="attribute_not_exists(sk)",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True
