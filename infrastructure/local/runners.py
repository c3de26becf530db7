"""Event-source runners: what Lambda's pollers and EventBridge's scheduler do on AWS.

- SQS: long-poll, invoke with a batch, delete what succeeded (partial batch response),
  leave failures to reappear after the visibility timeout; moto redrives them to the DLQ.
- DynamoDB streams: read each shard in order, invoke, retry from the first failed record,
  and after the last attempt park the failed records in the trigger's failure queue.
- Schedules: evaluate each cron once a minute; ``fire`` runs one now.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import boto3

from infrastructure import manifest
from infrastructure.local.cron import matches
from infrastructure.local.lambdas import ACCOUNT
from infrastructure.manifest import Physical

Invoke = Callable[[str, dict[str, Any]], Any]
STREAM_ATTEMPTS = 3
STREAM_REDESCRIBE_S = 5.0


def _log(message: str) -> None:
    print(f"[local] {message}", flush=True)


class Runner:
    def __init__(
        self, invoke: Invoke, physical: Physical, endpoint_url: str, region: str, *, schedules: bool = True
    ) -> None:
        self.invoke = invoke
        self.schedules = schedules  # off: schedules run only when fired (POST /_local/schedules/<name>)
        self.physical = physical
        self.region = region
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        # Per table: (stream ARN, shard id) -> the last sequence number handed to the function.
        self._delivered: dict[str, dict[tuple[str, str], str]] = {}
        self._sqs = boto3.client("sqs", endpoint_url=endpoint_url, region_name=region)
        self._dynamodb = boto3.client("dynamodb", endpoint_url=endpoint_url, region_name=region)
        self._streams = boto3.client("dynamodbstreams", endpoint_url=endpoint_url, region_name=region)

    # -- lifecycle -------------------------------------------------------------------
    def start(self) -> None:
        for fn in manifest.FUNCTIONS:
            trigger = fn.trigger
            if isinstance(trigger, manifest.QueueTrigger):
                self._spawn(f"sqs:{fn.name}", self._poll_queue, fn, trigger)
            elif isinstance(trigger, manifest.StreamTrigger):
                for table in trigger.tables:
                    self._spawn(f"stream:{table}", self._poll_stream, fn, trigger, table)
        if self.schedules:
            self._spawn("scheduler", self._scheduler)

    def stop(self) -> None:
        self._stop.set()
        # One deadline for all: a poller inside a long invocation is left to Functions.stop.
        deadline = time.monotonic() + 5
        for thread in self._threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))

    def _spawn(self, name: str, target: Callable[..., None], *args: Any) -> None:
        def guarded() -> None:
            while not self._stop.is_set():
                try:
                    target(*args)
                    return
                except Exception as exc:  # keep the local stack alive; say what broke
                    _log(f"{name} failed: {type(exc).__name__}: {exc}; restarting")
                    self._stop.wait(1)

        thread = threading.Thread(target=guarded, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    # -- SQS -------------------------------------------------------------------------
    def _poll_queue(self, fn: manifest.Function, trigger: manifest.QueueTrigger) -> None:
        sqs = self._sqs
        url = self.physical.queue_urls[trigger.queue]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        while not self._stop.is_set():
            messages = sqs.receive_message(
                QueueUrl=url,
                MaxNumberOfMessages=min(trigger.batch_size, 10),
                WaitTimeSeconds=1,
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
            ).get("Messages", [])
            if messages:
                self.deliver_sqs(fn.name, url, arn, messages)

    def deliver_sqs(self, function: str, url: str, arn: str, messages: Sequence[Mapping[str, Any]]) -> None:
        event = {"Records": [sqs_record(m, arn, self.region) for m in messages]}
        try:
            result = self.invoke(function, event) or {}
            failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
        except Exception as exc:
            _log(f"{function} failed on {len(messages)} messages, they will be retried: {exc}")
            return
        done = [m for m in messages if m["MessageId"] not in failed]
        if done:
            self._sqs.delete_message_batch(
                QueueUrl=url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)],
            )

    # -- DynamoDB streams -----------------------------------------------------------
    def _poll_stream(self, fn: manifest.Function, trigger: manifest.StreamTrigger, table: str) -> None:
        streams = self._streams
        table_name = self.physical.tables[table]
        # Kept across restarts of this poller: a restart resumes, it never replays.
        delivered = self._delivered.setdefault(table, {})
        shard, described = self._current_shard(table_name), time.monotonic()
        iterator: str | None = None
        while not self._stop.is_set():
            if iterator is None:
                if time.monotonic() - described > STREAM_REDESCRIBE_S:
                    shard, described = self._current_shard(table_name), time.monotonic()
                iterator = self._iterator(shard, delivered.get(shard))
            response = streams.get_records(ShardIterator=iterator, Limit=trigger.batch_size)
            records = [stream_record(r, shard[0]) for r in response["Records"]]
            if records:
                self._deliver_stream(fn, trigger, records)
                # Delivered or parked, as Lambda would: the shard moves past them either way.
                delivered[shard] = records[-1]["dynamodb"]["SequenceNumber"]
                iterator = response.get("NextShardIterator")
            else:
                # A cancelled transaction makes moto replace the table with a copy, and an
                # iterator taken before keeps reading the old table's stream: an idle shard
                # takes a fresh iterator, after the last record delivered. Now and then the
                # stream is described again too, in case the table's stream itself changed.
                iterator = None
                self._stop.wait(0.2)

    def _current_shard(self, table_name: str) -> tuple[str, str]:
        """The table's current stream and its open shard (moto's streams have exactly one)."""
        arn = self._dynamodb.describe_table(TableName=table_name)["Table"]["LatestStreamArn"]
        description = self._streams.describe_stream(StreamArn=arn)["StreamDescription"]
        return arn, description["Shards"][-1]["ShardId"]

    def _iterator(self, shard: tuple[str, str], after: str | None) -> str:
        arn, shard_id = shard
        if after:
            answer = self._streams.get_shard_iterator(
                StreamArn=arn,
                ShardId=shard_id,
                ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                SequenceNumber=after,
            )
        else:
            answer = self._streams.get_shard_iterator(
                StreamArn=arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON"
            )
        return str(answer["ShardIterator"])

    def _deliver_stream(
        self, fn: manifest.Function, trigger: manifest.StreamTrigger, records: list[dict[str, Any]]
    ) -> None:
        pending = records
        for _attempt in range(STREAM_ATTEMPTS):
            try:
                result = self.invoke(fn.name, {"Records": pending}) or {}
                failures = [f["itemIdentifier"] for f in result.get("batchItemFailures", [])]
            except Exception as exc:
                _log(f"{fn.name} failed on a stream batch: {exc}")
                failures = [pending[0]["dynamodb"]["SequenceNumber"]]
            if not failures:
                return
            # Lambda resumes from the first failed record, keeping the shard in order.
            first = min(int(f) for f in failures)
            pending = [r for r in pending if int(r["dynamodb"]["SequenceNumber"]) >= first]
        self._park(trigger, pending)

    def _park(self, trigger: manifest.StreamTrigger, records: list[dict[str, Any]]) -> None:
        """What Lambda's on-failure destination receives: where the records were, not them."""
        sequence = [r["dynamodb"]["SequenceNumber"] for r in records]
        message = {
            "requestContext": {
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": STREAM_ATTEMPTS,
            },
            "DDBStreamBatchInfo": {
                "startSequenceNumber": sequence[0],
                "endSequenceNumber": sequence[-1],
                "batchSize": len(records),
                "streamArn": records[0]["eventSourceARN"],
            },
        }
        self._sqs.send_message(
            QueueUrl=self.physical.queue_urls[trigger.failure_queue], MessageBody=json.dumps(message)
        )
        _log(f"parked {len(records)} stream records in {trigger.failure_queue}")

    # -- schedules -------------------------------------------------------------------
    def _scheduler(self) -> None:
        last_minute = None
        while not self._stop.is_set():
            now = datetime.now(UTC).replace(second=0, microsecond=0)
            if now != last_minute:
                last_minute = now
                for fn in manifest.FUNCTIONS:
                    if isinstance(fn.trigger, manifest.ScheduleTrigger) and matches(fn.trigger.cron, now):
                        threading.Thread(target=self.fire, args=(fn.trigger.name,), daemon=True).start()
            self._stop.wait(1)

    def fire(self, schedule: str) -> Any:
        for fn in manifest.FUNCTIONS:
            if isinstance(fn.trigger, manifest.ScheduleTrigger) and fn.trigger.name == schedule:
                _log(f"schedule {schedule} -> {fn.name}")
                return self.invoke(fn.name, scheduled_event(schedule, self.region))
        raise KeyError(schedule)


def sqs_record(message: Mapping[str, Any], arn: str, region: str) -> dict[str, Any]:
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        # Lambda spells attribute fields in camelCase (stringValue), the SQS API in PascalCase.
        "messageAttributes": {
            name: {key[0].lower() + key[1:]: value for key, value in attribute.items()}
            for name, attribute in message.get("MessageAttributes", {}).items()
        },
        "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": arn,
        "awsRegion": region,
    }


def stream_record(record: Mapping[str, Any], arn: str) -> dict[str, Any]:
    """boto3 parses the commit time into a datetime; Lambda delivers epoch seconds."""
    dynamodb = dict(record["dynamodb"])
    created = dynamodb.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        dynamodb["ApproximateCreationDateTime"] = int(created.timestamp())
    return {**record, "eventVersion": "1.1", "dynamodb": dynamodb, "eventSourceARN": arn}


def scheduled_event(schedule: str, region: str) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [f"arn:aws:events:{region}:{ACCOUNT}:rule/{schedule}"],
        "detail": {},
    }
