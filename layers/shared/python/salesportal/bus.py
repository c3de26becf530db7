"""Publishes domain events to the EventBridge bus."""

from __future__ import annotations

import json
from collections.abc import Sequence

from salesportal import aws
from salesportal.domain.outbox import DomainEvent

_MAX_ENTRIES_PER_CALL = 10  # EventBridge's PutEvents limit


class PublishFailed(RuntimeError):
    """EventBridge refused some entries; the caller retries the record."""


def publish(events: Sequence[DomainEvent], *, bus_name: str, source: str) -> None:
    client = aws.client("events")
    for start in range(0, len(events), _MAX_ENTRIES_PER_CALL):
        chunk = events[start : start + _MAX_ENTRIES_PER_CALL]
        response = client.put_events(
            Entries=[
                {
                    "EventBusName": bus_name,
                    "Source": source,
                    "DetailType": event.detail_type,
                    "Detail": json.dumps(event.detail, default=str),
                }
                for event in chunk
            ]
        )
        if response.get("FailedEntryCount"):
            codes = sorted({e.get("ErrorCode", "?") for e in response["Entries"] if e.get("ErrorCode")})
            raise PublishFailed(f"EventBridge rejected {response['FailedEntryCount']} entries: {codes}")
