"""Message bodies the workers read from their queues, parsed before any work starts.

A body of another shape fails that record alone (retried, then kept in the queue's DLQ)
with the validation error in the log, instead of a KeyError deep in a workflow. Producers
may add fields; a consumer reads what it knows.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class _Inbound(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True, extra="ignore")


class OutboxDetail(_Inbound):
    """The stream processor's event detail (salesportal.domain.outbox), as a worker reads it."""

    event_id: str = Field(min_length=1)
    entity_type: str = ""
    entity_id: str = ""
    action: str = ""
    actor: str = ""
    occurred_at: str = Field(min_length=1)
    customer_id: str = ""
    changed_fields: list[str] = []
    facts: dict[str, Any] = {}


class OutboxEvent(BaseModel):
    """A domain event as EventBridge delivers it to a queue: ``detail-type`` and ``detail``."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    detail_type: Annotated[str, Field(alias="detail-type", min_length=1)]
    detail: OutboxDetail


class SyncRunMessage(_Inbound):
    """A manual Salesforce sync run queued by ``POST /salesforce/sync``."""

    run_id: str = Field(min_length=1, max_length=64)
    direction: Literal["pull", "push", "both"]
