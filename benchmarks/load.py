"""``make bench-load``: concurrent virtual customers against the offline stack.

Each virtual user is a signed-up customer who, for the run's duration, walks the sales
funnel over HTTP (quote → apply → poll until approved → accept → pay) and searches drug
plans between steps, as a portal would, with a person's pauses (about a second between
steps, a status poll a second): a closed loop, so throughput grows with users until
something saturates. The stack is started for the run with function
concurrency on (``--concurrency``), each user calls from its own loopback address (the
gateway's rate limits count by address, as the WAF's do) and the run reports, per route,
requests, requests/s, p50/p95/p99 latency and errors (any status the route should not
answer, or an application never approved), then where the time went: CPU seconds of the
stack's main process (moto, serialized by one lock, and the API emulator) against those of
the function workers (our handlers).

Why a small asyncio + httpx driver and not Locust: the funnel is a dependent sequence with
polling (each step needs ids from the one before, and the application is approved
asynchronously by queue workers), which is plain ``await`` code here; httpx is already a
dependency (the e2e tests use it) while Locust would add gevent and its own runner to the
venv; and one process keeps hundreds of users on a 2-core machine with only a few MB each,
leaving the cores to the stack being measured. What Locust adds (a web UI, distributed
workers) is not needed for a number to read.

Not a timed test: numbers to read, on a shared machine they are noisy. Usage:
``python -m benchmarks.load --users 10 50 --duration 60``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT_S = 180
APPROVAL_TIMEOUT_S = 120
POLL_INTERVAL_S = 1.0  # a portal polling an application's status
THINK_S = 1.0  # a person reading the page before the next step
SEARCHES_PER_WALK = 3
FEATURES = ("telehealth", "insulin_savings", "mail_order_pharmacy", "gap_coverage", "vaccines_covered")
ZIPS = ("78701", "10001", "94105", "60601", "33101")
QUOTE = {
    "productId": "term-life",
    "coverageOptionCode": "TL-500K-20",
    "state": "TX",
    "dateOfBirth": "1988-06-15",
    "riskFactors": {"smoker": "false"},
}
IDENTITY = {
    "givenName": "Load",
    "familyName": "Tester",
    "dateOfBirth": "1988-06-15",
    "ssnLast4": "1234",
    "address": {"line1": "600 Congress Ave", "city": "Austin", "state": "TX", "postalCode": "78701"},
}
DECLARATIONS = {
    "hospitalizedLast5Years": False,
    "chronicCondition": False,
    "hazardousActivities": False,
    "previouslyDeclined": False,
}


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    walks: int = 0

    def record(
        self, route: str, started: float, response: httpx.Response | None, ok: bool, note: str = ""
    ) -> None:
        self.latencies[route].append((time.perf_counter() - started) * 1000)
        if not ok:
            status = response.status_code if response is not None else "no answer"
            body = response.text[:200] if response is not None else note
            self.errors[route].append(f"{status}: {body}")


class VirtualUser:
    def __init__(self, n: int, api: str, token: str, stats: Stats) -> None:
        self.api, self.stats, self.rng = api, stats, random.Random(n)
        # Each user from an address of its own: 127.0.0.0/8 is all loopback on Linux.
        transport = httpx.AsyncHTTPTransport(
            local_address=f"127.{200 + n // 40000}.{n // 200 % 200}.{n % 200 + 10}"
        )
        self.http = httpx.AsyncClient(
            base_url=api, transport=transport, timeout=60, headers={"Authorization": token}
        )

    async def call(
        self, route: str, method: str, path: str, expected: tuple[int, ...], **kwargs: Any
    ) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = await self.http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            self.stats.record(route, started, None, False, f"{type(exc).__name__}: {exc}")
            return None
        self.stats.record(route, started, response, response.status_code in expected)
        return response if response.status_code in expected else None

    async def search(self) -> None:
        params = {"zip": self.rng.choice(ZIPS), "feature": self.rng.choice(FEATURES), "limit": "20"}
        await self.call("GET /plans", "GET", "/plans", (200,), params=params)

    async def think(self) -> None:
        await asyncio.sleep(THINK_S * (0.5 + self.rng.random()))

    async def walk(self) -> None:
        await self.search()
        await self.think()
        quote = await self.call("POST /quotes", "POST", "/quotes", (201,), json=QUOTE)
        if quote is None:
            return
        await self.think()
        body = {
            "quoteId": quote.json()["quoteId"],
            "identity": IDENTITY,
            "declarations": DECLARATIONS,
            "consentToChecks": True,
        }
        applied = await self.call("POST /applications", "POST", "/applications", (202,), json=body)
        if applied is None:
            return
        application_id = applied.json()["applicationId"]
        await self.search()
        await self.think()
        deadline = time.monotonic() + APPROVAL_TIMEOUT_S
        while True:
            polled = await self.call(
                "GET /applications/{id}", "GET", f"/applications/{application_id}", (200,)
            )
            if polled is None:
                return
            if polled.json()["status"] == "APPROVED":
                break
            if time.monotonic() > deadline:
                self.stats.errors["application approved"].append(f"{application_id} not approved in time")
                return
            await asyncio.sleep(POLL_INTERVAL_S)
        accepted = await self.call(
            "POST /applications/{id}/acceptance", "POST", f"/applications/{application_id}/acceptance", (201,)
        )
        if accepted is None:
            return
        policy_id = accepted.json()["policyId"]
        await self.search()
        await self.think()
        paid = await self.call(
            "POST /policies/{id}/payments",
            "POST",
            f"/policies/{policy_id}/payments",
            (201,),
            json={"paymentMethod": "tok_visa"},
            headers={"Idempotency-Key": f"load-{uuid.uuid4().hex}"},
        )
        if paid is not None:
            self.stats.walks += 1

    async def run(self, until: float) -> None:
        await asyncio.sleep(self.rng.random())  # users do not all start in the same millisecond
        while time.monotonic() < until:
            await self.walk()
        await self.http.aclose()


# ---------------------------------------------------------------------------------------
# the stack
# ---------------------------------------------------------------------------------------
def start_stack(
    state_dir: Path, concurrency: int, plans: int
) -> tuple[subprocess.Popen[bytes], dict[str, Any]]:
    log = (state_dir / "stack.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "infrastructure.local",
            *("--api-port", "0", "--aws-port", "0", "--portal-port", "0", "--hosted-ui-port", "0"),
            *("--state-dir", str(state_dir), "--concurrency", str(concurrency), "--plans", str(plans)),
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + READY_TIMEOUT_S
    stack_file = state_dir / "stack.json"
    while not stack_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise SystemExit(f"offline stack did not start:\n{(state_dir / 'stack.log').read_text()[-3000:]}")
        time.sleep(0.5)
    return process, json.loads(stack_file.read_text())


def stop_stack(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of one process (Linux /proc), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _descendants(pid: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                parents[int(entry.name)] = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
    found, frontier = [], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def cpu_split(pid: int) -> dict[int, float]:
    """CPU seconds so far of the stack's main process (moto behind its lock, the API emulator,
    pollers) and of each of its function workers (our handlers), by process id."""
    return {p: _cpu_seconds(p) for p in (pid, *_descendants(pid))}


def cpu_used(before: dict[int, float], after: dict[int, float], pid: int) -> dict[str, float]:
    """CPU seconds spent between two samples: workers started since count from zero, workers
    gone since are left out (their last seconds are lost, a small undercount)."""
    spent = {p: seconds - before.get(p, 0.0) for p, seconds in after.items()}
    return {"stack": spent.get(pid, 0.0), "functions": sum(v for p, v in spent.items() if p != pid)}


# ---------------------------------------------------------------------------------------
# a run
# ---------------------------------------------------------------------------------------
async def _sign_up(info: dict[str, Any], n: int, run: str) -> str:
    """A confirmed, signed-in customer (setup, not measured). Retried: the stack's Cognito
    triggers get Cognito's 1 s budget per call, which a busy machine can exceed."""
    email, password = f"load-{run}-{n}@example.com", f"Load-{uuid.uuid4().hex[:12]}-Aa1!"
    async with httpx.AsyncClient(timeout=120) as http:
        for attempt in range(5):
            created = await http.post(
                f"{info['control_url']}/users", json={"email": email, "password": password}
            )
            if created.status_code == 201 or (attempt and "UsernameExists" in created.text):
                break
            await asyncio.sleep(1 + attempt)
        else:
            raise SystemExit(f"could not sign up a virtual user: {created.status_code} {created.text}")
        for attempt in range(5):
            signed = await http.post(
                f"{info['control_url']}/sign-in", json={"username": email, "password": password}
            )
            if signed.status_code == 200:
                return str(signed.json()["IdToken"])
            await asyncio.sleep(1 + attempt)
        raise SystemExit(f"could not sign in a virtual user: {signed.status_code} {signed.text}")


