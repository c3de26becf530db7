"""``make bench``: what each Lambda costs, read from the manifest so new functions need no code here.

1. Import time of every handler in a fresh interpreter (a cold start's init phase), beside
   floors measured the same way in the same run (interpreter, boto3, Powertools pieces).
2. Warm in-process latency of every sample event in ``events/`` on moto's ``mock_aws``,
   with each response's status checked so an error path never passes for success.
3. AWS API calls per request, by operation, counted through botocore's event system.

Prints a table and writes ``benchmarks/results.json``. Numbers, not pass/fail: they are for
reading and for comparing across commits (see benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import functools
import importlib.metadata
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LAYER = ROOT / "layers" / "shared" / "python"
RESULTS = ROOT / "benchmarks" / "results.json"
REGION = "us-east-1"

# Packages with a known, large import cost (DESIGN.md §8). Finding one in a handler that does
# not need it is a cold-start regression; the report flags them. boto3 is not listed: every
# handler that calls AWS needs it, and its cost is a floor of its own.
WATCHED = (
    "openai",
    "simple_salesforce",
    "aws_xray_sdk",
    "httpx",
    "jwt",
    "cryptography",
    "requests",
    "moto",  # a test dependency: never in a handler
    "pandas",
    "numpy",
)

# ---------------------------------------------------------------------------------------
# 1. Import time in a fresh interpreter
# ---------------------------------------------------------------------------------------
# Runs inside the child. Only what the Lambda runtime has loaded before the handler
# (sys, time, importlib) is imported ahead of the clock; json is imported after it.
_PROBE = """\
import sys, time, importlib.util
# Packages of the dev venv that the Lambda bundle does not ship (requirements/lambda.txt):
# importing one fails here as it would on Lambda, so an optional import (httpx's command line
# pulls in rich and click when they are installed) is not charged to the handler.
_BLOCKED = {blocked!r}
class _NotInLambda:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name.partition(".")[0] in _BLOCKED:
            raise ModuleNotFoundError(name)
        return None
