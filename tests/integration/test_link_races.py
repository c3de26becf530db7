"""Concurrent beneficiary-link guesses never get more tries than the limit.

Lambda runs invocations of one function side by side, each in its own process; here each
thread gets its own copy of the handler module, whose resolver keeps its own current event
(``_own_event``: Powertools keeps it on a class attribute, one per process), and they all
start at one barrier. DynamoDB applies each
request atomically; moto in-process does not, so one lock gives every request that
atomicity, while requests from different invocations interleave freely, as on AWS.
"""

from __future__ import annotations

import importlib.util
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from moto.core.botocore_stubber import BotocoreStubber

from infrastructure.local.seed import SEED_DIR, drop_delta, seed_plan_catalog
from salesportal import aws, http
from salesportal.data.attempts import AttemptCounter, AttemptsExhausted
from salesportal.data.customers import CustomerRepository
from salesportal.errors import Forbidden
from salesportal.http import caller
from tests.support import gateway
from tests.support.api import body_of
from tests.support.funnel import signed_up
from tests.support.lambdas import ROOT, FakeContext, function_env

REGION = "us-east-1"
LIMIT = 5  # the handler's MAX_FAILURES
RACERS = 20
ROUNDS = 3  # fresh accounts and beneficiary counters each round
OKAFOR = {"beneficiaryId": "B-100002", "lastName": "Okafor", "birthDate": "1948-11-02"}


@pytest.fixture(scope="module")
def seeded(world):
    """The module's plans and beneficiaries, seeded and synced once (each round races at
    beneficiaries and accounts of its own)."""
    seed_plan_catalog(None, REGION, world.physical, plans=5)
    drop_delta(None, REGION, world.physical, SEED_DIR / "plan-delta-demo.jsonl", "0000-demo.jsonl")
    assert world.invoke("plan_sync", {"detail-type": "Scheduled Event"})["filesApplied"]
    return world


@pytest.fixture
def plans(stack, seeded, monkeypatch):
    lock = threading.Lock()
    process = BotocoreStubber.process_request

    def atomic(self: BotocoreStubber, request: Any) -> Any:
        with lock:
            return process(self, request)

    monkeypatch.setattr(BotocoreStubber, "process_request", atomic)
    return stack


