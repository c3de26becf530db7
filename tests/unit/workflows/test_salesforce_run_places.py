"""A queued Salesforce run keeps its place in the runs' list over every attempt: each record
of it carries the same queuedAt (salesportal.data.crm_sync.listed_at orders by it)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from salesportal.workflows import salesforce_syncing as syncing
from tests.fakes.salesforce import FakeSalesforce, FakeStore

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _unreachable() -> FakeSalesforce:
    raise ConnectionError("down")


def _attempt(store: FakeStore, attempt: int, salesforce=_unreachable, *, last: bool = False):
    return syncing.run_queued(
        syncing.QueuedRun("r1", "pull", attempt, last=last),
        syncing.Ports(store, salesforce),
        now=NOW + timedelta(minutes=attempt),
        time_budget=syncing.UNBOUNDED,
    )


def test_every_record_of_a_queued_run_carries_the_time_it_was_queued():
    queued = "2026-12-01T11:59:00+00:00"
    store = FakeStore(runs={"r1": {"runId": "r1", "requestedBy": "admin-1", "queuedAt": queued}})
    with pytest.raises(ConnectionError):
        _attempt(store, 1)
    assert store.runs["r1"]["status"] == "RETRYING" and store.runs["r1"]["queuedAt"] == queued
    assert _attempt(store, 2, lambda: FakeSalesforce())["status"] == "SUCCEEDED"
    assert store.runs["r1"]["queuedAt"] == queued and store.runs["r1"]["startedAt"] != queued


def test_a_run_found_without_its_queued_record_keeps_its_first_delivery_time():
    store = FakeStore()
    with pytest.raises(ConnectionError):
        _attempt(store, 1)
    first = store.runs["r1"]["queuedAt"]
    assert first == (NOW + timedelta(minutes=1)).isoformat()
    with pytest.raises(ConnectionError):
        _attempt(store, 2, last=True)
    assert store.runs["r1"]["status"] == "FAILED" and store.runs["r1"]["queuedAt"] == first
