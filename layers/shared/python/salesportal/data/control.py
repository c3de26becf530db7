"""The control table: operational records.

Access patterns:
- the delta-file ledger: GetItem/PutItem pk=DELTA#<object key>, sk=<etag> (a file applied
  once; the same name with new content is a new file)
- a sync run's report: PutItem pk=SYNCRUN#<runId>, sk=REPORT
- a mail request's delivery record: GetItem/PutItem pk=MAILREQUEST#<requestId>, sk=REQUEST
- Salesforce sync: the pull and push watermarks (pk=SALESFORCE) and each run's record
  (pk=SFRUN#<runId>, sk=RUN), read by GET /salesforce/sync/{runId}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from salesportal.data.dynamo import TableRepository, from_item, to_item

Watermark = Literal["pull", "push"]
_WATERMARK_SK: Mapping[Watermark, str] = {"pull": "WATERMARK", "push": "PUSH_WATERMARK"}


@dataclass(frozen=True)
class ControlRepository(TableRepository):
    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        item = (
            self._client().get_item(TableName=self.table_name, Key=to_item({"pk": pk, "sk": sk})).get("Item")
        )
        return from_item(item) if item else None

    def _put(self, pk: str, sk: str, values: Mapping[str, Any]) -> None:
        self._client().put_item(TableName=self.table_name, Item=to_item({**values, "pk": pk, "sk": sk}))

    def delta_applied(self, key: str, etag: str) -> dict[str, Any] | None:
        return self._get(f"DELTA#{key}", etag)

    def record_delta(self, key: str, etag: str, report: Mapping[str, Any]) -> None:
        self._put(f"DELTA#{key}", etag, report)

    def record_run(self, run_id: str, report: Mapping[str, Any]) -> None:
        self._put(f"SYNCRUN#{run_id}", "REPORT", report)

    def mail_request(self, request_id: str) -> dict[str, Any] | None:
        return self._get(f"MAILREQUEST#{request_id}", "REQUEST")

    def record_mail_request(self, request_id: str, values: Mapping[str, Any]) -> None:
        self._put(f"MAILREQUEST#{request_id}", "REQUEST", values)

    # -- Salesforce sync: pk=SALESFORCE, sk=WATERMARK (the newest SystemModstamp of the last
    # complete pull) and sk=PUSH_WATERMARK (when the last complete push started); runs at
    # pk=SFRUN#<runId>, sk=RUN.
    def salesforce_watermark(self, kind: Watermark = "pull") -> str | None:
        item = self._get("SALESFORCE", _WATERMARK_SK[kind])
        return str(item["value"]) if item else None

    def set_salesforce_watermark(self, value: str, run_id: str, kind: Watermark = "pull") -> bool:
        """Move the watermark forward, never back: a slow run finishing after a newer one
        must not make the next run re-read (or skip) what the newer one settled."""
        written = self._conditionally(
            "put_item",
            TableName=self.table_name,
            Item=to_item({"pk": "SALESFORCE", "sk": _WATERMARK_SK[kind], "value": value, "runId": run_id}),
            ConditionExpression="attribute_not_exists(#v) OR #v < :v",
            ExpressionAttributeNames={"#v": "value"},
            ExpressionAttributeValues=to_item({":v": value}),
        )
        return written is not None

    def record_salesforce_run(self, run_id: str, values: Mapping[str, Any]) -> None:
        self._put(f"SFRUN#{run_id}", "RUN", values)

    def salesforce_run(self, run_id: str) -> dict[str, Any] | None:
        return self._get(f"SFRUN#{run_id}", "RUN")
