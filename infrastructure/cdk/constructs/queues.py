"""A work queue with its dead-letter queue and an alarm on the DLQ's depth."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infrastructure import manifest
from infrastructure.cdk.constructs.nag import acknowledge


class QueueWithDlq(Construct):
    """Nothing a customer submitted is lost: after ``max_receive_count`` tries a message
    waits in the DLQ (14 days) and the alarm tells a person."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: manifest.Queue,
        key: kms.IKey,
        alarm_topic: sns.ITopic,
    ) -> None:
        super().__init__(scope, construct_id)
        self.dlq = sqs.Queue(
            self,
            "Dlq",
            retention_period=Duration.days(14),
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=key,
            enforce_ssl=True,
        )
        acknowledge(self.dlq, "AwsSolutions-SQS3", "This queue is the dead-letter queue.")
        self.queue = sqs.Queue(
            self,
            "Queue",
            visibility_timeout=Duration.seconds(spec.visibility_timeout_s),
            retention_period=Duration.days(4),
            dead_letter_queue=sqs.DeadLetterQueue(max_receive_count=spec.max_receive_count, queue=self.dlq),
            encryption=sqs.QueueEncryption.KMS,  # the same key and transport rule as the DLQ
            encryption_master_key=key,
            enforce_ssl=True,
        )
        self.alarm = cloudwatch.Alarm(
            self,
            "DlqNotEmpty",
            alarm_description=f"Messages of {spec.name} failed every attempt and wait in its DLQ.",
            metric=self.dlq.metric_approximate_number_of_messages_visible(period=Duration.minutes(1)),
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        self.alarm.add_alarm_action(actions.SnsAction(alarm_topic))
