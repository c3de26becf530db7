"""Applies validated plan-delta changes to the catalog and enrollments tables, in bulk.

Beneficiary and enrollment rows become batched writes (25 per call). Plan, feature and ZIP
rows change an in-memory copy of each plan touched; ``flush`` then writes every changed
plan once and rewrites its ZIP items (the search's denormalized copies), deleting those of
removed ZIPs or of an old cost. Every write is a put or delete of a final value, so
applying the same file twice changes nothing; if a run dies before the ledger records the
file, the next run applies it whole again and converges. (Items carry no write time for
that reason: the ledger and the run report say when each file was applied.)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from salesportal import aws, bus
from salesportal.data.control import ControlRepository
from salesportal.data.enrollments import EnrollmentRepository, beneficiary_key, enrollment_key
from salesportal.data.plans import PlanRepository, zip_item, zip_sort_key
from salesportal.domain import plan_delta as rows
from salesportal.domain.outbox import DomainEvent
from salesportal.domain.plan_delta import (
    ApplyTotals,
    Change,
    DeltaFile,
    FileReport,
    Quarantined,
    RowError,
    RunSummary,
)
from salesportal.pii import SsnSealer

INCOMING, QUARANTINE, REPORTS = "incoming/", "quarantine/", "reports/"

_BOOKKEEPING = frozenset({"pk", "sk", "entityType", "entityId", "updatedAt", "zips", "features"})


def _meaningful(plan: dict[str, Any]) -> dict[str, Any]:
    """A plan's own values: what decides whether a row changed it (not when it was written)."""
    return {k: v for k, v in plan.items() if k not in _BOOKKEEPING and v is not None}


@dataclass
class _PlanState:
    original: dict[str, Any] | None  # as stored before this run (None: new)
    current: dict[str, Any] | None  # None: deleted


