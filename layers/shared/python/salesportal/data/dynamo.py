"""DynamoDB plumbing shared by the repositories: the table and its client, (de)serialization,
opaque cursors, the one page type and the one way a conditional write says no.

The convention: every repository extends ``TableRepository``, reaches its table only through
``_client()`` and answers every listing with a ``Page[T]`` whose token is opaque
(``InvalidCursor`` for a token that is not its own). A failed condition is an answer, never an
exception: a conditional write goes through ``_conditionally`` and returns ``bool`` (applied, or
not: a replay or a lost race) or the entity it wrote (``None``: nothing was), and the caller
re-reads and decides again, or refuses; a condition that only guards an invariant (a new id is
new) fails like any other DynamoDB error. A repository never raises the API's errors
(``salesportal.errors``): the workflow decides what a missing item or a lost race means.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, Literal, TypeVar

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from salesportal import aws

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()
T = TypeVar("T")
# The client calls that write conditionally (what ``_conditionally`` may call).
ConditionalWrite = Literal["put_item", "update_item", "delete_item", "transact_write_items"]


class InvalidCursor(ValueError):
    """A page token this listing did not hand out (malformed, forged, or another listing's)."""


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing: its items and the opaque token of the next page (None: the last)."""

    items: list[T]
    next_token: str | None


@dataclass(frozen=True)
class TableRepository:
    """A repository's table and the client it reaches it through: the shared one, unless a
    caller with a tighter time budget (a Cognito trigger) brings its own."""

    table_name: str
    dynamodb: Any = None

    def _client(self) -> Any:
        return self.dynamodb or aws.client("dynamodb")

    def _conditionally(self, operation: ConditionalWrite, **params: Any) -> dict[str, Any] | None:
        """The write's response, or None when a condition refused it (nothing was written)."""
        applied, answer = self._attempt(operation, **params)
        return answer if applied else None

    def _put_new(self, item: Mapping[str, Any]) -> bool:
        """Put ``item`` unless an item with its key exists; False when one did (a replay)."""
        written = self._conditionally(
            "put_item",
            TableName=self.table_name,
            Item=to_item(item),
            ConditionExpression="attribute_not_exists(pk)",
        )
        return written is not None

    def _attempt(self, operation: ConditionalWrite, **params: Any) -> tuple[bool, dict[str, Any]]:
        """The one place a failed condition is caught: (True, the response) when the write
        applied; (False, the refusal's answer) when a condition refused it, alone or in a
        transaction. A refused write that asked ``ReturnValuesOnConditionCheckFailure`` finds
        the item as the condition saw it under the answer's ``Item``."""
        try:
            response: dict[str, Any] = getattr(self._client(), operation)(**params)
        except Exception as exc:
            if is_condition_failure(exc):
                return False, dict(getattr(exc, "response", {}))
            raise
        return True, response

    def _batch_write(self, requests: list[dict[str, Any]]) -> None:
        """Put and delete requests on this table, 25 to a call (``batch_write``)."""
        batch_write(self.table_name, requests, client=self._client())

    def _newest_first(self, pk: str, prefix: str, *, limit: int, token: str | None) -> Page[dict[str, Any]]:
        """One page of the partition's items whose sort key starts with ``prefix``, highest sort
        key first; ``token`` must be one this listing handed out (else ``InvalidCursor``)."""
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": to_item({":pk": pk, ":prefix": prefix}),
            "ScanIndexForward": False,
            "Limit": limit,
        }
        start = decode_cursor(token, expected={"pk": {"S": pk}}, bounds={"sk": prefix_bounds(prefix)})
        if start:
            params["ExclusiveStartKey"] = start
        response = self._client().query(**params)
        return Page(
            [from_item(i) for i in response.get("Items", [])], encode_cursor(response.get("LastEvaluatedKey"))
        )


def batch_write(table_name: str, requests: list[dict[str, Any]], *, client: Any) -> None:
    """``requests`` in batches of 25, retrying what DynamoDB leaves unprocessed (with backoff).

    ``client`` is the repository's (``TableRepository._batch_write``), or a tool's that writes
    to a given endpoint (the offline stack's seeding).
    """
    for start in range(0, len(requests), 25):
        pending = {table_name: requests[start : start + 25]}
        for attempt in range(8):
            unprocessed = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
            if not unprocessed:
                break
            pending = unprocessed
            time.sleep(min(2.0, 0.05 * 2**attempt))  # throttled: back off before the rest
        else:
            raise RuntimeError(f"DynamoDB left {len(pending[table_name])} writes unprocessed after retries")


def to_item(values: Mapping[str, Any]) -> dict[str, Any]:
    """A plain dict to DynamoDB's typed form; None values are left out, floats refused."""
    return {k: _serializer.serialize(v) for k, v in values.items() if v is not None}


def from_item(item: Mapping[str, Any]) -> dict[str, Any]:
    return {k: plain(_deserializer.deserialize(v)) for k, v in item.items()}


