"""The control table: operational records.

Access patterns:
- the delta-file ledger: GetItem/PutItem pk=DELTA#<object key>, sk=<etag> (a file applied
  once; the same name with new content is a new file)
- a sync run's report: PutItem pk=SYNCRUN#<runId>, sk=REPORT
- a mail request's delivery record: GetItem/PutItem pk=MAILREQUEST#<requestId>, sk=REQUEST
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from salesportal import aws
from salesportal.data.dynamo import from_item, to_item


@dataclass(frozen=True)
class ControlRepository:
    table_name: str

    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        item = (
            aws.client("dynamodb")
            .get_item(TableName=self.table_name, Key=to_item({"pk": pk, "sk": sk}))
            .get("Item")
        )
        return from_item(item) if item else None

    def _put(self, pk: str, sk: str, values: Mapping[str, Any]) -> None:
        aws.client("dynamodb").put_item(
            TableName=self.table_name, Item=to_item({**values, "pk": pk, "sk": sk})
        )

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

    # -- Salesforce sync: pk=SALESFORCE, sk=WATERMARK (last complete pull's SystemModstamp);
    # runs at pk=SFRUN#<runId>, sk=RUN.
    def salesforce_watermark(self) -> str | None:
        item = self._get("SALESFORCE", "WATERMARK")
        return str(item["value"]) if item else None

    def set_salesforce_watermark(self, value: str, run_id: str) -> None:
        self._put("SALESFORCE", "WATERMARK", {"value": value, "runId": run_id})

    def record_salesforce_run(self, run_id: str, values: Mapping[str, Any]) -> None:
        self._put(f"SFRUN#{run_id}", "RUN", values)

    def salesforce_run(self, run_id: str) -> dict[str, Any] | None:
        return self._get(f"SFRUN#{run_id}", "RUN")