def _percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


async def run_level(
    info: dict[str, Any], pid: int, users: int, duration: float, offset: int
) -> dict[str, Any]:
    run = uuid.uuid4().hex[:6]
    tokens = []
    for start in range(0, users, 10):  # sign-ups in small groups: setup, not measured
        tokens += await asyncio.gather(
            *(_sign_up(info, n, run) for n in range(start, min(users, start + 10)))
        )
    stats = Stats()
    cpu_before = cpu_split(pid)
    started = time.monotonic()
    vus = [VirtualUser(offset + n, info["api_url"], token, stats) for n, token in enumerate(tokens)]
    await asyncio.gather(*(vu.run(started + duration) for vu in vus))
    elapsed = time.monotonic() - started
    cpu_after = cpu_split(pid)
    routes = {}
    for route, samples in sorted(stats.latencies.items()):
        routes[route] = {
            "requests": len(samples),
            "per_second": len(samples) / elapsed,
            "p50_ms": statistics.median(samples),
            "p95_ms": _percentile(samples, 95),
            "p99_ms": _percentile(samples, 99),
            "errors": len(stats.errors.get(route, [])),
        }
    total = sum(len(s) for s in stats.latencies.values())
    return {
        "users": users,
        "seconds": elapsed,
        "requests": total,
        "requests_per_second": total / elapsed,
        "walks_completed": stats.walks,
        "errors": sum(len(e) for e in stats.errors.values()),
        "error_samples": {route: errors[:3] for route, errors in stats.errors.items()},
        "routes": routes,
        "cpu_seconds": cpu_used(cpu_before, cpu_after, pid),
    }


