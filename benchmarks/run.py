"""``make bench``: import time of every handler in a fresh interpreter next to measured floors,
warm in-process latency on moto, and AWS API calls per request. Writes benchmarks/results.json.

Numbers, not pass/fail: they are for reading and comparing across commits.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LAYER = ROOT / "layers" / "shared" / "python"
HEAVY = ("openai", "simple_salesforce", "aws_xray_sdk", "httpx", "jwt", "cryptography")

_IMPORT_PROBE = """
import os, sys, time, json, importlib.util
t = time.perf_counter()
{code}
elapsed = (time.perf_counter() - t) * 1000
print(json.dumps({{"ms": elapsed, "heavy": sorted(m for m in {heavy!r} if m in sys.modules)}}))
"""

FLOORS = {
    "python -c pass": "pass",
    "import boto3": "import boto3",
    "boto3 + one client": "import boto3; boto3.client('dynamodb', region_name='us-east-1')",
    "Powertools Logger()": "from aws_lambda_powertools import Logger; Logger()",
    "APIGatewayRestResolver(validation)": (
        "from aws_lambda_powertools.event_handler import APIGatewayRestResolver; "
        "APIGatewayRestResolver(enable_validation=True)"
    ),
    "Powertools Tracer()": "from aws_lambda_powertools import Tracer; Tracer()",
}


def _fresh_import_ms(
    code: str, env: dict[str, str], repeat: int
) -> tuple[list[float], list[float], list[str]]:
    """Import time inside a new interpreter, and the whole process's wall time (a cold start's share)."""
    samples, process, heavy = [], [], []
    for _ in range(repeat):
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", _IMPORT_PROBE.format(code=code, heavy=HEAVY)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
        process.append((time.perf_counter() - start) * 1000)
        result = json.loads(out.strip().splitlines()[-1])
        samples.append(result["ms"])
        heavy = result["heavy"]
    return samples, process, heavy


def import_times(repeat: int) -> dict[str, Any]:
    from infrastructure import manifest

    base_env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(LAYER),
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    physical = manifest.Physical.placeholders("bench")
    results: dict[str, Any] = {"floors": {}, "handlers": {}}
    for name, code in FLOORS.items():
        samples, process, _ = _fresh_import_ms(code, base_env, repeat)
        results["floors"][name] = {
            "median_ms": statistics.median(samples),
            "min_ms": min(samples),
            "process_ms": statistics.median(process),
        }
    for fn in manifest.FUNCTIONS:
        env = {**base_env, **manifest.function_environment(fn, physical)}
        path = ROOT / fn.source_dir / "handler.py"
        code = (
            f"spec = importlib.util.spec_from_file_location('handler', {str(path)!r}); "
            "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)"
        )
        samples, process, heavy = _fresh_import_ms(code, env, repeat)
        results["handlers"][fn.name] = {
            "median_ms": statistics.median(samples),
            "min_ms": min(samples),
            "process_ms": statistics.median(process),
            "heavy_modules": heavy,
        }
    return results


# -- warm latency and AWS calls ------------------------------------------------------------
class CallCounter:
    """Counts AWS API calls through botocore's event system (every client, every service)."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()

    def __call__(self, model: Any, **_: Any) -> None:
        self.calls[f"{model.service_model.service_name}.{model.name}"] += 1


# An event that reads what another event creates: its path parameter is filled from the
# creator's response (sample events cannot know ids minted at run time).
READS_CREATED = {("quotes", "get_quote"): (("quotes", "create_quote"), "quoteId")}


def _link(function: str, event_name: str, event: dict[str, Any], created: dict[tuple[str, str], Any]) -> None:
    link = READS_CREATED.get((function, event_name))
    if link is None:
        return
    (creator, field) = link
    value = created[creator][field]
    old = event["pathParameters"][field]
    event["pathParameters"][field] = value
    event["path"] = event["path"].replace(old, value)