@dataclass
class DeltaApplier:
    plans: PlanRepository
    enrollments: EnrollmentRepository
    seal_ssn: Callable[[str, str], dict[str, Any]]  # (ssn, beneficiary id) -> sealed value
    now: str
    _plans: dict[str, _PlanState] = field(default_factory=dict)
    _pending: list[dict[str, Any]] = field(default_factory=list)
    _pending_keys: set[tuple[str, str]] = field(default_factory=set)

    # -- plans ----------------------------------------------------------------------------
    def _plan(self, plan_id: str) -> _PlanState:
        if plan_id not in self._plans:
            stored = self.plans.get_with_zips(plan_id)
            original = current = None
            if stored is not None:
                original = {
                    **_meaningful(stored),
                    "zips": set(stored.get("zips") or ()),
                    "features": dict(stored.get("features") or {}),
                }
                current = {**original, "zips": set(original["zips"]), "features": dict(original["features"])}
            self._plans[plan_id] = _PlanState(original, current)
        return self._plans[plan_id]

    def _existing(self, plan_id: str) -> dict[str, Any]:
        current = self._plan(plan_id).current
        if current is None:
            raise RowError(f"unknown plan {plan_id!r}")
        return current

    def apply(self, change: Change) -> None:
        row = change.row
        if change.entity == "plan":
            state = self._plan(row.plan_id)
            if change.op == "delete":
                state.current = None
                return
            kept = state.current or {"zips": set(), "features": {}}
            state.current = {**row.values(), "zips": kept["zips"], "features": kept["features"]}
        elif change.entity == "plan_feature":
            plan = self._existing(row.plan_id)
            if change.op == "delete":
                plan["features"].pop(row.feature_key, None)
            else:
                plan["features"][row.feature_key] = row.feature_value
        elif change.entity == "plan_to_zip":
            plan = self._existing(row.plan_id)
            (plan["zips"].discard if change.op == "delete" else plan["zips"].add)(row.zip_code)
        elif change.entity == "beneficiary":
            key = beneficiary_key(row.beneficiary_id)
            if change.op == "delete":
                self._queue(self.enrollments.delete(key), key)
                return
            digits = "".join(ch for ch in row.ssn if ch.isdigit())
            values = {
                "beneficiaryId": row.beneficiary_id,
                "firstName": row.fname,
                "lastName": row.lname,
                "sex": row.sex,
                "birthDate": row.birthdate.isoformat(),
                "address": {
                    "line1": row.address,
                    "city": row.city,
                    "state": row.state,
                    "postalCode": row.zip_code,
                },
                "ssnLast4": digits[-4:],
                "ssnEncrypted": self.seal_ssn(digits, row.beneficiary_id),
            }
            self._queue(self.enrollments.put(key, values), key)
        elif change.entity == "beneficiary_to_plan":
            key = enrollment_key(row.beneficiary_id, row.start_date.isoformat(), row.plan_id)
            if change.op == "delete":
                self._queue(self.enrollments.delete(key), key)
                return
            values = {
                "beneficiaryId": row.beneficiary_id,
                "planId": row.plan_id,
                "startDate": row.start_date.isoformat(),
                "endDate": row.end_date.isoformat() if row.end_date else None,
            }
            self._queue(self.enrollments.put(key, values), key)

    # -- writing --------------------------------------------------------------------------
    def _queue(self, request: dict[str, Any], key: dict[str, Any]) -> None:
        identity = (key["pk"], key["sk"])
        if identity in self._pending_keys:  # one batch may not touch a key twice
            self._drain()
        self._pending.append(request)
        self._pending_keys.add(identity)
        if len(self._pending) >= 25:
            self._drain()

    def _drain(self) -> None:
        if self._pending:
            self.enrollments.write(self._pending)
        self._pending, self._pending_keys = [], set()

    def flush(self) -> ApplyTotals:
        """Write everything still pending; returns how many plans and ZIP items changed."""
        self._drain()
        changed_plans = zip_puts = zip_deletes = 0
        for plan_id, state in self._plans.items():
            before, after = state.original, state.current
            if after is not None:
                after = {**_meaningful(after), "zips": after["zips"], "features": after["features"]}
            if before == after:
                continue
            changed_plans += 1
            old = (
                {(f"ZIP#{z}", zip_sort_key(int(before["monthlyCostCents"]), plan_id)) for z in before["zips"]}
                if before
                else set()
            )
            if after is None:
                self.plans.delete_plan(plan_id)
                self.plans.write_zip_items([], sorted(old))
                zip_deletes += len(old)
                continue
            stored = {**after, "zips": sorted(after["zips"]), "updatedAt": self.now}
            self.plans.put_plan({k: v for k, v in stored.items() if v is not None and v != []})
            puts = [zip_item(after, z) for z in sorted(after["zips"])]
            new_keys = {(p["pk"], p["sk"]) for p in puts}
            stale = sorted(old - new_keys)
            self.plans.write_zip_items(puts, stale)
            zip_puts, zip_deletes = zip_puts + len(puts), zip_deletes + len(stale)
        self._plans.clear()
        return ApplyTotals(changed_plans, zip_puts, zip_deletes)


def appliers(
    plans: PlanRepository, enrollments_table: str, pii_key_id: str
) -> Callable[[datetime], DeltaApplier]:
    """A fresh applier per file. Its SSN sealer (one KMS data key) is made only when the file
    holds a beneficiary row."""

    def new(now: datetime) -> DeltaApplier:
        sealer: list[SsnSealer] = []

        def seal(ssn: str, beneficiary_id: str) -> dict[str, Any]:
            if not sealer:
                sealer.append(SsnSealer(pii_key_id))
            return sealer[0].seal(ssn, context=beneficiary_id)

        return DeltaApplier(plans, EnrollmentRepository(enrollments_table), seal, now.isoformat())

    return new