def print_level(result: dict[str, Any]) -> None:
    cpu = result["cpu_seconds"]
    seconds = result["seconds"]
    print(
        f"\n{result['users']} virtual users, {seconds:.0f} s: {result['requests']} requests, "
        f"{result['requests_per_second']:.1f} requests/s, {result['walks_completed']} funnels paid, "
        f"errors {result['errors']}"
    )
    print(
        f"  CPU: stack main process (moto + API emulator) {cpu['stack'] / seconds:.2f} cores, "
        f"function workers {cpu['functions'] / seconds:.2f} cores"
    )
    print(
        f"  {'route':<36} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}"
    )
    for route, r in result["routes"].items():
        print(
            f"  {route:<36} {r['requests']:>8} {r['per_second']:>7.1f} {r['p50_ms']:>8.0f} "
            f"{r['p95_ms']:>8.0f} {r['p99_ms']:>8.0f} {r['errors']:>6}"
        )
    for route, samples in result["error_samples"].items():
        print(f"  errors on {route}: {samples}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Concurrent virtual customers against the offline stack.")
    parser.add_argument(
        "--users", type=int, nargs="+", default=[10, 50], help="virtual users, one level each"
    )
    parser.add_argument("--duration", type=float, default=60, help="seconds per level")
    parser.add_argument("--concurrency", type=int, default=4, help="the stack's invocations per function")
    parser.add_argument("--warmup", type=float, default=20, help="untimed seconds before the levels")
    parser.add_argument("--plans", type=int, default=1000, help="drug plans the stack seeds")
    parser.add_argument("--output", type=Path, default=ROOT / ".local" / "load-results.json")
    args = parser.parse_args()
    state_dir = Path(tempfile.mkdtemp(prefix="salesportal-load-"))
    process, info = start_stack(state_dir, args.concurrency, args.plans)
    results = []
    try:
        # Untimed: every function gets its warm workers (cold starts are not the load's story).
        asyncio.run(run_level(info, process.pid, args.concurrency, args.warmup, 0))
        offset = args.concurrency
        for users in args.users:
            result = asyncio.run(run_level(info, process.pid, users, args.duration, offset))
            offset += users
            print_level(result)
            results.append(result)
    finally:
        stop_stack(process)
    print(
        "\nRead: where requests/s stops growing with users while p50 grows, the stack has saturated; "
        "the CPU line says whose time it was (the main process is moto behind one lock: at ~1.0 "
        "core it serializes everything; on a 2-core machine shared with others, both lines are capped "
        "by what the machine gives)."
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(
            {
                "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "concurrency": args.concurrency,
                "cpus": os.cpu_count(),
                "levels": results,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