def _percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def warm_latency(iterations: int) -> dict[str, Any]:
    sys.path[:0] = [str(LAYER), str(ROOT)]
    os.environ.update(
        AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1"
    )
    os.environ.pop("AWS_ENDPOINT_URL", None)
    from moto import mock_aws

    from infrastructure.local.resources import create_all
    from infrastructure.local.seed import seed_catalog
    from salesportal import aws
    from tests.support.lambdas import FakeContext, function_env, load_handler, sample_event

    results: dict[str, Any] = {}
    with mock_aws():
        physical, _client_id = create_all(None, "us-east-1")
        seed_catalog(None, "us-east-1", physical)
        scenarios = _scenarios(physical, sample_event)
        created: dict[tuple[str, str], Any] = {}
        for function, event_name, event, expected in scenarios:
            _link(function, event_name, event, created)
            with function_env(function, physical):
                handler = load_handler(function).lambda_handler
                context = FakeContext(function)
                # Registered before the warm-up creates the clients: each client copies the
                # session's handlers when it is made.
                counter = CallCounter()
                session = aws._session()
                session.events.register("before-call.*.*", counter)
                first = handler(copy.deepcopy(event), context)
                check_status(first, expected, function, event_name)
                if isinstance(first, dict) and first.get("body"):
                    created[(function, event_name)] = json.loads(first["body"])
                counter.calls.clear()
                samples = []
                calls_per_request: list[int] = []
                try:
                    for _ in range(iterations):
                        before = sum(counter.calls.values())
                        fresh = copy.deepcopy(event)
                        start = time.perf_counter()
                        response = handler(fresh, context)
                        samples.append((time.perf_counter() - start) * 1000)
                        calls_per_request.append(sum(counter.calls.values()) - before)
                        check_status(response, expected, function, event_name)
                finally:
                    session.events.unregister("before-call.*.*", counter)
            results[f"{function}/{event_name}"] = {
                "p50_ms": statistics.median(samples),
                "p99_ms": _percentile(samples, 99),
                "aws_calls_per_request": statistics.mean(calls_per_request),
                "aws_calls_by_operation": {k: v / iterations for k, v in sorted(counter.calls.items())},
            }
    return results


def check_status(response: Any, expected: int | None, function: str, event_name: str) -> None:
    """A benchmark of an error path must never pass for one of the success path."""
    if expected is None:
        return
    status = response.get("statusCode") if isinstance(response, dict) else None
    if status != expected:
        raise SystemExit(f"{function}/{event_name}: expected {expected}, got {status}: {response}")


def _scenarios(
    physical: Any, sample_event: Callable[[str, str], dict[str, Any]]
) -> list[tuple[str, str, dict, int | None]]:
    """Every sample event of every function, adapted to the seeded moto account."""
    import boto3

    from infrastructure import manifest

    cognito = boto3.client("cognito-idp", region_name="us-east-1")
    user = cognito.admin_create_user(UserPoolId=physical.user_pool_id, Username="bench@example.com")["User"]
    sub = next(a["Value"] for a in user["Attributes"] if a["Name"] == "sub")

    scenarios = []
    for fn in manifest.FUNCTIONS:
        for path in sorted((ROOT / "events" / fn.name).glob("*.json")):
            event = sample_event(fn.name, path.stem)
            expected: int | None = None
            if isinstance(fn.trigger, manifest.ApiTrigger):
                expected = 201 if event["httpMethod"] == "POST" else 200
            if fn.name == "post_confirmation":
                event.update(userPoolId=physical.user_pool_id, userName=user["Username"])
                event["request"]["userAttributes"].update(sub=sub, email="bench@example.com")
            claims = (event.get("requestContext") or {}).get("authorizer", {}).get("claims")
            if claims:
                claims["sub"] = sub
            scenarios.append((fn.name, path.stem, event, expected))
    # The sign-up must run first: the profile scenarios read what it creates.
    scenarios.sort(key=lambda s: s[0] != "post_confirmation")
    return scenarios


# -- report ----------------------------------------------------------------------------------
def print_table(imports: dict[str, Any], warm: dict[str, Any]) -> None:
    print("\nImport time in a fresh interpreter, ms: import median / min, and whole process median")
    for name, r in imports["floors"].items():
        print(f"  floor  {name:<38} {r['median_ms']:8.1f} {r['min_ms']:8.1f} {r['process_ms']:8.1f}")
    for name, r in imports["handlers"].items():
        heavy = ",".join(r["heavy_modules"]) or "-"
        print(
            f"  fn     {name:<38} {r['median_ms']:8.1f} {r['min_ms']:8.1f} {r['process_ms']:8.1f}   heavy: {heavy}"
        )
    print("\nWarm in-process latency on moto (ms) and AWS calls per request")
    print(f"  {'function/event':<45} {'p50':>8} {'p99':>8} {'calls':>6}  by operation")
    for name, r in warm.items():
        ops = ", ".join(f"{k}={v:g}" for k, v in r["aws_calls_by_operation"].items()) or "-"
        print(f"  {name:<45} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} {r['aws_calls_per_request']:6.1f}  {ops}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7, help="fresh interpreters per import measurement")
    parser.add_argument("--iterations", type=int, default=200, help="warm invocations per event")
    args = parser.parse_args()
    imports = import_times(args.repeat)
    warm = warm_latency(args.iterations)
    print_table(imports, warm)
    results = {
        "date": datetime.now(UTC).isoformat(),
        "python": platform.python_version(),
        "machine": f"{platform.machine()} x{os.cpu_count()}",
        "repeat": args.repeat,
        "iterations": args.iterations,
        "imports": imports,
        "warm": warm,
    }
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {ROOT / 'benchmarks' / 'results.json'}")


if __name__ == "__main__":
    main()
