"""The bulk paths at volume (issue 18): the Salesforce pull and push, and plan-search fill.

In-process on moto's ``mock_aws`` with the Salesforce stand-in on loopback, as
``benchmarks.run``; every measurement in an account of its own.

- **pull**: a first import of N Contacts (2,000 a page, as Salesforce pages): AWS calls per
  Contact, Contacts/s, and the same without moto's share (moto's time is measured around
  botocore's ``before-send``, per thread). ``--layer`` runs another checkout's layer (the
  code before a change) in a child interpreter, so before and after run on the same data.
  One invocation has Lambda's 600 s: a pull that cannot finish stops between pages
  (``STOPPED_AT_TIME_LIMIT``) and the rate is over what it applied.
- **push**: a backlog of N changed portal customers sent over successive runs, each run
  bounded (``--push-run-s`` of simulated Lambda time): runs, records per run, and whether
  any Contact was saved twice (the stand-in counts saves per portal id).
- **search**: page fill for the five most selective feature filters (combinations of
  two or three features: one generated feature is on ~40 % of plans) over the generated
  catalog: plans returned / min(limit, plans that match in the ZIP), with one Query per
  search (before) and with the bounded re-read (after), and Queries per search.

Moto's share differs from AWS's: moto answers a GSI Query by walking every item of the
table (O(n)), so at 25,000 customers an e-mail look-up costs moto milliseconds that AWS
answers in single digits. Read "without moto" for our code, calls per Contact for AWS.
On a shared 2-core machine the wall-clock numbers are noisy; calls per Contact are not.

``python -m benchmarks.volume pull --contacts 2500 25000 [--layer DIR]``,
``python -m benchmarks.volume push --customers 25000``, ``python -m benchmarks.volume search``.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import itertools
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LAYER = ROOT / "layers" / "shared" / "python"
REGION = "us-east-1"
LAMBDA_TIMEOUT_S = 600


class Probe:
    """AWS calls by operation and moto's time, safe across threads (the pull's pool)."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.mock_s = 0.0
        self._local = threading.local()
        self._lock = threading.Lock()

    def register(self, events: Any) -> None:
        events.register("before-call", self._before_call)
        events.register_first("before-send", self._send_starts)
        events.register_last("before-send", self._send_ends)

    def _before_call(self, model: Any, **_: Any) -> None:
        with self._lock:
            self.calls[f"{model.service_model.service_name}.{model.name}"] += 1

    def _send_starts(self, **_: Any) -> None:
        self._local.sent = time.perf_counter()

    def _send_ends(self, **_: Any) -> None:
        with self._lock:
            self.mock_s += time.perf_counter() - self._local.sent


@contextlib.contextmanager
def account(layer: Path) -> Iterator[tuple[Any, Any, Probe]]:
    """A fresh moto account with the manifest's resources, the Salesforce stand-in, a probe."""
    sys.path[:0] = [str(layer), str(ROOT)]
    os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION=REGION)
    for variable in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        os.environ.pop(variable, None)
    import boto3
    from moto import mock_aws

    from infrastructure.local.resources import create_all
    from infrastructure.local.salesforce import SalesforceConfig, serve_salesforce
    from infrastructure.local.standins import StandInConfig, secret_values, serve_standins
    from salesportal import aws

    probe = Probe()
    probe.register(aws._session().events)
    boto3.setup_default_session(region_name=REGION)
    standins = serve_standins(StandInConfig())
    salesforce = serve_salesforce(SalesforceConfig(contacts=0))
    os.environ["REQUESTS_CA_BUNDLE"] = str(salesforce.cert_path)
    try:
        with mock_aws():
            aws.reset()
            physical, _ = create_all(
                None,
                REGION,
                service_urls={**standins.base_urls, "salesforce": salesforce.url},
                secret_values=secret_values(standins.config, salesforce.config),
            )
            yield physical, salesforce, probe
    finally:
        standins.stop()
        salesforce.stop()


def _sync_module() -> Any:
    """The sync run's module: salesportal.workflows.salesforce_syncing, or in a checkout from
    before it moved (``--layer``), salesportal.salesforce_sync."""
    try:
        from salesportal.workflows import salesforce_syncing

        return salesforce_syncing
    except ImportError:
        from salesportal import salesforce_sync  # type: ignore[attr-defined]

        return salesforce_sync


def _connection(physical: Any, salesforce: Any, workers: int) -> Any:
    from salesportal.data.control import ControlRepository
    from salesportal.data.customers import CustomerRepository

    sync = _sync_module()
    customers = CustomerRepository(physical.tables["customers"])
    control = ControlRepository(physical.tables["control"])
    if hasattr(sync, "Ports"):
        from salesportal.data.crm_sync import SyncStore
        from salesportal.integrations.salesforce import connect

        secret_id = physical.secrets["salesforce"]
        return sync.Ports(
            store=SyncStore(customers, control),
            salesforce=lambda: connect(salesforce.url, secret_id),
            workers=workers,
        )
    extra = {"workers": workers} if "workers" in {f.name for f in dataclasses.fields(sync.Connection)} else {}
    return sync.Connection(
        customers=customers,
        control=control,
        base_url=salesforce.url,
        secret_id=physical.secrets["salesforce"],
        **extra,
    )