sys.meta_path.insert(0, _NotInLambda)
_before = set(sys.modules)
_t0 = time.perf_counter()
{code}
_ms = (time.perf_counter() - _t0) * 1000
import json
_new = set(sys.modules) - _before
print(json.dumps({{"ms": _ms, "modules": len(_new), "packages": sorted({{m.partition(".")[0] for m in _new}})}}))
"""

_HANDLER_IMPORT = """\
_spec = importlib.util.spec_from_file_location("handler", {path!r})
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)"""

API_DOORWAY = "API doorway: boto3, pydantic, Logger, Metrics, resolver"
WORKER_DOORWAY = "worker doorway: boto3, pydantic, Logger, Metrics, batch"

FLOORS: dict[str, str] = {
    "python -c pass": "pass",
    "import boto3": "import boto3",
    "boto3 + one client": "import boto3\nboto3.client('dynamodb', region_name='us-east-1')",
    # `import pydantic` alone is lazy; a model class is what handlers actually load.
    "from pydantic import BaseModel": "from pydantic import BaseModel",
    "Powertools Logger()": "from aws_lambda_powertools import Logger\nLogger()",
    "APIGatewayRestResolver(enable_validation=True)": (
        "from aws_lambda_powertools.event_handler import APIGatewayRestResolver\n"
        "APIGatewayRestResolver(enable_validation=True)"
    ),
    "Powertools Tracer()": "from aws_lambda_powertools import Tracer\nTracer()",
    # What every handler of a kind cannot do without: the floor a handler is held to (1.2x).
    API_DOORWAY: (
        "import boto3\nfrom pydantic import BaseModel\n"
        "from aws_lambda_powertools import Logger, Metrics\nLogger()\nMetrics(namespace='bench')\n"
        "from aws_lambda_powertools.event_handler import APIGatewayRestResolver\n"
        "APIGatewayRestResolver(enable_validation=True)"
    ),
    WORKER_DOORWAY: (
        "import boto3\nfrom pydantic import BaseModel\n"
        "from aws_lambda_powertools import Logger, Metrics\nLogger()\nMetrics(namespace='bench')\n"
        "from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType\n"
        "BatchProcessor(event_type=EventType.SQS)"
    ),
}
FLOOR_RATIO_LIMIT = 1.2  # a handler's import may cost this much of its kind's doorway


@dataclass(frozen=True)
class ImportTarget:
    name: str
    code: str
    env: Mapping[str, str]
    cwd: Path


def _base_env(pycache: Path) -> dict[str, str]:
    # A clean environment, not ours: a stray AWS_PROFILE or PYTHONSTARTUP would skew the child.
    return {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(LAYER),
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        # Lambda packages ship compiled bytecode; a private cache gives every child warm .pyc
        # files (after the discarded first run) without writing __pycache__ into the repo.
        "PYTHONPYCACHEPREFIX": str(pycache),
    }


def import_targets(functions: list[Any], pycache: Path) -> tuple[list[ImportTarget], list[ImportTarget]]:
    from infrastructure import manifest

    base = _base_env(pycache)
    floors = [ImportTarget(name, code, base, ROOT) for name, code in FLOORS.items()]
    physical = manifest.Physical.placeholders("bench")
    handlers = []
    for fn in functions:
        source = ROOT / fn.source_dir
        env = {
            **base,
            **manifest.function_environment(fn, physical),
            # Lambda puts the function's folder (/var/task) before the layer (/opt/python).
            "PYTHONPATH": f"{source}{os.pathsep}{LAYER}",
        }
        code = _HANDLER_IMPORT.format(path=str(source / "handler.py"))
        handlers.append(ImportTarget(fn.name, code, env, source))
    return floors, handlers


def _locked_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==", line)
        if match:
            names.add(match.group(1).lower().replace("-", "_").replace(".", "_"))
    return names


@functools.cache
def not_in_lambda() -> frozenset[str]:
    """Import names of the packages the dev venv has and the Lambda bundle does not."""
    requirements = ROOT / "requirements"
    return frozenset(_locked_names(requirements / "dev.txt") - _locked_names(requirements / "lambda.txt"))


def _probe(target: ImportTarget) -> tuple[float, float, dict[str, Any]]:
    """(import ms inside the child, whole-process ms, child's report)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(code=target.code, blocked=sorted(not_in_lambda()))],
        env=dict(target.env),
        cwd=target.cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    process_ms = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        raise SystemExit(f"importing {target.name} failed:\n{done.stderr}")
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report["ms"], process_ms, report


def _third_party(packages: list[str]) -> list[str]:
    return [p for p in packages if p not in sys.stdlib_module_names and not p.startswith("_")]


def import_times(functions: list[Any], repeat: int) -> dict[str, Any]:
    pycache = Path(tempfile.gettempdir()) / "salesportal-bench-pycache"
    floors, handlers = import_targets(functions, pycache)
    targets = floors + handlers
    for target in targets:  # discarded: compiles bytecode and warms the OS file cache
        _probe(target)
    samples: dict[str, list[float]] = {t.name: [] for t in targets}
    process: dict[str, list[float]] = {t.name: [] for t in targets}
    reports: dict[str, dict[str, Any]] = {}
    # Round-robin rather than N in a row: drift on the machine (another process, thermal
    # throttling) then spreads over every target instead of biasing one.
    for _ in range(repeat):
        for target in targets:
            ms, process_ms, report = _probe(target)
            samples[target.name].append(ms)
            process[target.name].append(process_ms)
            reports[target.name] = report

    def summary(name: str) -> dict[str, Any]:
        return {
            "median_ms": statistics.median(samples[name]),
            "min_ms": min(samples[name]),
            "process_median_ms": statistics.median(process[name]),
            "samples_ms": samples[name],
        }

    result: dict[str, Any] = {"floors": {t.name: summary(t.name) for t in floors}, "handlers": {}}
    for target in handlers:
        packages = _third_party(reports[target.name]["packages"])
        result["handlers"][target.name] = {
            **summary(target.name),
            "modules_loaded": reports[target.name]["modules"],
            "third_party_packages": packages,
            "heavy_modules": [p for p in WATCHED if p in packages],
        }
    from infrastructure import manifest

    kinds = {
        fn.name: API_DOORWAY if isinstance(fn.trigger, manifest.ApiTrigger) else WORKER_DOORWAY
        for fn in functions
    }
    for name, handler in result["handlers"].items():
        doorway = result["floors"][kinds[name]]
        handler["doorway"] = kinds[name]
        handler["doorway_ratio"] = handler["median_ms"] / doorway["median_ms"]
        handler["doorway_ratio_min"] = handler["min_ms"] / doorway["min_ms"]
    return result


# ---------------------------------------------------------------------------------------
# 2 + 3. Warm latency and AWS calls on moto
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EventSpec:
    """What one sample event needs beyond the defaults (any 2xx; ids adapted by trigger)."""

    status: int | None = None  # exact HTTP status expected; None accepts any 2xx
    # Path parameters whose ids are minted at run time: parameter -> (function, event,
    # field of that event's response body). The producing event is benchmarked first.
    path_from: Mapping[str, tuple[str, str, str]] = field(default_factory=dict)


SALESFORCE_CONTACTS = 2500  # two pages of the Salesforce stand-in
PUSHED_CUSTOMERS = 1000  # portal customers changed since the last push (five 200-record calls)
PLANS = 2500  # generated drug plans the search runs over (~30,000 catalog items)
SYNC_ROWS = 20_000  # rows of the delta file the sync is timed on

EVENTS: dict[tuple[str, str], EventSpec] = {
    ("catalog", "get_product"): EventSpec(status=200),
    ("catalog", "list_products"): EventSpec(status=200),
    ("health", "get_health"): EventSpec(status=200),
    ("profile", "get_me"): EventSpec(status=200),
    ("profile", "put_me"): EventSpec(status=200),
    ("quotes", "create_quote"): EventSpec(status=201),
    ("ai_queries", "ask_question"): EventSpec(status=202),
    ("ai_queries", "get_answer"): EventSpec(
        status=200, path_from={"queryId": ("ai_queries", "ask_question", "queryId")}
    ),
    ("quotes", "get_quote"): EventSpec(
        status=200, path_from={"quoteId": ("quotes", "create_quote", "quoteId")}
    ),
    ("salesforce_sync", "start_sync"): EventSpec(status=202),
    ("salesforce_sync", "get_run"): EventSpec(
        status=200, path_from={"runId": ("salesforce_sync", "start_sync", "runId")}
    ),
}


@dataclass(frozen=True)
class Measured:
    result: Any
    ms: float
    own_ms: float  # without the time moto spent answering
    aws_calls: int


class AwsProbe:
    """Counts AWS API calls and times the mock's share of each request, via botocore events.

    ``before-call`` fires once per operation (not per retry). moto answers inside the
    ``before-send`` event, so handlers registered first and last on it bracket exactly the
    time moto spends (where real AWS would spend network and service time); the rest of a
    request is the handler's own code plus botocore's client-side work, which Lambda pays too.
    Records only while ``active`` (inside a timed invocation): the benchmark's own setup calls
    never count as the handler's.
    """

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.mock_ms = 0.0
        self.active = False
        self._sent = 0.0

    def measure(self, call: Callable[..., Any], *args: Any) -> Measured:
        """Run ``call(*args)`` with the probe active: its result, wall time, time without
        moto's share, and the AWS calls it made."""
        calls_before, mock_before = self.calls.total(), self.mock_ms
        self.active = True
        start = time.perf_counter()
        try:
            result = call(*args)
        finally:
            elapsed_ms = (time.perf_counter() - start) * 1000
            self.active = False
        return Measured(
            result, elapsed_ms, elapsed_ms - (self.mock_ms - mock_before), self.calls.total() - calls_before
        )

    def register(self, events: Any) -> None:
        # Clients copy their session's handlers when created: register before any exists.
        events.register("before-call", self._before_call)
        events.register_first("before-send", self._send_starts)
        events.register_last("before-send", self._send_ends)

    def _before_call(self, model: Any, **_: Any) -> None:
        if self.active:
            self.calls[f"{model.service_model.service_name}.{model.name}"] += 1

    def _send_starts(self, **_: Any) -> None:
        self._sent = time.perf_counter()

    def _send_ends(self, **_: Any) -> None:
        if self.active:
            self.mock_ms += (time.perf_counter() - self._sent) * 1000


@dataclass
class Bench:
    """The seeded moto account, and what events share: the signed-up customer, earlier responses."""

    physical: Any
    cognito: Any
    customer_sub: str = ""
    customer_email: str = ""
    responses: dict[tuple[str, str], Any] = field(default_factory=dict)
    users: int = 0

    def new_user(self) -> tuple[str, str, str]:
        """A fresh Cognito user: (userName, sub, email)."""
        self.users += 1
        email = f"bench-{self.users}@example.com"
        user = self.cognito.admin_create_user(UserPoolId=self.physical.user_pool_id, Username=email)["User"]
        sub = next(a["Value"] for a in user["Attributes"] if a["Name"] == "sub")
        return user["Username"], sub, email

    def confirmation_event(self) -> dict[str, Any]:
        """The post-confirmation sample event, for a new user of the pool (as tests/integration do)."""
        from tests.support.lambdas import sample_event

        username, sub, email = self.new_user()
        event = sample_event("post_confirmation", "confirm_sign_up")
        event.update(userPoolId=self.physical.user_pool_id, userName=username)
        event["request"]["userAttributes"].update(sub=sub, email=email)
        return event


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Send fd 1 and 2 to /dev/null: handlers still format every log line (a real cost), unseen."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        os.dup2(null, 2)
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, null):
            os.close(fd)


