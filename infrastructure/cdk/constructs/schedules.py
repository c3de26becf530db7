"""A schedule that runs a function, with retries and a DLQ for invocations that never ran."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infrastructure import manifest


class ScheduledFunction(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        trigger: manifest.ScheduleTrigger,
        function: lambda_.IFunction,
        dlq: sqs.IQueue,
    ) -> None:
        super().__init__(scope, construct_id)
        self.rule = events.Rule(
            self,
            "Rule",
            description=trigger.description or f"Runs {trigger.name}",
            schedule=events.Schedule.expression(trigger.cron.expression()),
            targets=[
                targets.LambdaFunction(
                    function, dead_letter_queue=dlq, retry_attempts=2, max_event_age=Duration.hours(2)
                )
            ],
        )