def _budget(seconds: float) -> Any:
    deadline = time.monotonic() + seconds
    return _sync_module().TimeBudget(lambda: int((deadline - time.monotonic()) * 1000))


# ---------------------------------------------------------------------------------------
# pull
# ---------------------------------------------------------------------------------------
def pull(contacts: int, layer: Path, workers: int) -> dict[str, Any]:
    with account(layer) as (physical, salesforce, probe), _quiet():
        from infrastructure.local.salesforce import generate_contacts

        salesforce.state.contacts = generate_contacts(contacts, seed=11)
        salesforce_sync = _sync_module()

        connection = _connection(physical, salesforce, workers)
        probe.calls.clear()
        probe.mock_s = 0.0
        started = time.perf_counter()
        report = salesforce_sync.run(
            connection,
            f"bench-{uuid.uuid4().hex[:8]}",
            "pull",
            trigger="manual",
            now=datetime.now(UTC),
            time_budget=_budget(LAMBDA_TIMEOUT_S),
        )
        seconds = time.perf_counter() - started
    applied = report["pull"]["records"]
    calls = probe.calls.total()
    own = max(seconds - probe.mock_s, 1e-9)
    return {
        "contacts": contacts,
        "applied": applied,
        "status": report["status"],
        "pages": report["pull"]["pages"],
        "seconds": seconds,
        "seconds_without_moto": own,
        "contacts_per_second": applied / seconds,
        "contacts_per_second_without_moto": applied / own,
        "aws_calls": calls,
        "aws_calls_per_contact": calls / max(1, applied),
        "aws_calls_by_operation": dict(sorted(probe.calls.items())),
        "workers": workers,
    }


# ---------------------------------------------------------------------------------------
# push
# ---------------------------------------------------------------------------------------
def push(customers: int, run_s: float, workers: int) -> dict[str, Any]:
    with account(LAYER) as (physical, salesforce, probe), _quiet():
        salesforce_sync = _sync_module()
        from salesportal.data.dynamo import to_item
        from salesportal.data.salesforce_links import batch_write

        table = physical.tables["customers"]
        client = __import__("salesportal.aws", fromlist=["client"]).client("dynamodb")
        start = datetime.now(UTC) - timedelta(hours=1)
        requests = []
        for n in range(customers):  # as sign-up and PUT /me leave them, one second apart
            customer_id = str(uuid.uuid4())
            stamp = (start + timedelta(milliseconds=n * 100)).isoformat()
            item = {
                "pk": f"CUSTOMER#{customer_id}",
                "sk": "PROFILE",
                "entityType": "customer",
                "entityId": customer_id,
                "customerId": customer_id,
                "email": f"backlog-{n}@example.com",
                "givenName": "Back",
                "familyName": f"Log{n:05d}",
                "contactPreferences": {"email": True, "sms": False},
                "createdAt": stamp,
                "updatedAt": stamp,
                "version": 2,
                "lastModifiedBy": "bench",
            }
            requests.append((table, {"PutRequest": {"Item": to_item(item)}}))
        for i in range(0, len(requests), 25):
            batch_write(client, requests[i : i + 25])
        connection = _connection(physical, salesforce, workers)
        probe.calls.clear()
        probe.mock_s = 0.0
        runs = []
        started = time.perf_counter()
        while not runs or runs[-1]["status"] not in ("SUCCEEDED", "COMPLETED_WITH_ERRORS"):
            # Each run as a Lambda invocation with run_s to spend (plus the 30 s reserve).
            report = salesforce_sync.run(
                connection,
                f"bench-push-{len(runs)}",
                "push",
                trigger="manual",
                now=datetime.now(UTC),
                time_budget=_budget(run_s + 30),
            )
            runs.append({"status": report["status"], "sent": report["push"]["sent"]})
            if len(runs) > 200:
                raise SystemExit("the push did not complete in 200 runs")
        seconds = time.perf_counter() - started
        saves = salesforce.state.saves_by_portal_id
    sent = sum(r["sent"] for r in runs)
    return {
        "customers": customers,
        "run_budget_s": run_s,
        "runs": len(runs),
        "sent_per_run": [r["sent"] for r in runs],
        "sent": sent,
        "contacts_saved": len(saves),
        "saved_twice": sum(1 for n in saves.values() if n > 1),
        "seconds": seconds,
        "seconds_without_moto": seconds - probe.mock_s,
        "records_per_second": sent / seconds,
        "aws_calls": probe.calls.total(),
        "aws_calls_per_record": probe.calls.total() / max(1, sent),
        "aws_calls_by_operation": dict(sorted(probe.calls.items())),
    }