def _handler_copy(n: int) -> Any:
    path = ROOT / "functions" / "beneficiary_link" / "handler.py"
    spec = importlib.util.spec_from_file_location(f"salesportal_functions.beneficiary_link.race{n}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    _own_event(module.app)
    return module


def _own_event(app: Any) -> None:
    """Give one resolver the request it is resolving as its own.

    Powertools stores the current event on ``BaseRouter`` itself: one per process, which is
    right on Lambda (a process runs one invocation at a time) but shared by every thread
    here, so a racer could read another racer's caller and count its guess on the wrong
    account (seen once in CI: one account counted 2, another 0).
    """

    class OwnEvent(type(app)):  # type: ignore[misc]
        @property
        def current_event(self) -> Any:
            return self.__dict__["_event"]

        def resolve(self, event: Any, context: Any) -> Any:
            self.__dict__["_event"] = self._to_proxy_event(event)
            return super().resolve(event, context)

    app.__class__ = OwnEvent


def _race(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run every call on its own thread, all released at once; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait(timeout=60)
        try:
            results[i] = calls[i]()
        except Exception as exc:  # a crash is a result too: the assertion shows it
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    return results


def _link_calls(stack: Any, attempts: list[tuple[str, dict[str, str]]]) -> list[Callable[[], Any]]:
    copies = [_handler_copy(i) for i in range(len(attempts))]
    found = gateway.route("POST", "/me/beneficiary-link")
    assert found is not None and found[0].function == "beneficiary_link", found
    calls = []
    for module, (sub, body) in zip(copies, attempts, strict=True):
        event = gateway.request_event(
            "POST",
            "/me/beneficiary-link",
            found,
            body=body,
            caller={"sub": sub, "cognito:groups": "customers", "token_use": "id"},
        )
        calls.append(lambda m=module, e=event: m.app.resolve(e, FakeContext("beneficiary_link")))
    return calls


def _outcomes(results: list[Any]) -> Counter[Any]:
    return Counter(r["statusCode"] if isinstance(r, dict) else f"raised {r!r}" for r in results)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_concurrent_wrong_guesses_from_one_account_stop_at_the_limit(plans, round_):
    guesser = signed_up(plans, f"racer{round_}@example.com")
    # A different beneficiary each round, so only this round's guesses count against it.
    beneficiary = {**OKAFOR, "beneficiaryId": f"B-9{round_:05d}"}
    attempts = [(guesser.sub, {**beneficiary, "ssnLast4": f"{n + 10:04d}"}) for n in range(RACERS)]
    with function_env("beneficiary_link", plans.physical):
        aws.client("dynamodb")  # one client, made before the race (as a warm process has)
        results = _race(_link_calls(plans, attempts))
    assert _outcomes(results) == {403: LIMIT, 429: RACERS - LIMIT}
    assert all(body_of(r)["error"]["code"] == "too_many_attempts" for r in results if r["statusCode"] == 429)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_concurrent_guesses_from_many_accounts_at_one_beneficiary_stop_at_the_limit(plans, round_):
    accounts = [signed_up(plans, f"swarm{round_}-{n}@example.com") for n in range(RACERS)]
    beneficiary = {**OKAFOR, "beneficiaryId": f"B-8{round_:05d}"}
    attempts = [(a.sub, {**beneficiary, "ssnLast4": f"{n + 10:04d}"}) for n, a in enumerate(accounts)]
    with function_env("beneficiary_link", plans.physical):
        aws.client("dynamodb")
        results = _race(_link_calls(plans, attempts))
    assert _outcomes(results) == {403: LIMIT, 429: RACERS - LIMIT}
    # Accounts refused by the beneficiary's limit guessed nothing: their own count is untouched.
    customers = CustomerRepository(plans.physical.tables["customers"])
    with function_env("beneficiary_link", plans.physical):
        counted = [
            customers.link_attempts(a.sub, limit=LIMIT, window_s=900).failures(int(time.time()))
            for a in accounts
        ]
    assert sorted(counted) == [0] * (RACERS - LIMIT) + [1] * LIMIT


def test_each_racer_reads_the_caller_of_its_own_request(plans, monkeypatch):
    """The harness itself: two racers inside their route at once each see their own caller
    (with Powertools' one current event per process, both would see the later request's)."""
    both_inside = threading.Barrier(2)
    seen: list[str] = []

    def caller_once_both_are_inside(app: Any) -> Any:
        both_inside.wait(timeout=60)
        seen.append(caller(app).sub)
        raise Forbidden("The race stops here.", code="stopped")  # nothing is counted

    monkeypatch.setattr(http, "caller", caller_once_both_are_inside)  # read when a copy loads
    attempts = [(sub, {**OKAFOR, "ssnLast4": "0000"}) for sub in ("racer-a", "racer-b")]
    with function_env("beneficiary_link", plans.physical):
        results = _race(_link_calls(plans, attempts))
    assert [r["statusCode"] for r in results] == [403, 403], results
    assert sorted(seen) == ["racer-a", "racer-b"]


def test_concurrent_attempts_in_an_expired_window_start_one_new_window_at_the_limit(plans):
    table = plans.physical.tables["enrollments"]
    key = {"pk": "BENEFICIARY#B-700000", "sk": "LINK_ATTEMPTS"}
    now = 1_900_000_000
    plans.client("dynamodb").put_item(
        TableName=table,
        Item={
            **{k: {"S": v} for k, v in key.items()},
            "failures": {"N": "5"},
            "windowStart": {"N": str(now - 900)},
        },
    )
    counter = AttemptCounter(table, key=key, limit=LIMIT, seconds=900)
    with function_env("beneficiary_link", plans.physical):
        aws.client("dynamodb")
        results = _race([lambda: counter.reserve(now) for _ in range(RACERS)])
        assert counter.failures(now) == LIMIT
    reserved = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, AttemptsExhausted)]
    assert len(reserved) == LIMIT and len(refused) == RACERS - LIMIT
    assert {r.window_start for r in reserved} == {now}  # one new window, not one per racer
    assert {r.retry_after_s for r in refused} == {900}
