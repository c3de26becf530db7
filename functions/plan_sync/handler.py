"""Nightly plan-delta sync: applies the system of record's delta files from the S3 inbox.

Files land under ``incoming/`` as JSON Lines (``{"entity", "op", "data"}`` per line, any
entity) or CSV (one entity per file, named ``<entity>-….csv``, with an ``op`` column). Each
file is streamed line by line (a 200,000-row file never sits in memory whole), every row
validated before it is applied, bad rows written with their reason to ``quarantine/`` (every
nine-digit run masked, in whichever column or broken line it stands: salesportal.pii), a
report to ``reports/`` and the control table, and ``PlanDeltaApplied`` published. A ledger
keyed by object key and ETag makes a file apply once; the rows are idempotent besides, so a
re-run after a crash converges.
"""

from __future__ import annotations

import csv
import json
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal import aws, bus
from salesportal.config import Settings, load
from salesportal.data.control import ControlRepository
from salesportal.data.plan_delta import DeltaApplier
from salesportal.data.plans import PlanRepository
from salesportal.domain.outbox import DomainEvent
from salesportal.domain.plan_delta import ENTITIES, RowError, masked, parse
from salesportal.observability import entrypoint, logger, metrics
from salesportal.pii import SsnSealer, mask

INCOMING, QUARANTINE, REPORTS = "incoming/", "quarantine/", "reports/"
RAW_KEPT = 500  # characters of an unparseable line kept for the operator, masked first
Row = tuple[int, Any, Any, dict[str, Any], str | None]  # line, entity, op, data, parse error


class SyncSettings(Settings):
    catalog_table_name: str
    enrollments_table_name: str
    control_table_name: str
    plan_inbox_bucket_name: str
    event_bus_name: str
    event_source: str
    pii_key_id: str


def _lines(body: Any) -> Iterator[str]:
    for raw in body.iter_lines():
        yield raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw


def read_rows(key: str, body: Any) -> Iterator[Row]:
    """The rows of a delta file, streamed; a line that cannot be parsed carries its error."""
    name = PurePosixPath(key).name
    if name.endswith((".jsonl", ".ndjson")):
        for number, line in enumerate(_lines(body), 1):
            if not line.strip():
                continue
            # The line is quoted only masked, and masked before it is cut: a cut first could
            # leave an SSN's first digits at the end, shorter than a run and so unmasked.
            try:
                row = json.loads(line)
            except (ValueError, RecursionError):  # also too deep, or a number too long for int
                yield number, None, None, {"raw": mask(line)[:RAW_KEPT]}, "not valid JSON"
                continue
            if not isinstance(row, dict) or not isinstance(row.get("data", {}), dict):
                yield (
                    number,
                    None,
                    None,
                    {"raw": mask(line)[:RAW_KEPT]},
                    'a line must be {"entity", "op", "data": {...}}',
                )
                continue
            yield number, row.get("entity"), row.get("op"), row.get("data") or {}, None
    elif name.endswith(".csv"):
        entity = name.split("-", 1)[0].split(".", 1)[0]
        if entity not in ENTITIES:
            yield (
                0,
                None,
                None,
                {"file": name},
                f"a CSV file name must start with one of {', '.join(ENTITIES)}",
            )
            return
        for number, record in enumerate(csv.DictReader(_lines(body)), 2):  # line 1 is the header
            data = {k.strip(): (v or "").strip() for k, v in record.items() if k}
            yield number, entity, data.pop("op", "") or "upsert", data, None
    else:
        yield 0, None, None, {"file": name}, "unsupported file type (use .jsonl or .csv)"


