"""Queue messages and stream records as the functions receive them, parsed before any work starts.

A body of another shape fails that record alone (retried, then kept in the queue's DLQ)
with the validation error in the log, instead of a KeyError deep in a workflow. Producers
may add fields; a consumer reads what it knows. A domain event from the bus is read with
salesportal.models.events, the one model every worker shares.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from salesportal.data.dynamo import plain
from salesportal.domain.outbox import CommittedChange


class _Inbound(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True, extra="ignore")


class SyncRunMessage(_Inbound):
    """A manual Salesforce sync run queued by ``POST /salesforce/sync``."""

    run_id: str = Field(min_length=1, max_length=64)
    direction: Literal["pull", "push", "both"]


def committed_change(record: DynamoDBRecord) -> CommittedChange:
    """A DynamoDB stream record as the outbox reads it: what changed, when, in what order."""
    stream = record.dynamodb
    if stream is None:  # every real stream record carries its images
        raise ValueError(f"stream record {record.event_id} has no dynamodb section")
    # Every real stream record carries its commit time; the audit key is built from it,
    # so a replayed record maps to the same audit item.
    created = stream.approximate_creation_date_time
    if created is None:
        raise ValueError(f"stream record {record.event_id} has no ApproximateCreationDateTime")
    return CommittedChange(
        event_id=record.event_id or "",
        operation=record.event_name.name if record.event_name else "MODIFY",  # type: ignore[arg-type]
        committed_at=datetime.fromtimestamp(created, UTC),
        old=plain(stream.old_image or {}),
        new=plain(stream.new_image or {}),
        sequence=stream.sequence_number or "",
    )
