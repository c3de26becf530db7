"""In-memory ports of the plan-delta sync: an inbox of files, a ledger, an applier that records, an announcer."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from salesportal.domain.plan_delta import ApplyTotals, Change, DeltaFile, FileReport, Quarantined, RunSummary


@dataclass
class FakeInbox:
    files: dict[DeltaFile, list[str]] = field(default_factory=dict)
    quarantines: dict[str, list[Quarantined]] = field(default_factory=dict)
    reports: dict[str, FileReport] = field(default_factory=dict)

    def drop(self, key: str, etag: str, *lines: str) -> DeltaFile:
        file = DeltaFile(key, etag)
        self.files[file] = list(lines)
        return file

    def incoming(self) -> Iterator[DeltaFile]:
        yield from sorted(self.files, key=lambda f: f.key)

    def lines(self, file: DeltaFile) -> Iterator[str]:
        yield from self.files[file]

    def quarantine_key(self, file: DeltaFile) -> str:
        return f"quarantine/{file.stem}.jsonl"

    def report_key(self, file: DeltaFile) -> str:
        return f"reports/{file.stem}.json"

    def write_quarantine(self, key: str, entries: Sequence[Quarantined]) -> None:
        self.quarantines[key] = list(entries)

    def write_report(self, report: FileReport) -> None:
        self.reports[report.report_key] = report


@dataclass
class FakeLedger:
    files: dict[DeltaFile, FileReport] = field(default_factory=dict)
    runs: list[tuple[RunSummary, datetime]] = field(default_factory=list)

    def applied(self, file: DeltaFile) -> bool:
        return file in self.files

    def record_file(self, report: FileReport) -> None:
        self.files[report.file] = report

    def record_run(self, summary: RunSummary, finished_at: datetime) -> None:
        self.runs.append((summary, finished_at))


@dataclass
class RecordingApplier:
    """Keeps what it was given; ``flush`` says every plan row changed a plan."""

    applied: list[Change] = field(default_factory=list)
    flushed: bool = False

    def apply(self, change: Change) -> None:
        if self.flushed:
            raise AssertionError("a change after the flush would be lost")
        self.applied.append(change)

    def flush(self) -> ApplyTotals:
        self.flushed = True
        plans = {c.row.plan_id for c in self.applied if c.entity.startswith("plan")}
        return ApplyTotals(plans_changed=len(plans))


@dataclass
class FakeAnnouncer:
    announced: list[FileReport] = field(default_factory=list)

    def delta_applied(self, report: FileReport) -> None:
        self.announced.append(report)