def _percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)  # nearest rank: p99 of 200 samples is the 198th
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def _set_path_parameter(event: dict[str, Any], name: str, value: str) -> None:
    old = event["pathParameters"][name]
    event["pathParameters"][name] = value
    event["path"] = event["path"].replace(old, value)
    context = event.get("requestContext") or {}
    if "path" in context:
        context["path"] = context["path"].replace(old, value)


def _adapt(fn: Any, name: str, event: dict[str, Any], bench: Bench) -> None:
    """Once per event: point the sample's ids at things that exist in the seeded account."""
    claims = ((event.get("requestContext") or {}).get("authorizer") or {}).get("claims")
    if claims:  # the signed-up customer, whose profile post_confirmation created
        claims.update(sub=bench.customer_sub, email=bench.customer_email)
        if "cognito:username" in claims:
            claims["cognito:username"] = bench.customer_sub
    path = event.get("pathParameters") or {}
    if "customerId" in path:  # staff reads of a customer: the bench's signed-up customer
        _set_path_parameter(event, "customerId", bench.customer_sub)
    if "userId" in path:  # user management: a pool user of its own (the first call changes
        _set_path_parameter(event, "userId", bench.new_user()[1])  # it, repeats are no-ops)
    query = event.get("queryStringParameters") or {}
    if str(query.get("entity", "")).startswith("customer#"):  # the audit trail of the bench customer
        query["entity"] = f"customer#{bench.customer_sub}"
        event["multiValueQueryStringParameters"]["entity"] = [query["entity"]]
    body = json.loads(event.get("body") or "null")
    if isinstance(body, dict) and "customerId" in body:  # e.g. an AI question about a customer
        event["body"] = json.dumps({**body, "customerId": bench.customer_sub})
    for parameter, (function, producer, key) in EVENTS.get((fn.name, name), EventSpec()).path_from.items():
        _set_path_parameter(event, parameter, bench.responses[(function, producer)][key])


