"""Salesforce sync bookkeeping in the control table: which customer a Contact is, and where
the push got to.

Access patterns:
- the customer a Salesforce Contact is linked to: GetItem pk=SFLINK#<salesforceId>, sk=LINK,
  read 100 at a time with BatchGetItem (a pull looks up a whole page of Contacts in a few
  calls instead of one index Query per Contact), written with BatchWriteItem
- whether the links of customers linked before links existed have been written (the
  backfill), and how far it got: pk=SALESFORCE, sk=LINKS_BACKFILL
- the push's checkpoint (the window it reads and where in it the last page ended):
  pk=SALESFORCE, sk=PUSH_CHECKPOINT, moved by a conditional put on ``seq``

Where a scan got to is stored as the page token its listing handed out. Records written
before tokens hold the JSON of DynamoDB's LastEvaluatedKey instead; they are read as the
token of that key, so a backfill or push under way when tokens came in goes on where it was.

Why the control table and not the customers table: the customers table's stream is the
outbox, so a link item there would be audited and announced as a domain event, doubling
the stream's work on a first import for a record that holds two ids and no customer data.

A link is a hint, never the truth: the customer it names is read and used only while its
``salesforceId`` still is that Contact's id (a customer re-linked to another Contact leaves
a stale link behind, which is then ignored).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from salesportal.data.dynamo import TableRepository, encode_cursor, from_item, to_item

BATCH_GET = 100  # keys per BatchGetItem
BATCH_WRITE = 25  # requests per BatchWriteItem
_RETRIES = 8


def _token(stored: Any) -> str | None:
    """A stored position as the listing's page token (see the module's note on old records)."""
    if not stored:
        return None
    text = str(stored)
    return encode_cursor(json.loads(text)) if text.startswith("{") else text


def link_key(salesforce_id: str) -> dict[str, Any]:
    return {"pk": f"SFLINK#{salesforce_id}", "sk": "LINK"}


def batch_get(
    client: Any, table_name: str, keys: list[dict[str, Any]], *, consistent: bool = False
) -> list[dict[str, Any]]:
    """Up to 100 items by key (typed form in, plain items out), retrying unprocessed keys."""
    found: list[dict[str, Any]] = []
    pending: dict[str, Any] = {table_name: {"Keys": keys, "ConsistentRead": consistent}}
    for attempt in range(_RETRIES):
        response = client.batch_get_item(RequestItems=pending)
        found += [from_item(i) for i in response.get("Responses", {}).get(table_name, [])]
        pending = response.get("UnprocessedKeys") or {}
        if not pending:
            return found
        time.sleep(min(2.0, 0.05 * 2**attempt))  # throttled: back off before the rest
    raise RuntimeError(f"DynamoDB left {len(pending[table_name]['Keys'])} keys unread after retries")


def batch_write(client: Any, requests: Iterable[tuple[str, dict[str, Any]]]) -> None:
    """Write ``(table, request)`` pairs of up to 25 requests in one BatchWriteItem call,
    over any tables, retrying what DynamoDB leaves unprocessed (with backoff)."""
    pending: dict[str, list[dict[str, Any]]] = {}
    for table, request in requests:
        pending.setdefault(table, []).append(request)
    if sum(len(r) for r in pending.values()) > BATCH_WRITE:
        raise ValueError(f"at most {BATCH_WRITE} requests per BatchWriteItem")
    for attempt in range(_RETRIES):
        if not pending:
            return
        pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
        if pending:
            time.sleep(min(2.0, 0.05 * 2**attempt))
    if pending:
        raise RuntimeError("DynamoDB left writes unprocessed after retries")


@dataclass(frozen=True)
class SalesforceLinks(TableRepository):
    """Links, the backfill marker and the push checkpoint, over the control table."""

    def customer_ids(self, salesforce_ids: list[str]) -> dict[str, str]:
        """Salesforce id -> linked customer id, for at most 100 ids (one BatchGetItem)."""
        keys = [to_item(link_key(i)) for i in dict.fromkeys(salesforce_ids)]
        items = batch_get(self._client(), self.table_name, keys)
        return {i["pk"].removeprefix("SFLINK#"): i["customerId"] for i in items}

    def link_request(self, salesforce_id: str, customer_id: str) -> tuple[str, dict[str, Any]]:
        item = {**link_key(salesforce_id), "customerId": customer_id}
        return self.table_name, {"PutRequest": {"Item": to_item(item)}}

    # -- the backfill of links for customers linked before links existed ----------------
    def backfill_state(self) -> dict[str, Any]:
        """``done``, ``linked`` and ``cursor`` (the token of the next page to read)."""
        item = (
            self._client()
            .get_item(TableName=self.table_name, Key=to_item({"pk": "SALESFORCE", "sk": "LINKS_BACKFILL"}))
            .get("Item")
        )
        if not item:
            return {}
        state = from_item(item)
        state["cursor"] = _token(state.get("cursor"))
        return state

    def record_backfill(self, *, done: bool, cursor: str | None, linked: int) -> None:
        item = {"pk": "SALESFORCE", "sk": "LINKS_BACKFILL", "done": done, "cursor": cursor, "linked": linked}
        self._client().put_item(TableName=self.table_name, Item=to_item(item))

    # -- the push's checkpoint ----------------------------------------------------------
    def push_checkpoint(self) -> dict[str, Any] | None:
        item = (
            self._client()
            .get_item(
                TableName=self.table_name,
                Key=to_item({"pk": "SALESFORCE", "sk": "PUSH_CHECKPOINT"}),
                ConsistentRead=True,
            )
            .get("Item")
        )
        if not item:
            return None
        checkpoint = from_item(item)
        checkpoint["startKey"] = _token(checkpoint.get("startKey"))
        return checkpoint

    def move_push_checkpoint(self, checkpoint: Mapping[str, Any], *, expected_seq: int) -> bool:
        """Save the checkpoint as ``expected_seq + 1`` if nobody moved it since it was read
        (two pushes running at once: the one that loses stops instead of sending twice)."""
        values = {**checkpoint, "pk": "SALESFORCE", "sk": "PUSH_CHECKPOINT", "seq": expected_seq + 1}
        written = self._conditionally(
            "put_item",
            TableName=self.table_name,
            Item=to_item(values),
            ConditionExpression="attribute_not_exists(pk) OR #seq = :seq",
            ExpressionAttributeNames={"#seq": "seq"},
            ExpressionAttributeValues=to_item({":seq": expected_seq}),
        )
        return written is not None
