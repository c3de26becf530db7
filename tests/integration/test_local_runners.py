"""The offline stack's event-source runners behave like Lambda's pollers (on mock_aws)."""

from __future__ import annotations

import json
import os
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest

from infrastructure import manifest
from infrastructure.local.lambdas import ROOT, LocalFunction
from infrastructure.local.moto_server import SerializedMotoServer
from infrastructure.local.resources import create_table
from infrastructure.local.runners import Runner, stream_record


class Recorder:
    def __init__(self, answer=None, error: Exception | None = None) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.answer = answer
        self.error = error

    def __call__(self, function: str, event: dict):
        self.calls.append((function, event))
        if self.error:
            raise self.error
        return self.answer(event) if callable(self.answer) else self.answer


def _runner(stack, invoke) -> Runner:
    return Runner(invoke, stack.physical, endpoint_url=None, region="us-east-1")


def _queue(stack):
    sqs = stack.client("sqs")
    url = stack.physical.queue_urls["outbox-failures"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return sqs, url, arn


def test_sqs_batch_deletes_successes_and_leaves_reported_failures(stack):
    sqs, url, arn = _queue(stack)
    for body in ("a", "b", "c"):
        sqs.send_message(QueueUrl=url, MessageBody=body)
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0)["Messages"]
    failed_id = next(m["MessageId"] for m in messages if m["Body"] == "b")
    invoke = Recorder(answer={"batchItemFailures": [{"itemIdentifier": failed_id}]})

    _runner(stack, invoke).deliver_sqs("worker", url, arn, messages)

    ((function, event),) = invoke.calls
    assert function == "worker"
    assert {r["body"] for r in event["Records"]} == {"a", "b", "c"}
    assert all(r["eventSource"] == "aws:sqs" and r["eventSourceARN"] == arn for r in event["Records"])
    remaining = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in remaining] == ["b"]


def test_a_crashed_invocation_deletes_nothing(stack):
    sqs, url, arn = _queue(stack)
    sqs.send_message(QueueUrl=url, MessageBody="a")
    messages = sqs.receive_message(QueueUrl=url, VisibilityTimeout=0)["Messages"]
    _runner(stack, Recorder(error=RuntimeError("boom"))).deliver_sqs("worker", url, arn, messages)
    assert len(sqs.receive_message(QueueUrl=url)["Messages"]) == 1


def _records(n: int) -> list[dict]:
    return [
        stream_record(
            {
                "eventID": f"e{i}",
                "eventName": "INSERT",
                "dynamodb": {"SequenceNumber": str(100 + i), "NewImage": {}},
            },
            "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/x",
        )
        for i in range(n)
    ]


def test_stream_retries_from_the_first_failed_record_then_parks_it(stack):
    fn = manifest.function("stream_processor")
    assert isinstance(fn.trigger, manifest.StreamTrigger)
    invoke = Recorder(answer=lambda event: {"batchItemFailures": [{"itemIdentifier": "101"}]})

    _runner(stack, invoke)._deliver_stream(fn, fn.trigger, _records(3))

    first, *retries = [[r["eventID"] for r in event["Records"]] for _, event in invoke.calls]
    assert first == ["e0", "e1", "e2"]
    assert retries and all(batch == ["e1", "e2"] for batch in retries)  # e0 is never re-sent
    sqs, url, _ = _queue(stack)
    (parked,) = sqs.receive_message(QueueUrl=url)["Messages"]
    info = json.loads(parked["Body"])["DDBStreamBatchInfo"]
    assert (info["startSequenceNumber"], info["endSequenceNumber"], info["batchSize"]) == ("101", "102", 2)


def test_a_fired_schedule_gets_a_scheduled_event(stack, monkeypatch):
    nightly = manifest.Function(
        "nightly", "test", manifest.ScheduleTrigger("nightly-test", manifest.Cron(minute="0", hour="2"))
    )
    monkeypatch.setattr(manifest, "FUNCTIONS", (*manifest.FUNCTIONS, nightly))
    invoke = Recorder(answer={"ok": True})
    runner = _runner(stack, invoke)

    assert runner.fire("nightly-test") == {"ok": True}
    ((function, event),) = invoke.calls
    assert (
        function == "nightly"
        and event["detail-type"] == "Scheduled Event"
        and event["source"] == "aws.events"
    )
    with pytest.raises(KeyError):
        runner.fire("no-such-schedule")


