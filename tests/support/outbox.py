"""What AWS does between a committed write and the outbox's consumers, in an integration test."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

from infrastructure import manifest
from infrastructure.local.runners import stream_record


def through_stream_processor(stack: Any) -> None:
    """Every record of the outbox tables' streams through the stream processor, in its
    batches (a record seen before is written once: the processor is idempotent)."""
    trigger = manifest.function("stream_processor").trigger
    assert isinstance(trigger, manifest.StreamTrigger)
    dynamodb = stack.client("dynamodb")
    # botocore aims a stream ARN's calls at an account endpoint moto's mock does not route.
    streams = boto3.client(
        "dynamodbstreams", region_name="us-east-1", config=Config(account_id_endpoint_mode="disabled")
    )
    for table in trigger.tables:
        arn = dynamodb.describe_table(TableName=stack.physical.tables[table])["Table"]["LatestStreamArn"]
        shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
        records = streams.get_records(ShardIterator=iterator["ShardIterator"], Limit=1000)["Records"]
        for start in range(0, len(records), trigger.batch_size):
            batch = [stream_record(r, arn) for r in records[start : start + trigger.batch_size]]
            assert stack.invoke("stream_processor", {"Records": batch}) == {"batchItemFailures": []}
