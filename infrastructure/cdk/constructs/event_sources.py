"""Queue and stream triggers: partial batch responses, retries, and a place for failures."""

from __future__ import annotations

from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources

from infrastructure import manifest
from infrastructure.cdk.constructs.queues import QueueWithDlq


def attach(
    fn: manifest.Function,
    function: lambda_.Function,
    tables: dict[str, dynamodb.Table],
    queues: dict[str, QueueWithDlq],
) -> None:
    trigger = fn.trigger
    if isinstance(trigger, manifest.QueueTrigger):
        function.add_event_source(
            sources.SqsEventSource(
                queues[trigger.queue].queue,
                batch_size=trigger.batch_size,
                report_batch_item_failures=True,
                max_concurrency=trigger.max_concurrency,
            )
        )
    elif isinstance(trigger, manifest.StreamTrigger):
        for table in trigger.tables:
            function.add_event_source(
                sources.DynamoEventSource(
                    tables[table],
                    starting_position=lambda_.StartingPosition.TRIM_HORIZON,
                    batch_size=trigger.batch_size,
                    bisect_batch_on_error=True,
                    retry_attempts=5,
                    report_batch_item_failures=True,
                    on_failure=sources.SqsDlq(queues[trigger.failure_queue].queue),
                )
            )