def _fresh(fn: Any, event: dict[str, Any], bench: Bench) -> None:
    """Per invocation, untimed: new ids where reusing one would benchmark a replay instead.

    A repeated stream record or SQS message is (by design) a no-op replay, and a repeated
    sign-up finds its profile already there; real traffic is first deliveries.
    """
    from infrastructure import manifest

    trigger = fn.trigger
    if isinstance(trigger, manifest.StreamTrigger):
        for record in event.get("Records", []):
            record["eventID"] = uuid.uuid4().hex
    elif isinstance(trigger, manifest.QueueTrigger):
        for record in event.get("Records", []):
            record["messageId"] = str(uuid.uuid4())
            body = json.loads(record.get("body") or "{}")
            if isinstance(body, dict) and "requestId" in body:  # a new request, not a re-delivery
                record["body"] = json.dumps({**body, "requestId": uuid.uuid4().hex})
            if isinstance(body, dict) and isinstance(body.get("detail"), dict):  # a new domain event
                record["body"] = json.dumps(
                    {**body, "detail": {**body["detail"], "eventId": uuid.uuid4().hex}}
                )
    elif isinstance(trigger, manifest.CognitoTrigger) and trigger.operation == "post_confirmation":
        username, sub, email = bench.new_user()
        event["userName"] = username
        event["userPoolId"] = bench.physical.user_pool_id
        event["request"]["userAttributes"].update(sub=sub, email=email)


def _check(fn: Any, name: str, event: dict[str, Any], response: Any) -> None:
    """A benchmark of an error path must never pass for one of the success path."""
    from infrastructure import manifest

    trigger = fn.trigger
    problem = None
    if isinstance(trigger, manifest.ApiTrigger):
        status = response.get("statusCode") if isinstance(response, dict) else None
        expected = EVENTS.get((fn.name, name), EventSpec()).status
        if status is None or (status != expected if expected is not None else not 200 <= status < 300):
            problem = f"expected {expected or '2xx'}, got {status}"
    elif isinstance(trigger, manifest.StreamTrigger | manifest.QueueTrigger):
        if not isinstance(response, dict) or response.get("batchItemFailures"):
            problem = "records failed"
    elif isinstance(trigger, manifest.CognitoTrigger) and (
        # Cognito needs its event back; anything else fails the user's sign-up.
        not isinstance(response, dict) or response.get("userName") != event.get("userName")
    ):
        problem = "did not return the Cognito event"
    if problem:
        raise SystemExit(f"{fn.name}/{name}: {problem}: {json.dumps(response, default=str)[:2000]}")


