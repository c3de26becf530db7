"""The offline stack: ``python -m infrastructure.local`` (``make local``).

Starts moto as AWS, creates the manifest's resources, seeds data and demo users, serves the
API Gateway emulator and runs the event sources, then writes ``<state-dir>/stack.json``.
``python -m infrastructure.local fire <schedule>`` fires a schedule of a running stack now.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

import boto3

from infrastructure import manifest

REGION = "us-east-1"
# Ctrl-C to exit: the parts are told to stop at once, workers get 0.5 s (infrastructure.local.lambdas).
STOP_DEADLINE_S = 4.0


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m infrastructure.local", description=__doc__)
    parser.add_argument("command", nargs="?", default="up", choices=["up", "fire"])
    parser.add_argument("schedule", nargs="?", help="schedule name, for 'fire'")
    parser.add_argument("--api-port", type=int, default=3000, help="0 picks a free port")
    parser.add_argument("--aws-port", type=int, default=4566, help="0 picks a free port")
    parser.add_argument("--state-dir", type=Path, default=Path(".local"))
    parser.add_argument("--portal-port", type=int, default=8080, help="the built portal; 0 picks a free port")
    parser.add_argument("--hosted-ui-port", type=int, default=8081, help="Cognito hosted UI; 0: a free port")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=4,
        help="invocations of one function at once, as on Lambda (a queue trigger's max_concurrency caps it)",
    )
    parser.add_argument("--rate-limit", type=float, default=50.0, help="requests/s per client")
    parser.add_argument("--burst", type=float, default=100.0, help="bucket size per client")
    parser.add_argument(
        "--no-schedules",
        dest="schedules",
        action="store_false",
        help="run schedules only when fired, never by the clock (the tests fire what they need)",
    )
    parser.add_argument(
        "--plans", type=int, default=1000, help="generated drug plans to seed (in the background)"
    )
    return parser.parse_args(argv)


def fire(args: argparse.Namespace) -> int:
    if not args.schedule:
        names = [
            fn.trigger.name for fn in manifest.FUNCTIONS if isinstance(fn.trigger, manifest.ScheduleTrigger)
        ]
        print(f"usage: fire <schedule>; schedules: {', '.join(names) or 'none yet'}")
        return 2
    stack_file = args.state_dir / "stack.json"
    if not stack_file.exists():
        print(f"No offline stack is running ({stack_file} is missing): start one with `make local`.")
        return 1
    stack = json.loads(stack_file.read_text())
    request = urllib.request.Request(f"{stack['control_url']}/schedules/{args.schedule}", method="POST")
    try:
        with urllib.request.urlopen(request, timeout=900) as response:
            print(response.read().decode())
    except urllib.error.HTTPError as error:
        print(error.read().decode())
        return 1
    except urllib.error.URLError as error:  # a stack.json left by a stack that was killed
        print(
            f"The offline stack in {stack_file} does not answer ({error.reason}): start one with `make local`."
        )
        return 1
    return 0


def up(args: argparse.Namespace) -> int:
    # The seeders write items in the repositories' shapes, from the shared layer.
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "layers" / "shared" / "python"))
    # Imported here so that 'fire' stays light.
    from infrastructure.local.gateway import Authorizer, Gateway, serve
    from infrastructure.local.lambdas import Functions
    from infrastructure.local.moto_server import SerializedMotoServer
    from infrastructure.local.portal import DEV_SERVER, PortalServer, start_portal
    from infrastructure.local.resources import create_all
    from infrastructure.local.runners import Runner
    from infrastructure.local.salesforce import SalesforceConfig, serve_salesforce
    from infrastructure.local.seed import SEED_DIR, drop_delta, seed_catalog, seed_plan_catalog
    from infrastructure.local.standins import StandInConfig, secret_values, serve_standins
    from infrastructure.local.users import create_demo_users, create_user, sign_in
    from infrastructure.local.waf import RateLimiter

    started = time.monotonic()
    stack_file = args.state_dir / "stack.json"
    stack_file.unlink(missing_ok=True)  # left by a stack that was killed: not this one, not ready
    # Until the stack is up there is nothing to stop in order: Ctrl-C exits at once.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: os._exit(130))
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto logs every request otherwise
    os.environ.update(AWS_ACCESS_KEY_ID="local", AWS_SECRET_ACCESS_KEY="local", AWS_DEFAULT_REGION=REGION)
    moto = SerializedMotoServer("127.0.0.1", args.aws_port)
    moto.start()
    host, port = moto.get_host_and_port()
    endpoint = f"http://{host}:{port}"

    # The outside world (payment gateway, KYC, bureau) on loopback, speaking their protocols.
    standins = serve_standins(StandInConfig())
    salesforce = serve_salesforce(
        SalesforceConfig(contacts=2100)
    )  # two pages; moto makes a pull ~40 records/s
    physical, client_id = create_all(
        endpoint,
        REGION,
        service_urls={**standins.base_urls, "salesforce": salesforce.url},
        secret_values=secret_values(standins.config, salesforce.config),
    )
    seed_catalog(endpoint, REGION, physical)
    # The portal's address is fixed before the functions start: it and Vite's dev server are
    # the origins whose browsers may read the API's answers (the API functions' ALLOWED_ORIGINS,
    # the gateway's preflight and its own answers), as the stack's are in CDK.
    portal_server = PortalServer(port=args.portal_port)
    origins = (portal_server.url, DEV_SERVER)
    physical = replace(physical, allowed_origins=origins)
    # The Salesforce stand-in speaks HTTPS with its own certificate: trusting it is the one
    # environment difference (as AWS_ENDPOINT_URL is for AWS).
    functions = Functions(
        physical,
        endpoint,
        REGION,
        {"REQUESTS_CA_BUNDLE": str(salesforce.cert_path)},
        concurrency=args.concurrency,
    )
    # Demo beneficiaries and enrollments arrive as production's do: a delta file, synced.
    drop_delta(endpoint, REGION, physical, SEED_DIR / "plan-delta-demo.jsonl", "0000-demo.jsonl")
    functions.invoke("plan_sync", {"source": "local.seed", "detail-type": "Scheduled Event"})
    users = create_demo_users(endpoint, REGION, physical.user_pool_id, client_id, functions.invoke)
    runner = Runner(functions.invoke, physical, endpoint, REGION, schedules=args.schedules)
    cognito = boto3.client("cognito-idp", endpoint_url=endpoint, region_name=REGION)

    def control(method: str, path: str, body: bytes) -> tuple[int, Any]:
        parts = path.strip("/").split("/")  # _local/schedules/<name>
        if method == "GET" and parts[1:] == ["health"]:
            return 200, {"status": "ok"}
        if method == "POST" and parts[1:] == ["users"]:
            # moto fires no Cognito triggers: this is a sign-up + confirmation, trigger included.
            request = json.loads(body or b"{}")
            groups = request.get("groups", ["customers"])
            create_user(
                cognito,
                physical.user_pool_id,
                client_id,
                request["email"],
                request["password"],
                groups,
                functions.invoke,
            )
            return 201, {"username": request["email"]}
        if method == "POST" and parts[1:] == ["sign-in"]:
            # The hosted sign-in plus the post-authentication trigger moto does not fire.
            request = json.loads(body or b"{}")
            try:
                tokens = sign_in(
                    cognito,
                    physical.user_pool_id,
                    client_id,
                    request["username"],
                    request["password"],
                    functions.invoke,
                )
            except cognito.exceptions.NotAuthorizedException:
                return 401, {
                    "error": {"code": "not_authorized", "message": "Incorrect username or password."}
                }
            return 200, tokens
        if method == "POST" and len(parts) == 3 and parts[1] == "schedules":
            try:
                return 200, {"schedule": parts[2], "result": runner.fire(parts[2])}
            except KeyError:
                return 404, {"error": {"code": "unknown_schedule", "message": f"No schedule {parts[2]!r}."}}
        return 404, {"error": {"code": "not_found", "message": "No such control endpoint."}}

    authorizer = Authorizer(
        jwks_url=f"{endpoint}/{physical.user_pool_id}/.well-known/jwks.json",
        issuer=f"https://cognito-idp.{REGION}.amazonaws.com/{physical.user_pool_id}",
        audience=client_id,
    )
    gateway = Gateway(functions.invoke, authorizer, RateLimiter(args.rate_limit, args.burst), control)
    server = serve(gateway, "127.0.0.1", args.api_port)
    api_port = server.server_address[1]
    standins.config.webhook_url = f"http://127.0.0.1:{api_port}/v1/payments/webhook"
    portal, hosted_ui = start_portal(
        cognito,
        physical.user_pool_id,
        client_id,
        REGION,
        functions.invoke,
        jwks_url=f"{endpoint}/{physical.user_pool_id}/.well-known/jwks.json",
        api_url=f"http://127.0.0.1:{api_port}/v1",
        payments_url=standins.base_urls["payments"],
        payments_key=standins.config.payments_publishable_key,
        portal=portal_server,
        hosted_ui_port=args.hosted_ui_port,
    )
    gateway.allowed_origins = origins
    runner.start()
    # Volume for the plan search, written after the stack is up: moto takes ~10 ms per
    # 25-item batch over HTTP, so a thousand plans (~12,000 items) would delay readiness.
    threading.Thread(
        target=lambda: _log_done(seed_plan_catalog(endpoint, REGION, physical, args.plans), args.plans),
        name="seed-plans",
        daemon=True,
    ).start()

    stack = {
        "api_url": f"http://127.0.0.1:{api_port}/v1",
        "control_url": f"http://127.0.0.1:{api_port}/_local",
        "portal_url": portal.url,
        "portal_built": portal.built,
        "hosted_ui_url": hosted_ui.url,
        "portal_config": portal.config,
        "aws_endpoint_url": endpoint,
        "region": REGION,
        "user_pool_id": physical.user_pool_id,
        "user_pool_client_id": client_id,
        "tables": dict(physical.tables),
        "queues": dict(physical.queue_urls),
        "buckets": dict(physical.buckets),
        "standins": {
            "control_url": standins.control_url,
            **standins.base_urls,
            "salesforce": salesforce.url,
            # The Salesforce stand-in's certificate, to trust when calling its _control endpoints.
            "salesforce_ca": str(salesforce.cert_path),
        },
        "event_bus": physical.event_bus,
        "users": users,
    }
    args.state_dir.mkdir(parents=True, exist_ok=True)
    # Written whole then renamed: a reader polling for the file never sees half of it.
    partial = args.state_dir / "stack.json.partial"
    partial.write_text(json.dumps(stack, indent=2) + "\n")
    partial.replace(stack_file)
    _banner(stack, time.monotonic() - started, args.state_dir)

    stopping = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopping.set())
    # Waited on in short steps: Python runs a signal's handler in the main thread only when
    # that thread wakes, and a signal delivered to another thread does not wake a bare wait().
    while not stopping.wait(0.25):
        pass
    _stop(
        stack_file,
        [
            {
                "api": server.shutdown,
                "portal": portal.stop,
                "hosted UI": hosted_ui.stop,
                "event sources": runner.stop,
                "functions": functions.stop,
                "stand-ins": standins.stop,
                "salesforce": salesforce.stop,
            },
            # Last: a poller or function still talking to moto gets its answer, not a hang.
            {"moto": moto.stop},
        ],
    )


def _stop(stack_file: Path, phases: list[dict[str, Callable[[], object]]]) -> NoReturn:
    """Ctrl-C: the stack is gone for readers at once (its stack.json first), then each phase's
    parts are told to stop at the same time: a poller inside an invocation returns when the
    functions stop kills its worker, instead of each part waiting out its own deadline in
    turn. What has not stopped after STOP_DEADLINE_S is named and abandoned: its threads end
    with the process. Only the functions' workers are other processes, so only their stop
    decides the exit status. A second Ctrl-C exits at once."""
    print("\n[local] stopping…", flush=True)
    stack_file.unlink(missing_ok=True)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: os._exit(130))
    deadline = time.monotonic() + STOP_DEADLINE_S
    hanging: list[str] = []
    for phase in phases:
        threads = [threading.Thread(target=stop, name=name, daemon=True) for name, stop in phase.items()]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        hanging += [thread.name for thread in threads if thread.is_alive()]
    if hanging:
        print(
            f"[local] still stopping after {STOP_DEADLINE_S:.0f} s: {', '.join(hanging)}; exiting anyway",
            flush=True,
        )
    else:
        print("[local] stopped", flush=True)
    sys.stderr.flush()
    # Without freeing moto's heap object by object at exit, which takes seconds.
    os._exit(1 if "functions" in hanging else 0)


def _log_done(items: int, plans: int) -> None:
    print(f"[local] plan catalog: {plans} generated plans seeded ({items} items)", flush=True)


def _banner(stack: dict[str, Any], seconds: float, state_dir: Path) -> None:
    users = "\n".join(
        f"    {role:<9} {u['username']} / {u['password']}" for role, u in stack["users"].items()
    )
    print(
        f"""
salesportal offline stack ready in {seconds:.1f} s
  API          {stack["api_url"]}   (try {stack["api_url"]}/health)
  portal       {stack["portal_url"]}{"" if stack["portal_built"] else "   (not built: make web)"}   sign-in {stack["hosted_ui_url"]}
  AWS (moto)   {stack["aws_endpoint_url"]}   region {stack["region"]}
  stand-ins    payments {stack["standins"]["payments"]}  kyc {stack["standins"]["kyc"]}  bureau {stack["standins"]["bureau"]}
  user pool    {stack["user_pool_id"]}   client {stack["user_pool_client_id"]}
  demo users
{users}
  state        {state_dir / "stack.json"}
  get a token and call the API: see README.md, "Calling the offline API"
Ctrl-C stops everything.
""",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    return fire(args) if args.command == "fire" else up(args)


if __name__ == "__main__":
    sys.exit(main())
