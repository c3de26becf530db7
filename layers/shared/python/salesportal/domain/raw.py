"""Values as they arrive from outside, before a parser turns them into typed entities.

A JSON document (a Salesforce record, a delta-file row) and a stored item as the table's
stream shows it are named here, so the code that parses them says exactly what it accepts
instead of ``Any``. Nothing past a parser should hold one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

# What json.loads gives (a CSV row is the str-only case).
type JsonValue = str | int | float | bool | Sequence[JsonValue] | Mapping[str, JsonValue] | None
type JsonObject = Mapping[str, JsonValue]

# A DynamoDB attribute as boto3's deserializer gives it (numbers as Decimal, sets, binary).
type ItemValue = (
    str
    | int
    | Decimal
    | bool
    | bytes
    | set[str]
    | set[Decimal]
    | Sequence[ItemValue]
    | Mapping[str, ItemValue]
    | None
)
type ItemImage = Mapping[str, ItemValue]
