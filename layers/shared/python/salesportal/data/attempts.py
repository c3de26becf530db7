"""Failure counters in fixed windows, race-safe: one conditional ADD per attempt.

An attempt is counted *before* it is judged: ``reserve`` adds one to the window's count
only while the count is below the limit (a condition DynamoDB checks and applies in one
write), so any number of concurrent attempts gets at most ``limit`` reservations; a
read-then-write would let every racer read "4" and try. An attempt that turns out right is
handed back with ``release`` (its own one, never below the failures counted: a success does
not reset anything); nothing else lowers the count. The window starts with its first
attempt and ends ``seconds`` later; only then does counting start over.

The repository owning the table builds the key (``CustomerRepository.link_attempts``,
``EnrollmentRepository.link_attempts``); this module knows only the two counting attributes.

Access pattern: UpdateItem on one item per counter (``failures`` N, ``windowStart`` N epoch).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from salesportal.data.dynamo import TableRepository, from_item, to_item

# A racer can lose a window restart to another racer; it then counts in the new window.
_MAX_ROUNDS = 4


class AttemptsExhausted(Exception):
    """The window holds ``limit`` attempts already; counting resumes in ``retry_after_s``."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"retry after {retry_after_s} s")
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class Reservation:
    """One counted attempt, in the window that started at ``window_start``."""

    counter: AttemptCounter
    window_start: int


@dataclass(frozen=True)
class AttemptCounter(TableRepository):
    key: Mapping[str, Any] = field(default_factory=dict)
    limit: int = 5
    seconds: int = 15 * 60
    # Attributes written with every count (e.g. what the stream audits it as).
    attributes: Mapping[str, Any] = field(default_factory=dict)

    def reserve(self, now: int) -> Reservation:
        """Count one attempt now, or raise AttemptsExhausted if the window is full."""
        for _ in range(_MAX_ROUNDS):
            counted, item = self._add_within_limit(now)
            if counted:
                return Reservation(self, int(item["windowStart"]))
            item = item or self._read() or {}  # a DynamoDB that omits the refused item
            if not item:
                continue  # refused, then gone: cannot happen; count again
            start = int(item["windowStart"])
            if start + self.seconds > now:  # a live window the add was refused in: full
                raise AttemptsExhausted(start + self.seconds - now)
            if self._restart(expired=start, now=now):
                return Reservation(self, now)
            # Another attempt restarted the window first: count in its window.
        raise AttemptsExhausted(1)  # never reached in practice; refuse rather than loop

    def release(self, reservation: Reservation) -> None:
        """Hand back one attempt that turned out right, in its own window only."""
        self._update(
            "ADD failures :minus",
            "windowStart = :start AND failures > :zero",
            {":minus": -1, ":start": reservation.window_start, ":zero": 0},
        )

    def failures(self, now: int) -> int:
        """Attempts counted in the live window (none once it has ended)."""
        attempts = self._read()
        if not attempts or int(attempts["windowStart"]) + self.seconds <= now:
            return 0
        return int(attempts.get("failures", 0))

    def _read(self) -> dict[str, Any] | None:
        item = (
            self._client()
            .get_item(TableName=self.table_name, Key=to_item(self.key), ConsistentRead=True)
            .get("Item")
        )
        return from_item(item) if item else None

    # -- writes ---------------------------------------------------------------------------
    def _add_within_limit(self, now: int) -> tuple[bool, dict[str, Any]]:
        """(True, counted item) if counted; else (False, the item as it stood: full, or over)."""
        return self._update(
            "ADD failures :one SET windowStart = if_not_exists(windowStart, :now)",
            "attribute_not_exists(windowStart) OR (windowStart > :since AND failures < :limit)",
            {":one": 1, ":now": now, ":since": now - self.seconds, ":limit": self.limit},
        )

    def _restart(self, *, expired: int, now: int) -> bool:
        """Begin a new window at one attempt, if the expired one is still the stored one."""
        restarted, _ = self._update(
            "SET windowStart = :now, failures = :one",
            "windowStart = :expired",
            {":now": now, ":one": 1, ":expired": expired},
        )
        return restarted

    def _update(self, expression: str, condition: str, values: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
        """One conditional UpdateItem (plus the counter's attributes): whether it applied,
        and the item after it, or as it stood when the condition refused it."""
        names = {f"#a{i}": name for i, name in enumerate(self.attributes)}
        sets = [f"#a{i} = :a{i}" for i in range(len(self.attributes))]
        values = {**values, **{f":a{i}": v for i, v in enumerate(self.attributes.values())}}
        if sets:
            expression += (", " if " SET " in f" {expression}" else " SET ") + ", ".join(sets)
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "Key": to_item(self.key),
            "UpdateExpression": expression,
            "ConditionExpression": condition,
            "ExpressionAttributeValues": to_item(values),
            "ReturnValues": "ALL_NEW",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        if names:
            params["ExpressionAttributeNames"] = names
        applied, answer = self._attempt("update_item", **params)
        item = answer.get("Attributes" if applied else "Item")
        return applied, from_item(item) if item else {}
