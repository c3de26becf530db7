"""Salesforce sync runs listed newest first (salesportal.data.crm_sync.SyncRuns over the
control table): one entry per run however often it is recorded, manual and scheduled runs in
one order, pages with the listing's own tokens."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from salesportal.data.control import ControlRepository
from salesportal.data.crm_sync import SyncRuns, listed_at
from salesportal.data.dynamo import InvalidCursor, encode_cursor
from salesportal.domain.crm import RunReport


@pytest.fixture
def runs() -> Iterator[SyncRuns]:
    with mock_aws():
        client = boto3.client(
            "dynamodb", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
        )
        client.create_table(
            TableName="control",
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        yield SyncRuns(ControlRepository("control", dynamodb=client))


def _manual(run_id: str, queued_at: str, status: str = "QUEUED") -> RunReport:
    return {
        "runId": run_id,
        "direction": "push",
        "trigger": "manual",
        "status": status,
        "queuedAt": queued_at,
    }


def _scheduled(run_id: str, started_at: str, status: str = "RUNNING") -> RunReport:
    return {
        "runId": run_id,
        "direction": "pull",
        "trigger": "schedule",
        "status": status,
        "startedAt": started_at,
    }


def test_a_run_sits_at_its_first_moment_in_fixed_width_utc():
    assert listed_at(_manual("m", "2026-12-01T12:00:00+00:00")) == "2026-12-01T12:00:00.000000Z"
    assert listed_at(_manual("m", "2026-12-01T06:00:00.5-06:00")) == "2026-12-01T12:00:00.500000Z"
    # A manual run's place is when it was queued, not when an attempt started.
    attempt = {**_manual("m", "2026-12-01T12:00:00+00:00"), "startedAt": "2026-12-01T13:00:00+00:00"}
    assert listed_at(attempt) == "2026-12-01T12:00:00.000000Z"
    assert listed_at(_scheduled("s", "2026-12-01T12:15:00.000001+00:00")) == "2026-12-01T12:15:00.000001Z"
    assert listed_at({"runId": "bare"}) is None


def test_runs_are_listed_newest_first_each_once_in_its_latest_state(runs):
    runs.record_run("m1", _manual("m1", "2026-12-01T10:00:00+00:00"))
    runs.record_run("20261201T111500Z-aa", _scheduled("20261201T111500Z-aa", "2026-12-01T11:15:00+00:00"))
    runs.record_run("m2", _manual("m2", "2026-12-01T12:00:00.250000+00:00"))
    # The manual run moves on: queued, running (a later start), finished; still one entry.
    running = {
        **_manual("m1", "2026-12-01T10:00:00+00:00", "RUNNING"),
        "startedAt": "2026-12-01T10:00:05+00:00",
    }
    runs.record_run("m1", running)
    runs.record_run("m1", {**running, "status": "SUCCEEDED", "finishedAt": "2026-12-01T10:01:00+00:00"})

    page = runs.newest_first(limit=10, token=None)
    assert [r["runId"] for r in page.items] == ["m2", "20261201T111500Z-aa", "m1"]
    assert [r["status"] for r in page.items] == ["QUEUED", "RUNNING", "SUCCEEDED"]
    assert page.items[2] == runs.run("m1")  # the list shows what the run's own page shows
    assert page.next_token is None


def test_pages_follow_the_listing_token_and_refuse_any_other(runs):
    for n in range(5):
        runs.record_run(f"m{n}", _manual(f"m{n}", f"2026-12-01T1{n}:00:00+00:00"))
    seen, token = [], None
    while True:
        page = runs.newest_first(limit=2, token=token)
        seen += [r["runId"] for r in page.items]
        if not (token := page.next_token):
            break
    assert seen == ["m4", "m3", "m2", "m1", "m0"]

    for foreign in (
        encode_cursor({"pk": {"S": "SFRUN#m1"}, "sk": {"S": "RUN"}}),  # a run's own record
        encode_cursor({"pk": {"S": "SALESFORCE"}, "sk": {"S": "WATERMARK"}}),  # same table, other records
        encode_cursor({"pk": {"S": "SALESFORCE_RUNS"}, "sk": {"S": "WATERMARK"}}),  # outside the listing
        "not-a-token",
    ):
        with pytest.raises(InvalidCursor):
            runs.newest_first(limit=2, token=foreign)


def test_a_run_recorded_before_the_listing_is_read_by_id_but_not_listed(runs):
    # As runs were written before: the run's record alone.
    runs.control._put("SFRUN#old", "RUN", _manual("old", "2026-11-01T10:00:00+00:00", "SUCCEEDED"))
    runs.record_run("new", _manual("new", "2026-12-01T10:00:00+00:00"))
    assert runs.run("old") is not None
    assert [r["runId"] for r in runs.newest_first(limit=10, token=None).items] == ["new"]