def apply_file(key: str, etag: str, run_id: str, now: str) -> dict[str, Any]:
    settings = load(SyncSettings)
    s3 = aws.client("s3")
    body = s3.get_object(Bucket=settings.plan_inbox_bucket_name, Key=key)["Body"]
    sealer: list[SsnSealer] = []  # one data key per file, made only if a beneficiary row comes

    def seal(ssn: str, beneficiary_id: str) -> dict[str, Any]:
        if not sealer:
            sealer.append(SsnSealer(settings.pii_key_id))
        return sealer[0].seal(ssn, context=beneficiary_id)

    applier = DeltaApplier(
        PlanRepository(settings.catalog_table_name), settings.enrollments_table_name, seal, now
    )
    applied: Counter[str] = Counter()
    quarantined: list[dict[str, Any]] = []
    for number, entity, op, data, error in read_rows(key, body):
        try:
            if error:
                raise RowError(error)
            change = parse(entity, op, data)
            applier.apply(change)
            applied[f"{change.entity}:{change.op}"] += 1
        except RowError as exc:
            # The reason may quote the row (an unknown entity, a bad value): masked as the row is.
            quarantined.append({"line": number, "reason": mask(str(exc)), "row": masked(data)})
    totals = applier.flush()

    stem = f"{PurePosixPath(key).stem}-{etag.strip(chr(34))[:12]}"
    report: dict[str, Any] = {
        "runId": run_id,
        "file": key,
        "etag": etag,
        "appliedAt": now,
        "rowsApplied": sum(applied.values()),
        "rowsQuarantined": len(quarantined),
        "applied": dict(sorted(applied.items())),
        **totals,
    }
    if quarantined:
        report["quarantineKey"] = f"{QUARANTINE}{stem}.jsonl"
        s3.put_object(
            Bucket=settings.plan_inbox_bucket_name,
            Key=report["quarantineKey"],
            Body="".join(json.dumps(q, default=str) + "\n" for q in quarantined).encode(),
            ContentType="application/x-ndjson",
        )
    report["reportKey"] = f"{REPORTS}{stem}.json"
    s3.put_object(
        Bucket=settings.plan_inbox_bucket_name,
        Key=report["reportKey"],
        Body=json.dumps(report, indent=2).encode(),
        ContentType="application/json",
    )
    ControlRepository(settings.control_table_name).record_delta(key, etag, report)
    bus.publish(
        [DomainEvent("PlanDeltaApplied", {k: v for k, v in report.items() if k != "applied"})],
        bus_name=settings.event_bus_name,
        source=settings.event_source,
    )
    return report


def run(now: datetime) -> dict[str, Any]:
    settings = load(SyncSettings)
    control = ControlRepository(settings.control_table_name)
    run_id = f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
    files, skipped = [], 0
    paginator = aws.client("s3").get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=settings.plan_inbox_bucket_name, Prefix=INCOMING):
        for obj in sorted(page.get("Contents", []), key=lambda o: o["Key"]):
            key, etag = obj["Key"], obj["ETag"]
            if key.endswith("/") or control.delta_applied(key, etag):
                skipped += 1
                continue
            report = apply_file(key, etag, run_id, now.isoformat())
            metrics.add_metric(name="PlanDeltaRowsApplied", unit="Count", value=report["rowsApplied"])
            metrics.add_metric(name="PlanDeltaRowsQuarantined", unit="Count", value=report["rowsQuarantined"])
            logger.info(
                "delta file applied",
                extra={k: report[k] for k in ("file", "rowsApplied", "rowsQuarantined", "plansChanged")},
            )
            files.append({k: report[k] for k in ("file", "rowsApplied", "rowsQuarantined", "reportKey")})
    summary = {"runId": run_id, "filesApplied": files, "filesAlreadyApplied": skipped}
    control.record_run(run_id, {**summary, "finishedAt": datetime.now(UTC).isoformat()})
    return summary


@entrypoint()
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        return run(datetime.now(UTC))
    except Exception:
        # Counted for the failed-run alarm; raised so EventBridge retries, then the schedule DLQ.
        metrics.add_metric(name="SyncRunsFailed", unit="Count", value=1)
        raise
