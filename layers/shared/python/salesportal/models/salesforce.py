"""Salesforce sync runs: the admin's request and the run's report."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import Field

from salesportal.data import dynamo
from salesportal.domain.crm import RunReport
from salesportal.models.common import ApiModel, InputModel, Page

RUN_ID = r"^[0-9A-Za-z-]{1,64}$"  # a ULID (manual runs) or <timestamp>-<hex> (scheduled)
RunStatus = Literal[
    "QUEUED",
    "RUNNING",
    "RETRYING",
    "SUCCEEDED",
    "COMPLETED_WITH_ERRORS",
    "STOPPED_AT_TIME_LIMIT",
    "STOPPED_AT_API_LIMIT",
    "FAILED",
]


class SyncRequest(InputModel):
    direction: Literal["pull", "push", "both"] = Field(
        description="pull: Salesforce → portal; push: portal changes → Salesforce; both: pull, then push"
    )


class Conflict(ApiModel):
    salesforce_id: str
    field: str
    kept: Literal["portal", "salesforce"]
    lost: Literal["portal", "salesforce"]


class PullReport(ApiModel):
    status: RunStatus
    watermark_before: str
    watermark_after: str
    pages: int
    records: int
    created: int
    updated: int
    unchanged: int
    deleted: int
    conflict_count: int
    conflicts: list[Conflict] = Field(description="The first 50; conflictCount has them all")


class RecordError(ApiModel):
    status_code: str | None = None
    message: str | None = None


class PushFailure(ApiModel):
    customer_id: str
    errors: list[RecordError]


class PushReport(ApiModel):
    status: RunStatus
    watermark_before: str | None = None
    watermark_after: str | None = None
    considered: int
    sent: int
    created: int
    updated: int
    skipped: int
    failed: int
    errors: list[PushFailure] = Field(description="The first 50 records Salesforce refused")


class SyncRun(ApiModel):
    run_id: str
    direction: Literal["pull", "push", "both"]
    trigger: Literal["schedule", "manual"]
    status: RunStatus
    requested_by: str | None = None
    queued_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    attempts: int | None = None
    pull: PullReport | None = None
    push: PushReport | None = None
    error: str | None = None


# GET /salesforce/sync's parameters: the project's page size bounds and its opaque token.
RunsLimit = Annotated[int, Query(ge=1, le=50, description="Runs on a page")]
RunsToken = Annotated[str | None, Query(alias="nextToken", max_length=2048)]


def run_page(page: dynamo.Page[RunReport]) -> Page[SyncRun]:
    """A page of recorded runs, each as GET /salesforce/sync/{runId} shows it."""
    return Page[SyncRun](items=[SyncRun.model_validate(r) for r in page.items], next_token=page.next_token)
