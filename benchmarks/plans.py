"""Drug-plan data for the benchmark, and the nightly sync's throughput on a large delta file.

The search is benchmarked by replaying its sample events over a realistic catalog (the
generated plans: thousands of plans, tens of thousands of ZIP items). The sync cannot be
replayed (a file applies once), so it is measured on one generated file of ``rows`` rows.
"""

from __future__ import annotations

import json
import random
import resource
from typing import Any

REGION = "us-east-1"


def seed(physical: Any, plans: int) -> int:
    from infrastructure.local.seed import SEED_DIR, drop_delta, seed_plan_catalog
    from tests.support.lambdas import invoke

    items = seed_plan_catalog(None, REGION, physical, plans)
    drop_delta(None, REGION, physical, SEED_DIR / "plan-delta-demo.jsonl", "0000-demo.jsonl")
    invoke("plan_sync", {}, physical)
    return items


def delta_file(rows: int, seed: int = 7) -> bytes:
    """A mixed delta: new plans with features and ZIPs, beneficiaries and enrollments."""
    rng = random.Random(seed)
    lines = []
    plan_ids = [f"BENCH-{n:05d}" for n in range(max(1, rows // 20))]
    for plan_id in plan_ids:
        lines.append(
            {
                "entity": "plan",
                "op": "upsert",
                "data": {
                    "plan_id": plan_id,
                    "plan_name": f"Bench {plan_id}",
                    "insurer_name": "Bench Health",
                    "status": "ACTIVE",
                    "avg_monthly_cost": f"{rng.randint(0, 120)}.{rng.randint(0, 99):02d}",
                    "avg_copay_amount": "5",
                    "annual_deductible": "250",
                    "min_age": 65,
                    "max_age": 120,
                },
            }
        )
    while len(lines) < rows:
        kind = rng.random()
        plan_id = rng.choice(plan_ids)
        if kind < 0.35:
            lines.append(
                {
                    "entity": "plan_to_zip",
                    "op": "upsert",
                    "data": {"plan_id": plan_id, "zip_code": f"{rng.randint(10000, 99999)}"},
                }
            )
        elif kind < 0.55:
            lines.append(
                {
                    "entity": "plan_feature",
                    "op": "upsert",
                    "data": {"plan_id": plan_id, "feature_key": "telehealth", "feature_value": "yes"},
                }
            )
        elif kind < 0.8:
            n = len(lines)
            lines.append(
                {
                    "entity": "beneficiary",
                    "op": "upsert",
                    "data": {
                        "beneficiary_id": f"BB-{n:07d}",
                        "fname": "Pat",
                        "lname": "Bench",
                        "sex": "U",
                        "ssn": f"123-45-{n % 10000:04d}",
                        "birthdate": "1950-01-01",
                        "address": "1 Main St",
                        "city": "Austin",
                        "state": "TX",
                        "zip_code": "78701",
                    },
                }
            )
        else:
            lines.append(
                {
                    "entity": "beneficiary_to_plan",
                    "op": "upsert",
                    "data": {
                        "beneficiary_id": f"BB-{len(lines):07d}",
                        "plan_id": plan_id,
                        "start_date": "2026-01-01",
                        "end_date": "",
                    },
                }
            )
    return "".join(json.dumps(line) + "\n" for line in lines[:rows]).encode()


def measure_sync(physical: Any, probe: Any, rows: int) -> dict[str, Any]:
    import boto3

    from tests.support.lambdas import invoke

    body = delta_file(rows)
    boto3.client("s3", region_name=REGION).put_object(
        Bucket=physical.buckets["plan-inbox"], Key=f"incoming/bench-{rows}.jsonl", Body=body
    )
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    measured = probe.measure(invoke, "plan_sync", {}, physical)
    summary, elapsed = measured.result, measured.ms / 1000
    (report,) = summary["filesApplied"]
    return {
        "rows": rows,
        "file_bytes": len(body),
        "seconds": elapsed,
        "seconds_without_moto": measured.own_ms / 1000,
        "rows_per_second": rows / elapsed,
        "aws_calls": measured.aws_calls,
        "rows_applied": report["rowsApplied"],
        "rows_quarantined": report["rowsQuarantined"],
        "max_rss_growth_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024,
    }