def _scenarios(functions: list[Any]) -> list[tuple[Any, str]]:
    """Every (function, sample event) pair, producers before the events that read their ids."""
    from benchmarks.funnel import MEASURED_BY_WALK

    pending = [
        (fn, p.stem)
        for fn in functions
        if fn.name not in MEASURED_BY_WALK
        for p in sorted((ROOT / "events" / fn.name).glob("*.json"))
    ]
    ordered: list[tuple[Any, str]] = []
    while pending:
        done = {(fn.name, name) for fn, name in ordered}
        ready = [
            (fn, name)
            for fn, name in pending
            if all((f, e) in done for f, e, _ in EVENTS.get((fn.name, name), EventSpec()).path_from.values())
        ]
        if not ready:
            raise SystemExit(f"events wait for producers that are missing or filtered out: {pending}")
        ordered += ready
        pending = [s for s in pending if s not in ready]
    return ordered


def _floor(label: str, call: Callable[[], Any], iterations: int) -> dict[str, Any]:
    call()
    samples = []
    for _ in range(iterations):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return {"p50_ms": statistics.median(samples), "p99_ms": _percentile(samples, 99), "label": label}


def warm_latency(functions: list[Any], iterations: int) -> dict[str, Any]:
    sys.path[:0] = [str(LAYER), str(ROOT)]
    os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION=REGION)
    for variable in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):  # mock_aws, never a real or local endpoint
        os.environ.pop(variable, None)
    import boto3
    from moto import mock_aws

    from benchmarks import funnel
    from benchmarks import plans as plans_bench
    from infrastructure.local.resources import create_all
    from infrastructure.local.salesforce import SalesforceConfig, serve_salesforce
    from infrastructure.local.seed import seed_catalog
    from infrastructure.local.standins import StandInConfig, secret_values, serve_standins
    from salesportal import aws
    from tests.support.lambdas import FakeContext, function_env, invoke, load_handler, sample_event

    probe = AwsProbe()
    # On the session salesportal.aws builds clients from, and on boto3's default session in
    # case a handler ever bypasses salesportal.aws.
    probe.register(aws._session().events)
    boto3.setup_default_session(region_name=REGION)
    assert boto3.DEFAULT_SESSION is not None
    probe.register(boto3.DEFAULT_SESSION.events)

    results: dict[str, Any] = {"floors": {}, "events": {}}
    standins = serve_standins(StandInConfig())
    config = standins.config
    salesforce = serve_salesforce(SalesforceConfig(contacts=SALESFORCE_CONTACTS))
    os.environ["REQUESTS_CA_BUNDLE"] = str(salesforce.cert_path)
    with mock_aws(), _quiet():
        physical, _client_id = create_all(
            None,
            REGION,
            service_urls={**standins.base_urls, "salesforce": salesforce.url},
            secret_values=secret_values(config, salesforce.config),
        )
        seed_catalog(None, REGION, physical)
        if {"plans", "plan_sync"} <= {fn.name for fn in functions}:
            results["plan_items"] = plans_bench.seed(physical, PLANS)
        bench = Bench(physical, boto3.client("cognito-idp", region_name=REGION))

        # The customer every authenticated sample event acts as, signed up the real way.
        signup = bench.confirmation_event()
        if invoke("post_confirmation", copy.deepcopy(signup), physical) != signup:
            raise SystemExit("post_confirmation did not return its event while signing up the bench customer")
        bench.customer_sub = signup["request"]["userAttributes"]["sub"]
        bench.customer_email = signup["request"]["userAttributes"]["email"]

        # What moto itself costs per call, to subtract from handlers' numbers when reading.
        dynamodb = aws.client("dynamodb")
        dynamodb.create_table(
            TableName="bench-floor",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        small = {"pk": {"S": "floor"}, "value": {"S": "x" * 100}}
        results["floors"]["moto dynamodb.PutItem (small item)"] = _floor(
            "PutItem", lambda: dynamodb.put_item(TableName="bench-floor", Item=small), iterations
        )
        results["floors"]["moto dynamodb.GetItem (small item)"] = _floor(
            "GetItem", lambda: dynamodb.get_item(TableName="bench-floor", Key={"pk": small["pk"]}), iterations
        )

        for fn, name in _scenarios(functions):
            event = sample_event(fn.name, name)
            _adapt(fn, name, event, bench)
            with function_env(fn.name, physical):
                handler = load_handler(fn.name).lambda_handler
                samples: list[float] = []
                own: list[float] = []
                per_request: list[int] = []
                probe.calls.clear()
                for i in range(iterations + 1):  # the first call warms up (clients, caches)
                    fresh = copy.deepcopy(event)
                    _fresh(fn, fresh, bench)
                    context = FakeContext(fn.name, fn.memory_mb, fn.timeout_s)
                    measured = probe.measure(handler, fresh, context)
                    response = measured.result
                    _check(fn, name, fresh, response)
                    if i == 0:
                        probe.calls.clear()
                        if isinstance(response, dict) and response.get("body"):
                            with contextlib.suppress(ValueError):
                                bench.responses[(fn.name, name)] = json.loads(response["body"])
                        continue
                    samples.append(measured.ms)
                    own.append(measured.own_ms)
                    per_request.append(measured.aws_calls)
            results["events"][f"{fn.name}/{name}"] = {
                "function": fn.name,
                "event": name,
                "p50_ms": statistics.median(samples),
                "p99_ms": _percentile(samples, 99),
                "max_ms": max(samples),
                # Without the time moto spent answering: the handler's own code and botocore.
                "own_p50_ms": statistics.median(own),
                "own_p99_ms": _percentile(own, 99),
                "aws_calls_per_request": statistics.mean(per_request),
                "aws_calls_by_operation": {op: n / iterations for op, n in sorted(probe.calls.items())},
            }
        if "salesforce_poll" in {fn.name for fn in functions}:
            results["salesforce_pull"] = _salesforce_pull(physical, probe, invoke)
        if "salesforce_sync_worker" in {fn.name for fn in functions}:
            results["salesforce_push"] = _salesforce_push(physical, probe, invoke)
        if "plan_sync" in {fn.name for fn in functions}:
            results["plan_sync"] = plans_bench.measure_sync(physical, probe, SYNC_ROWS)
        if {fn.name for fn in functions} >= funnel.MEASURED_BY_WALK:
            walks = max(5, iterations // 10)
            results["funnel"] = funnel.measure(physical, standins, probe, walks, bench.customer_sub)
            results["funnel_walks"] = walks
    standins.stop()
    salesforce.stop()
    return results


def _salesforce_pull(physical: Any, probe: Any, invoke: Callable[..., Any]) -> dict[str, Any]:
    """One full pull of the stand-in's Contacts: records per second, AWS calls per record."""
    measured = probe.measure(invoke, "salesforce_poll", {}, physical)
    report = measured.result["pull"]
    return {
        "records": report["records"],
        "pages": report["pages"],
        "seconds": measured.ms / 1000,
        "seconds_without_moto": measured.own_ms / 1000,
        "records_per_second": report["records"] / (measured.ms / 1000),
        "aws_calls_per_record": measured.aws_calls / max(1, report["records"]),
    }


def _salesforce_push(physical: Any, probe: Any, invoke: Callable[..., Any]) -> dict[str, Any]:
    """One push of PUSHED_CUSTOMERS portal customers changed since the last push (after the
    pull: its customers are read and skipped, as in production): records sent per second."""
    from datetime import UTC, datetime

    from salesportal.data.customers import CustomerRepository

    customers = CustomerRepository(physical.tables["customers"])
    now = datetime.now(UTC)
    for n in range(PUSHED_CUSTOMERS):
        customer_id = str(uuid.uuid4())
        customers.create_if_absent(customer_id, f"pushed-{n}@example.com", actor="bench", now=now)
        fields = {"givenName": "Push", "familyName": f"Customer{n:04d}", "phone": f"+1512555{n:04d}"}
        customers.replace_profile(customer_id, fields, actor="bench", now=now)
    message = {
        "Records": [
            {
                "messageId": str(uuid.uuid4()),
                "receiptHandle": "bench",
                "body": json.dumps({"runId": f"bench-push-{uuid.uuid4().hex[:8]}", "direction": "push"}),
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:bench",
                "awsRegion": REGION,
            }
        ]
    }
    measured = probe.measure(invoke, "salesforce_sync_worker", message, physical)
    if measured.result.get("batchItemFailures"):
        raise SystemExit(f"salesforce_sync_worker: the push failed: {measured.result}")
    run = json.loads(message["Records"][0]["body"])["runId"]
    import boto3

    item = boto3.client("dynamodb", region_name=REGION).get_item(
        TableName=physical.tables["control"], Key={"pk": {"S": f"SFRUN#{run}"}, "sk": {"S": "RUN"}}
    )["Item"]
    push = item["push"]["M"]
    sent, considered = int(push["sent"]["N"]), int(push["considered"]["N"])
    return {
        "considered": considered,
        "sent": sent,
        "seconds": measured.ms / 1000,
        "seconds_without_moto": measured.own_ms / 1000,
        "records_per_second": sent / (measured.ms / 1000),
        "aws_calls": measured.aws_calls,
    }


# ---------------------------------------------------------------------------------------
# 4. Report
# ---------------------------------------------------------------------------------------
def _fmt_calls(calls: Mapping[str, float]) -> str:
    return ", ".join(f"{op}: {n:g}" for op, n in calls.items()) or "none"


def _print_doorway_ratios(imports: dict[str, Any]) -> None:
    print(f"\nAgainst its kind's doorway (median ratio, min ratio; over {FLOOR_RATIO_LIMIT}x is flagged)")
    for name, h in imports["handlers"].items():
        flag = "  OVER" if h["doorway_ratio"] > FLOOR_RATIO_LIMIT else ""
        kind = "api" if h["doorway"] == API_DOORWAY else "worker"
        print(f"  {name:<24} {kind:<7} {h['doorway_ratio']:5.2f} {h['doorway_ratio_min']:5.2f}{flag}")


def print_report(functions: list[Any], imports: dict[str, Any] | None, warm: dict[str, Any] | None) -> None:
    rows = [
        (
            "function",
            "event",
            "import ms (min)",
            "process ms",
            "warm p50",
            "warm p99",
            "p50 w/o moto",
            "AWS calls/request",
        )
    ]
    for fn in functions:
        imp = (imports or {}).get("handlers", {}).get(fn.name)
        events = [r for r in (warm or {}).get("events", {}).values() if r["function"] == fn.name] or [None]
        for index, r in enumerate(events):
            first = index == 0 and imp is not None
            rows.append(
                (
                    fn.name if index == 0 else "",
                    r["event"] if r else "-",
                    f"{imp['median_ms']:.0f} ({imp['min_ms']:.0f})" if first else "",
                    f"{imp['process_median_ms']:.0f}" if first else "",
                    f"{r['p50_ms']:.2f}" if r else "",
                    f"{r['p99_ms']:.2f}" if r else "",
                    f"{r['own_p50_ms']:.2f}" if r else "",
                    _fmt_calls(r["aws_calls_by_operation"]) if r else "",
                )
            )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print("\nPer function (ms; import = fresh interpreter, median and min; warm = in-process on moto)")
    for n, row in enumerate(rows):
        cells = [
            c.ljust(w) if i in (0, 1, 7) else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  " + " | ".join(cells).rstrip())
        if n == 0:
            print("  " + "-+-".join("-" * w for w in widths))

    if imports:
        print("\nImport floors (same probe, same run): median (min) ms, whole process ms")
        for name, r in imports["floors"].items():
            print(f"  {name:<48} {r['median_ms']:7.0f} ({r['min_ms']:.0f}) {r['process_median_ms']:8.0f}")
        _print_doorway_ratios(imports)
        handlers = imports["handlers"]
        common = set.intersection(*(set(h["third_party_packages"]) for h in handlers.values()))
        print("\nThird-party packages each handler imports")
        print(f"  all handlers: {', '.join(sorted(common)) or '-'}")
        for name, h in handlers.items():
            extra = [p for p in h["third_party_packages"] if p not in common]
            heavy = f"   HEAVY: {', '.join(h['heavy_modules'])}" if h["heavy_modules"] else ""
            print(f"  {name:<18} +{', +'.join(extra) if extra else ' nothing else'}{heavy}")
    if warm and warm.get("salesforce_pull"):
        r = warm["salesforce_pull"]
        print(
            f"\nSalesforce pull: {r['records']} Contacts in {r['pages']} pages in {r['seconds']:.1f} s on moto "
            f"({r['seconds_without_moto']:.1f} s without moto's share), {r['records_per_second']:.0f} records/s, "
            f"{r['aws_calls_per_record']:.1f} AWS calls per record"
        )
    if warm and warm.get("salesforce_push"):
        r = warm["salesforce_push"]
        print(
            f"Salesforce push: {r['sent']} changed customers sent (of {r['considered']} read) in "
            f"{r['seconds']:.1f} s on moto ({r['seconds_without_moto']:.1f} s without moto's share), "
            f"{r['records_per_second']:.0f} records/s, {r['aws_calls']} AWS calls"
        )
    if warm and warm.get("plan_sync"):
        r = warm["plan_sync"]
        print(
            f"\nPlan-delta sync: {r['rows']} rows ({r['file_bytes'] / 1e6:.1f} MB) in {r['seconds']:.1f} s on moto "
            f"({r['seconds_without_moto']:.1f} s without moto's share), {r['rows_per_second']:.0f} rows/s, "
            f"{r['aws_calls']} AWS calls, {r['rows_applied']} applied, max RSS +{r['max_rss_growth_mb']:.0f} MB"
        )
    if warm and warm.get("funnel"):
        print(
            f"\nSales funnel, step by step ({warm['funnel_walks']} fresh customers; warm, in-process on moto,"
            " stand-ins on loopback): p50 / p99 ms, p50 without moto's share, AWS calls"
        )
        for name, r in warm["funnel"].items():
            print(
                f"  {name:<40} {r['function']:<17} {r['p50_ms']:8.2f} / {r['p99_ms']:8.2f}  "
                f"{r['own_p50_ms']:8.2f}   {r['aws_calls_per_request']:.1f}"
            )
    if warm:
        print("\nWarm floors on moto (what the mock costs per call): p50 / p99 ms")
        for name, r in warm["floors"].items():
            print(f"  {name:<48} {r['p50_ms']:7.2f} / {r['p99_ms']:.2f}")


def run_volume(spec: str) -> dict[str, Any]:
    """The bulk paths at volume (benchmarks.volume), each in a child interpreter:
    ``BENCH_VOLUME=25000`` pulls 25,000 Contacts, pushes a backlog of 25,000 customers over
    bounded runs and measures search fill (``BENCH_VOLUME=1`` means 25,000 too)."""
    from benchmarks import volume

    size = int(spec) if spec.isdigit() and int(spec) > 1 else 25_000
    results = {
        "pull": volume._child(["pull", "--contacts", str(size), "--workers", "1"]),
        "push": volume._child(["push", "--customers", str(size)]),
        "search": volume._child(["search"]),
    }
    pull, push, search = results["pull"], results["push"], results["search"]
    print(
        f"\nPull at volume: {pull['applied']} of {pull['contacts']} Contacts ({pull['status']}) in "
        f"{pull['seconds']:.0f} s, {pull['contacts_per_second']:.0f}/s "
        f"({pull['contacts_per_second_without_moto']:.0f}/s without moto), "
        f"{pull['aws_calls_per_contact']:.2f} AWS calls per Contact"
    )
    print(
        f"Push backlog: {push['sent']} of {push['customers']} sent in {push['runs']} runs of "
        f"{push['run_budget_s']:.0f} s ({push['sent_per_run']}), {push['saved_twice']} Contacts saved twice, "
        f"{push['aws_calls_per_record']:.2f} AWS calls per record"
    )
    print(
        "Search page fill (five most selective feature filters, busiest ZIPs): one Query -> bounded re-read"
    )
    for feature, r in search["features"].items():
        print(
            f"  {feature:<58} {r['fill_one_query']:6.0%} -> {r['fill_bounded']:6.0%}  "
            f"({r['queries_bounded']:.1f} Queries per search)"
        )
    return results


def _versions() -> dict[str, str]:
    names = ("boto3", "botocore", "moto", "aws-lambda-powertools", "pydantic")
    found = {}
    for name in names:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            found[name] = importlib.metadata.version(name)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description="Import time, warm latency and AWS calls of every handler.")
    parser.add_argument("--repeat", type=int, default=7, help="fresh interpreters per import measurement")
    parser.add_argument("--iterations", type=int, default=200, help="warm invocations per sample event")
    parser.add_argument("--only", nargs="*", metavar="FUNCTION", help="benchmark only these functions")
    parser.add_argument("--skip-imports", action="store_true", help="skip the fresh-interpreter phase")
    parser.add_argument("--skip-warm", action="store_true", help="skip the moto phase")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the JSON results")
    args = parser.parse_args()
    if args.repeat < 1 or args.iterations < 1:
        parser.error("--repeat and --iterations must be at least 1")

    sys.path.insert(0, str(ROOT))
    from infrastructure import manifest

    functions = [fn for fn in manifest.FUNCTIONS if not args.only or fn.name in args.only]
    if args.only and len(functions) != len(set(args.only)):
        parser.error(f"unknown function in --only; the manifest has {[f.name for f in manifest.FUNCTIONS]}")

    started = time.perf_counter()
    imports = None if args.skip_imports else import_times(functions, args.repeat)
    warm = None if args.skip_warm else warm_latency(functions, args.iterations)
    # The handlers' Logger(log_uncaught_exceptions=True) took over the hook; ours are ours.
    sys.excepthook = sys.__excepthook__
    print_report(functions, imports, warm)
    volume = None
    if os.environ.get("BENCH_VOLUME"):  # minutes, not seconds: only when asked for
        volume = run_volume(os.environ["BENCH_VOLUME"])

    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cpus",
        "versions": _versions(),
        "repeat": args.repeat,
        "iterations": args.iterations,
        "functions": [fn.name for fn in functions],
        "imports": imports,
        "warm": warm,
        "volume": volume,
        "duration_s": round(time.perf_counter() - started, 1),
    }
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {args.output} in {results['duration_s']} s")


if __name__ == "__main__":
    main()