# -- the report: one document for the report file, the ledger and the event ---------------
def report_document(report: FileReport) -> dict[str, Any]:
    document: dict[str, Any] = {
        "runId": report.run_id,
        "file": report.file.key,
        "etag": report.file.etag,
        "appliedAt": report.applied_at.isoformat(),
        "rowsApplied": report.rows_applied,
        "rowsQuarantined": report.quarantined,
        "applied": dict(sorted(report.applied.items())),
        "plansChanged": report.totals.plans_changed,
        "zipItemsWritten": report.totals.zip_items_written,
        "zipItemsDeleted": report.totals.zip_items_deleted,
    }
    if report.quarantine_key:
        document["quarantineKey"] = report.quarantine_key
    document["reportKey"] = report.report_key
    return document


def summary_document(summary: RunSummary) -> dict[str, Any]:
    return {
        "runId": summary.run_id,
        "filesApplied": [
            {
                "file": f.file.key,
                "rowsApplied": f.rows_applied,
                "rowsQuarantined": f.quarantined,
                "reportKey": f.report_key,
            }
            for f in summary.files
        ],
        "filesAlreadyApplied": summary.already_applied,
    }


@dataclass(frozen=True)
class DeltaAnnouncer:
    """``PlanDeltaApplied`` on the bus, carrying the report (the per-entity counts left out)."""

    bus_name: str
    source: str

    def delta_applied(self, report: FileReport) -> None:
        detail = {k: v for k, v in report_document(report).items() if k != "applied"}
        bus.publish([DomainEvent("PlanDeltaApplied", detail)], bus_name=self.bus_name, source=self.source)


# -- the inbox (S3) and the ledger (control table) -----------------------------------------
def _lines(body: Any) -> Iterator[str]:
    for raw in body.iter_lines():
        yield raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw


@dataclass(frozen=True)
class DeltaInbox:
    """The delta bucket: files under incoming/, quarantines and reports written beside them."""

    bucket: str

    def incoming(self) -> Iterator[DeltaFile]:
        paginator = aws.client("s3").get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=INCOMING):
            for obj in sorted(page.get("Contents", []), key=lambda o: o["Key"]):
                yield DeltaFile(obj["Key"], obj["ETag"])

    def lines(self, file: DeltaFile) -> Iterator[str]:
        # Streamed line by line: a 200,000-row file never sits in memory whole.
        return _lines(aws.client("s3").get_object(Bucket=self.bucket, Key=file.key)["Body"])

    def quarantine_key(self, file: DeltaFile) -> str:
        return f"{QUARANTINE}{file.stem}.jsonl"

    def report_key(self, file: DeltaFile) -> str:
        return f"{REPORTS}{file.stem}.json"

    def write_quarantine(self, key: str, entries: Sequence[Quarantined]) -> None:
        body = "".join(
            json.dumps({"line": q.line, "reason": q.reason, "row": dict(q.row)}, default=str) + "\n"
            for q in entries
        )
        aws.client("s3").put_object(
            Bucket=self.bucket, Key=key, Body=body.encode(), ContentType="application/x-ndjson"
        )

    def write_report(self, report: FileReport) -> None:
        aws.client("s3").put_object(
            Bucket=self.bucket,
            Key=report.report_key,
            Body=json.dumps(report_document(report), indent=2).encode(),
            ContentType="application/json",
        )


@dataclass(frozen=True)
class DeltaLedger:
    """Which files were applied (by key and ETag), and each run's summary."""

    control: ControlRepository

    def applied(self, file: DeltaFile) -> bool:
        return self.control.delta_applied(file.key, file.etag) is not None

    def record_file(self, report: FileReport) -> None:
        self.control.record_delta(report.file.key, report.file.etag, report_document(report))

    def record_run(self, summary: RunSummary, finished_at: datetime) -> None:
        self.control.record_run(
            summary.run_id, {**summary_document(summary), "finishedAt": finished_at.isoformat()}
        )


__all__ = ["DeltaAnnouncer", "DeltaApplier", "DeltaInbox", "DeltaLedger", "RowError", "rows"]