def _follow(runner: Runner, table: str) -> None:
    fn = manifest.function("stream_processor")
    assert isinstance(fn.trigger, manifest.StreamTrigger) and table in fn.trigger.tables
    runner._spawn(f"stream:{table}", runner._poll_stream, fn, fn.trigger, table)


def _delivered(invoke: Recorder) -> list[str]:
    """The partition keys of every record handed to the function, in order, repeats included."""
    return [r["dynamodb"]["Keys"]["pk"]["S"] for _, event in invoke.calls for r in event["Records"]]


def _eventually(probe, what: str, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if probe():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def moto_server():
    """moto in server mode, as the offline stack runs it (mock_aws lacks DynamoDB Streams here)."""
    server = SerializedMotoServer()
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def test_the_stream_runner_survives_a_cancelled_transaction_without_replaying(moto_server):
    # moto restores a copy of the whole table when a transaction is cancelled; an iterator
    # taken before keeps reading the replaced table's stream.
    dynamodb = boto3.client("dynamodb", endpoint_url=moto_server, region_name="us-east-1")
    placeholders = manifest.Physical.placeholders(f"runners-{uuid.uuid4().hex[:6]}")
    table = placeholders.tables["ai-queries"]
    create_table(dynamodb, next(t for t in manifest.TABLES if t.name == "ai-queries"), table)
    invoke = Recorder(answer={"batchItemFailures": []})
    runner = Runner(invoke, placeholders, endpoint_url=moto_server, region="us-east-1")
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "before"}, "sk": {"S": "x"}})
    _follow(runner, "ai-queries")
    try:
        _eventually(lambda: "before" in _delivered(invoke), "the first change")
        with pytest.raises(dynamodb.exceptions.TransactionCanceledException):
            dynamodb.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": table,
                            "Item": {"pk": {"S": "before"}, "sk": {"S": "x"}},
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    }
                ]
            )
        dynamodb.put_item(TableName=table, Item={"pk": {"S": "after"}, "sk": {"S": "x"}})
        _eventually(lambda: "after" in _delivered(invoke), "the change after the cancelled transaction")
    finally:
        runner.stop()
    assert _delivered(invoke) == ["before", "after"]  # nothing delivered twice


RENDEZVOUS_HANDLER = '''
import os, time
from pathlib import Path

def lambda_handler(event, context):
    """Arrives, then waits until every expected invocation has arrived: only concurrent ones can."""
    room = Path(event["room"])
    (room / context.aws_request_id).touch()
    deadline = time.monotonic() + event["timeout"]
    while len(list(room.iterdir())) < event["expected"]:
        if time.monotonic() > deadline:
            raise TimeoutError("the other invocations never ran alongside this one")
        time.sleep(0.01)
    return {"pid": os.getpid()}
'''


def test_a_function_runs_invocations_concurrently_up_to_its_concurrency(tmp_path):
    handler = tmp_path / "handler.py"
    handler.write_text(RENDEZVOUS_HANDLER)
    room = tmp_path / "room"
    room.mkdir()
    fn = manifest.Function("rendezvous", "test", manifest.ApiTrigger(()), timeout_s=60)
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT)}
    function = LocalFunction(fn, env, concurrency=4, handler=handler)
    event = {"room": str(room), "expected": 4, "timeout": 30}
    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            results = list(pool.map(lambda _: function.invoke(event), range(4)))
        assert len({r["pid"] for r in results}) == 4  # four environments, all at once
        assert function.workers == 4
        # Beyond its concurrency, invocations wait for a free environment; no fifth one starts.
        with ThreadPoolExecutor(max_workers=6) as pool:
            more = list(pool.map(lambda _: function.invoke({**event, "expected": 0}), range(6)))
        assert {r["pid"] for r in more} <= {r["pid"] for r in results}
    finally:
        started = time.monotonic()
        function.stop()
        assert time.monotonic() - started < 5 and function.workers == 0


@pytest.mark.parametrize("schedules", [True, False])
def test_the_scheduler_runs_only_when_the_stack_keeps_schedules_by_the_clock(monkeypatch, schedules):
    spawned: list[str] = []
    monkeypatch.setattr(Runner, "_spawn", lambda self, name, *_: spawned.append(name))
    placeholders = manifest.Physical.placeholders("runners-schedules")
    Runner(
        Recorder(answer=None), placeholders, endpoint_url=None, region="us-east-1", schedules=schedules
    ).start()
    assert ("scheduler" in spawned) is schedules
    assert any(name.startswith("sqs:") for name in spawned)  # queues and streams are polled either way
