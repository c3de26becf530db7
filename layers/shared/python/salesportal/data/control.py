"""The control table: operational records.

Access patterns:
- the delta-file ledger: GetItem/PutItem pk=DELTA#<object key>, sk=<etag> (a file applied
  once; the same name with new content is a new file)
- a sync run's report: PutItem pk=SYNCRUN#<runId>, sk=REPORT
- a mail request's delivery record: GetItem/PutItem pk=MAILREQUEST#<requestId>, sk=REQUEST
- Salesforce sync: the pull and push watermarks (pk=SALESFORCE) and each run's record
  (pk=SFRUN#<runId>, sk=RUN), read by GET /salesforce/sync/{runId}; beside it, a copy in the
  runs' listing (pk=SALESFORCE_RUNS, sk=RUN#<first moment>#<runId>), Queried newest first
  by GET /salesforce/sync
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from salesportal.data.dynamo import Page, TableRepository, from_item, to_item

Watermark = Literal["pull", "push"]
_WATERMARK_SK: Mapping[Watermark, str] = {"pull": "WATERMARK", "push": "PUSH_WATERMARK"}
# Every run's listing entry shares one partition: a few runs an hour is far below what one
# partition takes, and one Query then reads them newest first.
RUNS_PK, _RUN_PREFIX = "SALESFORCE_RUNS", "RUN#"


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
    # pk=SFRUN#<runId>, sk=RUN, and listed at pk=SALESFORCE_RUNS, sk=RUN#<listed_at>#<runId>.
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

    def record_salesforce_run(self, run_id: str, values: Mapping[str, Any], *, listed_at: str | None) -> None:
        """The run's record and, when ``listed_at`` (the run's first moment, the same on every
        write of one run) is given, its listing entry, in one transaction: the list never shows
        a run in another state than its own page does."""
        if listed_at is None:
            self._put(f"SFRUN#{run_id}", "RUN", values)
            return
        keys = ((f"SFRUN#{run_id}", "RUN"), (RUNS_PK, f"{_RUN_PREFIX}{listed_at}#{run_id}"))
        self._client().transact_write_items(
            TransactItems=[
                {"Put": {"TableName": self.table_name, "Item": to_item({**values, "pk": pk, "sk": sk})}}
                for pk, sk in keys
            ]
        )

    def salesforce_runs_newest_first(self, *, limit: int, token: str | None) -> Page[dict[str, Any]]:
        """Listed runs, the latest first moment first (runs recorded before the listing existed
        have no entry and are not here)."""
        return self._newest_first(RUNS_PK, _RUN_PREFIX, limit=limit, token=token)

    def salesforce_run(self, run_id: str) -> dict[str, Any] | None:
        return self._get(f"SFRUN#{run_id}", "RUN")
