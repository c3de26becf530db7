"""The plan-delta sync with in-memory ports: each file applied once, bad rows quarantined masked, every file reported."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from salesportal.domain.plan_delta import DeltaFile
from salesportal.workflows import plan_syncing
from tests.fakes.plan_delta import FakeAnnouncer, FakeInbox, FakeLedger, RecordingApplier

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
PLAN = {
    "plan_id": "DEMO-PLUS",
    "plan_name": "Demo Plus",
    "insurer_name": "Acme Health",
    "status": "ACTIVE",
    "avg_monthly_cost": "39.90",
    "avg_copay_amount": "5",
    "annual_deductible": "250",
    "min_age": 65,
    "max_age": 120,
}


def _line(entity: str, data: dict[str, object], op: str = "upsert") -> str:
    return json.dumps({"entity": entity, "op": op, "data": data})


class World:
    def __init__(self) -> None:
        self.inbox, self.ledger, self.announcer = FakeInbox(), FakeLedger(), FakeAnnouncer()
        self.appliers: list[RecordingApplier] = []

    def applier(self, now: datetime) -> RecordingApplier:
        assert now == NOW
        self.appliers.append(RecordingApplier())
        return self.appliers[-1]

    def ports(self) -> plan_syncing.Ports:
        return plan_syncing.Ports(self.inbox, self.ledger, self.applier, self.announcer, lambda: NOW)

    def sync(self, run_id: str = "run-1") -> plan_syncing.RunSummary:
        return plan_syncing.sync(run_id, NOW, self.ports())


def test_good_rows_are_applied_and_bad_ones_quarantined_with_a_masked_reason():
    world = World()
    world.inbox.drop(
        "incoming/20261201.jsonl",
        '"abc123def456"',
        _line("plan", PLAN),
        _line("plan_to_zip", {"plan_id": "DEMO-PLUS", "zip_code": "78701"}),
        _line("spaceship", {"note": "call 123-45-6789"}),
        "{not json 123-45-6789",
        "",
    )
    summary = world.sync()
    (report,) = summary.files
    assert (report.rows_applied, report.quarantined) == (2, 2)
    assert dict(report.applied) == {"plan:upsert": 1, "plan_to_zip:upsert": 1}
    assert [c.entity for c in world.appliers[0].applied] == ["plan", "plan_to_zip"] and world.appliers[
        0
    ].flushed
    assert report.totals.plans_changed == 1
    assert report.report_key == "reports/20261201-abc123def456.json"
    assert report.quarantine_key == "quarantine/20261201-abc123def456.jsonl"
    quarantined = world.inbox.quarantines[report.quarantine_key]
    assert [(q.line, q.reason) for q in quarantined] == [
        (3, "unknown entity 'spaceship'"),
        (4, "not valid JSON"),
    ]
    assert "123-45-6789" not in json.dumps([dict(q.row) for q in quarantined])
    assert world.inbox.reports[report.report_key] == report
    assert world.ledger.files[DeltaFile("incoming/20261201.jsonl", '"abc123def456"')] == report
    assert world.announcer.announced == [report]
    assert world.ledger.runs == [(summary, NOW)]


def test_a_file_already_in_the_ledger_is_skipped_and_counted():
    world = World()
    world.inbox.drop("incoming/a.jsonl", '"e1"', _line("plan", PLAN))
    world.sync("run-1")
    again = world.sync("run-2")
    assert again.files == () and again.already_applied == 1 and len(world.appliers) == 1
    # The same name with new content (another ETag) is a new file.
    world.inbox.files.clear()
    world.inbox.drop("incoming/a.jsonl", '"e2"', _line("plan", PLAN))
    assert len(world.sync("run-3").files) == 1


def test_files_are_applied_in_key_order_each_with_its_own_applier_and_folders_are_skipped():
    world = World()
    world.inbox.drop("incoming/b.csv", '"e2"', "plan_id,zip_code,op", "DEMO-PLUS,78745,upsert")
    world.inbox.drop("incoming/", '"d"')
    world.inbox.drop("incoming/a.jsonl", '"e1"', _line("plan", PLAN))
    summary = world.sync()
    assert [r.file.key for r in summary.files] == ["incoming/a.jsonl", "incoming/b.csv"]
    assert summary.already_applied == 1 and len(world.appliers) == 2


def test_a_csv_file_named_for_an_entity_applies_its_rows_and_a_wrong_name_is_one_quarantined_row():
    world = World()
    world.inbox.drop(
        "incoming/plan_to_zip-1.csv", '"e1"', "plan_id,zip_code,op", "DEMO-PLUS,78745,", "DEMO-PLUS,bad,"
    )
    world.inbox.drop("incoming/zips-2.csv", '"e2"', "plan_id,zip_code", "DEMO-PLUS,78745")
    good, wrong = world.sync().files
    assert (good.rows_applied, good.quarantined) == (1, 1)
    assert world.inbox.quarantines[good.quarantine_key or ""][0].line == 3
    assert (wrong.rows_applied, wrong.quarantined) == (0, 1)


def test_a_file_with_no_bad_row_writes_no_quarantine():
    world = World()
    world.inbox.drop("incoming/a.jsonl", '"e1"', _line("plan", PLAN))
    (report,) = world.sync().files
    assert report.quarantine_key is None and world.inbox.quarantines == {}
