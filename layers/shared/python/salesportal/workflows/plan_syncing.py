"""The nightly plan-delta sync: the system of record's delta files, applied once each.

Every file under the inbox's ``incoming/`` not yet in the ledger (by key and ETag) is read
row by row; each row is validated whole before it is applied (``domain.plan_delta``), a bad
row is quarantined with its reason (every nine-digit run masked), and the file gets a
report, a ledger entry and a ``PlanDeltaApplied`` event. The rows are idempotent besides, so
a re-run after a crash (the file applied, the ledger not yet written) converges.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from salesportal.domain.plan_delta import (
    ApplyTotals,
    Change,
    DeltaFile,
    FileReport,
    Quarantined,
    RowError,
    RunSummary,
    parse,
    quarantined,
    read_rows,
)
from salesportal.observability import logger


class Inbox(Protocol):
    def incoming(self) -> Iterable[DeltaFile]: ...

    def lines(self, file: DeltaFile) -> Iterator[str]: ...

    def quarantine_key(self, file: DeltaFile) -> str: ...

    def report_key(self, file: DeltaFile) -> str: ...

    def write_quarantine(self, key: str, entries: Sequence[Quarantined]) -> None: ...

    def write_report(self, report: FileReport) -> None: ...


class Ledger(Protocol):
    def applied(self, file: DeltaFile) -> bool: ...

    def record_file(self, report: FileReport) -> None: ...

    def record_run(self, summary: RunSummary, finished_at: datetime) -> None: ...


class Applier(Protocol):
    def apply(self, change: Change) -> None: ...

    def flush(self) -> ApplyTotals: ...


class Announcer(Protocol):
    def delta_applied(self, report: FileReport) -> None: ...


@dataclass(frozen=True)
class Ports:
    inbox: Inbox
    ledger: Ledger
    applier: Callable[[datetime], Applier]  # a fresh one per file
    announcer: Announcer
    clock: Callable[[], datetime]


def sync(run_id: str, now: datetime, ports: Ports) -> RunSummary:
    """Apply every new file in key order; a file already in the ledger is counted and skipped."""
    reports: list[FileReport] = []
    skipped = 0
    for file in ports.inbox.incoming():
        if file.key.endswith("/") or ports.ledger.applied(file):
            skipped += 1
            continue
        report = apply_file(file, run_id, now, ports)
        logger.info(
            "delta file applied",
            extra={
                "file": file.key,
                "rowsApplied": report.rows_applied,
                "rowsQuarantined": report.quarantined,
                "plansChanged": report.totals.plans_changed,
            },
        )
        reports.append(report)
    summary = RunSummary(run_id, tuple(reports), skipped)
    ports.ledger.record_run(summary, ports.clock())
    return summary


def apply_file(file: DeltaFile, run_id: str, now: datetime, ports: Ports) -> FileReport:
    applier = ports.applier(now)
    applied: Counter[str] = Counter()
    refused: list[Quarantined] = []
    for row in read_rows(file.key, ports.inbox.lines(file)):
        try:
            if row.error:
                raise RowError(row.error)
            change = parse(row.entity, row.op, row.data)
            applier.apply(change)
            applied[f"{change.entity}:{change.op}"] += 1
        except RowError as exc:
            refused.append(quarantined(row, exc))
    totals = applier.flush()
    report = FileReport(
        run_id=run_id,
        file=file,
        applied_at=now,
        applied=dict(applied),
        quarantined=len(refused),
        totals=totals,
        report_key=ports.inbox.report_key(file),
        quarantine_key=ports.inbox.quarantine_key(file) if refused else None,
    )
    if report.quarantine_key:
        ports.inbox.write_quarantine(report.quarantine_key, refused)
    ports.inbox.write_report(report)
    ports.ledger.record_file(report)
    ports.announcer.delta_applied(report)
    return report