# ---------------------------------------------------------------------------------------
# search
# ---------------------------------------------------------------------------------------
def search(plans: int, limit: int = 20, zips: int = 20) -> dict[str, Any]:
    with account(LAYER) as (physical, _salesforce, probe), _quiet():
        import boto3

        from infrastructure.local.plan_data import generate, seed_plans
        from salesportal.data import plans as plan_data
        from salesportal.domain.plans import FeatureFilter

        catalog = generate(plans)
        seed_plans(boto3.client("dynamodb", region_name=REGION), physical.tables["catalog"], catalog)
        repository = plan_data.PlanRepository(physical.tables["catalog"])
        by_zip: Counter[str] = Counter(z for p in catalog if p.get("status") == "ACTIVE" for z in p["zips"])
        busiest = [z for z, _ in by_zip.most_common(zips)]
        active = [p for p in catalog if p.get("status") == "ACTIVE"]
        keys = sorted({f for p in active for f in (p.get("features") or {})})
        # The generated plans carry each feature on ~40 % of plans, so one feature is not
        # selective; the filters a customer combines are. The five most selective
        # combinations of two or three features that still match some plan:
        combos: Counter[tuple[str, ...]] = Counter()
        for size in (2, 3):
            for combo in itertools.combinations(keys, size):
                combos[combo] = sum(1 for p in active if all(k in (p.get("features") or {}) for k in combo))
        rarest = [c for c, n in sorted(combos.items(), key=lambda kv: (kv[1], kv[0])) if n][:5]

        def fill(combo: tuple[str, ...], max_queries: int) -> tuple[float, float]:
            filters = [FeatureFilter(k, None) for k in combo]
            rates, queries = [], []
            for zip_code in busiest:
                plan_data.MAX_QUERIES = 10_000
                matching = 0
                token = None
                while True:
                    page = repository.search(
                        zip_code, max_monthly_cents=None, age=None, features=filters, limit=50, token=token
                    )
                    matching += len(page.items)
                    token = page.next_token
                    if not token:
                        break
                if not matching:
                    continue
                plan_data.MAX_QUERIES = max_queries
                before = probe.calls.total()
                page = repository.search(
                    zip_code, max_monthly_cents=None, age=None, features=filters, limit=limit, token=None
                )
                queries.append(probe.calls.total() - before)
                rates.append(len(page.items) / min(limit, matching))
            return sum(rates) / max(1, len(rates)), sum(queries) / max(1, len(queries))

        bound = plan_data.MAX_QUERIES
        results = {}
        for combo in rarest:
            one_fill, _ = fill(combo, 1)
            bounded_fill, bounded_queries = fill(combo, bound)
            results["+".join(combo)] = {
                "plans_matching": combos[combo],
                "fill_one_query": one_fill,
                "fill_bounded": bounded_fill,
                "queries_bounded": bounded_queries,
            }
        plan_data.MAX_QUERIES = bound
    return {"plans": plans, "limit": limit, "zips": len(busiest), "features": results}


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Handlers' log lines to /dev/null (they are still formatted: a real cost)."""
    sys.stdout.flush()
    saved = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)


def _child(args: list[str]) -> dict[str, Any]:
    """One measurement in a fresh interpreter (a fresh moto, and the layer it names)."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.volume", *args, "--json"], cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"benchmarks.volume {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["pull", "push", "search"])
    parser.add_argument("--contacts", type=int, nargs="+", default=[2500])
    parser.add_argument("--customers", type=int, default=25_000)
    parser.add_argument(
        "--push-run-s", type=float, default=60.0, help="simulated Lambda seconds per push run"
    )
    parser.add_argument("--plans", type=int, default=2500)
    parser.add_argument(
        "--layer", type=Path, default=LAYER, help="the shared layer to measure (before: another checkout's)"
    )
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument(
        "--json", action="store_true", help="one measurement, printed as JSON (used by the parent)"
    )
    args = parser.parse_args()
    if args.json:
        if args.what == "pull":
            result = pull(args.contacts[0], args.layer, args.workers)
        elif args.what == "push":
            result = push(args.customers, args.push_run_s, args.workers)
        else:
            result = search(args.plans)
        print(json.dumps(result))
        return
    if args.what == "pull":
        for contacts in args.contacts:
            for workers in sorted({1, args.workers}):
                r = _child(
                    [
                        "pull",
                        "--contacts",
                        str(contacts),
                        "--layer",
                        str(args.layer),
                        "--workers",
                        str(workers),
                    ]
                )
                # moto's share is only separable with one call at a time (threads overlap it).
                own = (
                    f"{r['seconds_without_moto']:.1f} s / {r['contacts_per_second_without_moto']:.0f}/s without moto"
                    if r["workers"] == 1
                    else "moto's share overlaps"
                )
                print(
                    f"pull {r['contacts']:>6} Contacts (layer {args.layer}, {r['workers']} workers): {r['status']}, "
                    f"{r['applied']} applied in {r['pages']} pages, {r['seconds']:.1f} s, "
                    f"{r['contacts_per_second']:.0f}/s ({own}), "
                    f"{r['aws_calls_per_contact']:.2f} AWS calls per Contact {r['aws_calls_by_operation']}",
                    flush=True,
                )
    elif args.what == "push":
        r = _child(["push", "--customers", str(args.customers), "--push-run-s", str(args.push_run_s)])
        print(json.dumps(r, indent=2))
    else:
        r = _child(["search", "--plans", str(args.plans)])
        print(json.dumps(r, indent=2))


if __name__ == "__main__":
    main()
