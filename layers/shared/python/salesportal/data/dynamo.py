"""DynamoDB plumbing shared by the repositories: the table and its client, (de)serialization
and opaque cursors."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from salesportal import aws
from salesportal.errors import BadRequest

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


@dataclass(frozen=True)
class TableRepository:
    """A repository's table and the client it reaches it through: the shared one, unless a
    caller with a tighter time budget (a Cognito trigger) brings its own."""

    table_name: str
    dynamodb: Any = None

    def _client(self) -> Any:
        return self.dynamodb or aws.client("dynamodb")


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


def decode_cursor(token: str | None, *, expected: Mapping[str, Any]) -> dict[str, Any] | None:
    """A token back to ExclusiveStartKey; refuses tokens that do not belong to this query.

    ``expected`` holds the key attributes the token must carry unchanged (the partition
    being queried), so a crafted token cannot move a query into someone else's partition.
    """
    if not token:
        return None
    try:
        padded = token + "=" * (-len(token) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise BadRequest("nextToken is not a valid pagination token.", code="invalid_next_token") from exc
    if not isinstance(key, dict) or any(key.get(k) != v for k, v in expected.items()):
        raise BadRequest("nextToken does not belong to this listing.", code="invalid_next_token")
    if not all(isinstance(v, dict) and len(v) == 1 for v in key.values()):
        raise BadRequest("nextToken is not a valid pagination token.", code="invalid_next_token")
    return key


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