def plain(value: Any) -> Any:
    """Decimals back to int (all our numbers are integers: cents, counts, versions)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, set):
        return {plain(v) for v in value}
    return value


def encode_cursor(last_evaluated_key: Mapping[str, Any] | None) -> str | None:
    """LastEvaluatedKey as an opaque, URL-safe token (or None on the last page)."""
    if not last_evaluated_key:
        return None
    raw = json.dumps(last_evaluated_key, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# The key every table here has (infrastructure/manifest.py): what a base-table query's
# LastEvaluatedKey holds. A query on an index adds that index's key attributes.
TABLE_KEY: Mapping[str, str] = {"pk": "S", "sk": "S"}
# DynamoDB's limits for a key attribute (a sort key's is the lower): a longer or empty value
# in ExclusiveStartKey is a ValidationException, i.e. a 500, not the client's 400.
_MAX_KEY_BYTES = 1024
_HIGHEST = "\U0010ffff"

Bounds = tuple[str | None, str | None]


def index_key(partition: str, sort: str | None = None) -> dict[str, str]:
    """The attributes of a LastEvaluatedKey from a query on an index (all strings here)."""
    return {**TABLE_KEY, partition: "S", **({sort: "S"} if sort else {})}


def prefix_bounds(prefix: str) -> Bounds:
    """The range ``begins_with(attribute, prefix)`` selects."""
    return prefix, prefix + _HIGHEST


def _invalid(message: str = "nextToken is not a valid pagination token.") -> InvalidCursor:
    return InvalidCursor(message)


def decode_cursor(
    token: str | None,
    *,
    expected: Mapping[str, Any],
    shape: Mapping[str, str] = TABLE_KEY,
    bounds: Mapping[str, Bounds] | None = None,
) -> dict[str, Any] | None:
    """A token back to ExclusiveStartKey; refuses tokens that do not belong to this query.

    ``expected`` holds the key attributes the token must carry unchanged (the partition
    being queried), so a crafted token cannot move a query into someone else's partition.
    ``shape`` names every attribute the key must have and its type (``TABLE_KEY``, or
    ``index_key(...)`` for a query on an index), and ``bounds`` the inclusive range the
    query's key condition allows for an attribute: DynamoDB answers a start key that lacks
    an attribute, has one too many, the wrong type or a value outside the condition with a
    ValidationException, which would reach the client as a 500 instead of this 400.
    """
    if not token:
        return None
    try:
        padded = token + "=" * (-len(token) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise _invalid() from exc
    if not isinstance(key, dict) or any(key.get(k) != v for k, v in expected.items()):
        raise _invalid("nextToken does not belong to this listing.")
    if set(key) != set(shape):
        raise _invalid()
    for name, kind in shape.items():
        value = key[name]
        if not isinstance(value, dict) or list(value) != [kind] or not _valid_key_value(kind, value[kind]):
            raise _invalid()
    for name, (lowest, highest) in (bounds or {}).items():
        value = key[name][shape[name]]
        if (lowest is not None and value < lowest) or (highest is not None and value > highest):
            raise _invalid("nextToken does not belong to this listing.")
    return key


def _valid_key_value(kind: str, value: Any) -> bool:
    if not isinstance(value, str) or not value:
        return False
    try:  # a lone surrogate decodes from JSON but is no UTF-8: botocore could not send it
        if len(value.encode("utf-8")) > _MAX_KEY_BYTES:
            return False
    except UnicodeEncodeError:
        return False
    if kind == "N":
        try:
            number = Decimal(value)
        except ArithmeticError:
            return False
        return number.is_finite() and len(number.as_tuple().digits) <= 38
    return kind == "S"


def set_expression(
    fields: Mapping[str, Any], *, remove: tuple[str, ...] = ()
) -> tuple[str, dict[str, str], dict[str, Any]]:
    """``SET #f0 = :f0, ...`` (and ``REMOVE``) for top-level attributes, with placeholders.

    Returns the expression, its attribute names and its (typed) values; callers add their
    own condition placeholders, which use other prefixes (``#c``, ``:c``).
    """
    names: dict[str, str] = {}
    values: dict[str, Any] = {}
    sets = []
    for i, (name, value) in enumerate(fields.items()):
        names[f"#f{i}"] = name
        values[f":f{i}"] = _serializer.serialize(value)
        sets.append(f"#f{i} = :f{i}")
    expression = "SET " + ", ".join(sets) if sets else ""
    if remove:
        for j, name in enumerate(remove):
            names[f"#r{j}"] = name
        expression += " REMOVE " + ", ".join(f"#r{j}" for j in range(len(remove)))
    return expression.strip(), names, values


def status_in(expected: tuple[str, ...], names: dict[str, str], values: dict[str, Any]) -> str:
    """``attribute_exists(pk) AND #cs IN (:c0, …)``: a state transition's guard.

    Adds its placeholders to ``names``/``values`` (prefixes ``#c``/``:c``, apart from
    ``set_expression``'s), so a write applies only while the item is in an expected state.
    """
    names["#cs"] = "status"
    for i, status in enumerate(expected):
        values[f":c{i}"] = {"S": status}
    return f"attribute_exists(pk) AND #cs IN ({', '.join(f':c{i}' for i in range(len(expected)))})"


def is_condition_failure(exc: Exception) -> bool:
    """A failed ConditionExpression, alone or inside a cancelled transaction."""
    from botocore.exceptions import ClientError

    if not isinstance(exc, ClientError):
        return False
    code = exc.response.get("Error", {}).get("Code")
    if code == "ConditionalCheckFailedException":
        return True
    if code == "TransactionCanceledException":
        reasons = exc.response.get("CancellationReasons") or []
        codes = {r.get("Code") for r in reasons}
        # moto and older botocore may omit the reasons; the message still names them.
        return "ConditionalCheckFailed" in codes or "ConditionalCheckFailed" in str(exc)
    return False
