"""What a million API requests cost on AWS, from the manifest and the measured warm durations.

``.venv/bin/python -m benchmarks.cost [--results benchmarks/results.json]`` after ``make bench``.

Per API function: Lambda compute (its manifest memory x an estimated billed duration) and its
request fee, API Gateway (REST) and WAF per request, each AWS call the benchmark counted at its operation's price (DynamoDB on-demand units,
SQS, EventBridge, S3, Secrets Manager, KMS), CloudWatch Logs ingestion and X-Ray traces. The duration estimate is the benchmark's warm p50
without moto's share (our code plus botocore's client work, which Lambda pays too) plus an
assumed in-region AWS round trip per AWS call the benchmark counted. Cold starts, data
transfer, KMS (bucket keys and DynamoDB's key caching keep it small), the monthly fixed costs
(WAF's ACL and rules, alarms, the dashboard, secrets) and the free tier are left out; the
assumptions are printed with the result. Prices: us-east-1, arm64, December 2026 list prices.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infrastructure import manifest

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results.json"
MILLION = 1_000_000

# USD, us-east-1 list prices.
LAMBDA_ARM_GB_SECOND = 0.0000133334
LAMBDA_REQUEST = 0.20 / MILLION
API_GATEWAY_REST_REQUEST = 3.50 / MILLION  # first 333 million a month
WAF_REQUEST = 0.60 / MILLION
LOGS_INGESTED_GB = 0.50
XRAY_TRACE = 5.00 / MILLION
_READ_UNIT = 0.125 / MILLION  # DynamoDB on-demand
_WRITE_UNIT = 0.625 / MILLION
# Per call of an operation (the benchmark counts them per request); unlisted ones cost nothing
# per call (DescribeTable, Cognito's admin API, STS) or are listed as unpriced.
OPERATION_PRICES = {
    "dynamodb.GetItem": _READ_UNIT,
    "dynamodb.Query": _READ_UNIT,  # one page under 4 KB
    "dynamodb.BatchGetItem": 2 * _READ_UNIT,
    "dynamodb.TransactGetItems": 4 * _READ_UNIT,  # two items, twice the units in a transaction
    "dynamodb.PutItem": _WRITE_UNIT,
    "dynamodb.UpdateItem": _WRITE_UNIT,
    "dynamodb.DeleteItem": _WRITE_UNIT,
    "dynamodb.BatchWriteItem": 2 * _WRITE_UNIT,
    "dynamodb.TransactWriteItems": 4 * _WRITE_UNIT,  # two items, twice the units in a transaction
    "sqs.SendMessage": 0.40 / MILLION,
    "events.PutEvents": 1.00 / MILLION,
    "secretsmanager.GetSecretValue": 5.00 / MILLION,
    "kms.GenerateDataKey": 3.00 / MILLION,
    "kms.Decrypt": 3.00 / MILLION,
    "s3.GetObject": 0.40 / MILLION,
    "s3.PutObject": 5.00 / MILLION,
    "sesv2.SendEmail": 100.00 / MILLION,
}
FREE_OPERATIONS = ("dynamodb.DescribeTable", "cognito-idp.", "sts.")
UNNAMED = (
    "unnamed"  # calls counted without their operation: priced as a DynamoDB write, the dearest common one
)
OPERATION_PRICES[UNNAMED] = _WRITE_UNIT

# Assumptions, printed with the result.
AWS_CALL_MS = 6.0  # one in-region DynamoDB/SQS/Secrets Manager round trip, p50
LOG_BYTES_PER_REQUEST = 1500  # Powertools' structured lines: start, one or two of ours, the report
TRACED_SHARE = 0.05  # X-Ray's default sampling: the first request each second, then 5 %


@dataclass(frozen=True)
class Measured:
    own_ms: float  # warm p50 without moto's share
    operations: dict[str, float]  # AWS operation -> calls per request

    @property
    def aws_calls(self) -> float:
        return sum(self.operations.values())


@dataclass(frozen=True)
class FunctionCost:
    name: str
    memory_mb: int
    routes: int
    duration_ms: float
    aws_calls: float
    usd_per_million: float
    lambda_share: float
    unpriced: tuple[str, ...]


def measured(results: dict[str, Any]) -> dict[str, Measured]:
    """Function -> its p50 without moto and AWS calls per request, averaged over its sample
    events and the sales-funnel steps it served (the benchmark walks the funnel for the
    functions whose requests need earlier answers: applications, payments, policies ...)."""
    warm = results.get("warm") or {}
    per_function: dict[str, list[dict[str, Any]]] = {}
    for event in [*warm.get("events", {}).values(), *warm.get("funnel", {}).values()]:
        per_function.setdefault(event["function"], []).append(event)
    out = {}
    for name, events in per_function.items():
        operations: dict[str, float] = {}
        for event in events:
            # A funnel step counts its calls without naming them: priced as DynamoDB writes.
            by_operation = (
                event["aws_calls_by_operation"]
                if "aws_calls_by_operation" in event
                else {UNNAMED: event["aws_calls_per_request"]}
            )
            for op, calls in by_operation.items():
                operations[op] = operations.get(op, 0.0) + float(calls) / len(events)
        own = sum(float(e["own_p50_ms"]) for e in events) / len(events)
        out[name] = Measured(own, operations)
    return out


def function_cost(fn: manifest.Function, measured: Measured) -> FunctionCost:
    duration_ms = math.ceil(measured.own_ms + measured.aws_calls * AWS_CALL_MS)  # billed per whole ms
    compute = fn.memory_mb / 1024 * duration_ms / 1000 * LAMBDA_ARM_GB_SECOND
    lambda_cost = compute + LAMBDA_REQUEST
    services = sum(OPERATION_PRICES.get(op, 0.0) * calls for op, calls in measured.operations.items())
    unpriced = tuple(
        op for op in measured.operations if op not in OPERATION_PRICES and not op.startswith(FREE_OPERATIONS)
    )
    per_request = (
        lambda_cost
        + API_GATEWAY_REST_REQUEST
        + WAF_REQUEST
        + services
        + LOG_BYTES_PER_REQUEST / 1e9 * LOGS_INGESTED_GB
        + TRACED_SHARE * XRAY_TRACE
    )
    assert isinstance(fn.trigger, manifest.ApiTrigger)
    return FunctionCost(
        fn.name,
        fn.memory_mb,
        len(fn.trigger.routes),
        duration_ms,
        measured.aws_calls,
        per_request * MILLION,
        lambda_cost / per_request,
        unpriced,
    )


def estimate(results: dict[str, Any]) -> tuple[list[FunctionCost], list[str]]:
    numbers = measured(results)
    costs, unmeasured = [], []
    for fn in manifest.FUNCTIONS:
        if not isinstance(fn.trigger, manifest.ApiTrigger):
            continue
        if fn.name not in numbers:
            unmeasured.append(fn.name)
            continue
        costs.append(function_cost(fn, numbers[fn.name]))
    return costs, unmeasured


def report(costs: list[FunctionCost], unmeasured: list[str]) -> str:
    lines = [
        f"{'function':<20} {'MB':>5} {'routes':>6} {'billed ms':>9} {'AWS calls':>9} {'USD / 1M':>9} {'Lambda':>7}",
    ]
    for c in sorted(costs, key=lambda c: -c.usd_per_million):
        lines.append(
            f"{c.name:<20} {c.memory_mb:>5} {c.routes:>6} {c.duration_ms:>9.0f} {c.aws_calls:>9.1f} "
            f"{c.usd_per_million:>9.2f} {c.lambda_share:>6.0%}"
        )
    routes = sum(c.routes for c in costs)
    mix = sum(c.usd_per_million * c.routes for c in costs) / routes
    floor = (API_GATEWAY_REST_REQUEST + WAF_REQUEST + LAMBDA_REQUEST) * MILLION
    lines += [
        "",
        f"Per million API requests, every route equally often: USD {mix:.2f}",
        f"  (cheapest {min(c.usd_per_million for c in costs):.2f}, dearest "
        f"{max(c.usd_per_million for c in costs):.2f}; API Gateway + WAF + Lambda request fees alone: {floor:.2f})",
        f"Assumed: {AWS_CALL_MS:g} ms per AWS call, {LOG_BYTES_PER_REQUEST} log bytes per request, "
        f"{TRACED_SHARE:.0%} traced, items under 1 KB (a transaction: two).",
    ]
    unpriced = sorted({op for c in costs for op in c.unpriced})
    if unpriced:
        lines.append(f"Not priced (no per-call price in cost.py): {', '.join(unpriced)}")
    if unmeasured:
        lines.append(f"Not measured (no sample event in the benchmark): {', '.join(unmeasured)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=RESULTS, help="make bench's results.json")
    args = parser.parse_args(argv)
    if not args.results.exists():
        print(f"{args.results} is missing: run `make bench` first.", file=sys.stderr)
        return 2
    costs, unmeasured = estimate(json.loads(args.results.read_text()))
    if not costs:
        print(f"{args.results} has no warm measurements of API functions.", file=sys.stderr)
        return 2
    print(report(costs, unmeasured))
    return 0


if __name__ == "__main__":
    sys.exit(main())
