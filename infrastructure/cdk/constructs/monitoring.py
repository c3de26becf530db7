"""Where alarms go: one encrypted SNS topic, and the per-function alarms."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from constructs import Construct


class Monitoring(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, key: kms.IKey) -> None:
        super().__init__(scope, construct_id)
        self.topic = sns.Topic(self, "Alarms", master_key=key, enforce_ssl=True)
        # CloudWatch publishes to the encrypted topic with the key.
        key.grant(iam.ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*")

    def alarm(
        self, construct_id: str, metric: cloudwatch.IMetric, description: str, threshold: float = 1
    ) -> cloudwatch.Alarm:
        alarm = cloudwatch.Alarm(
            self,
            construct_id,
            alarm_description=description,
            metric=metric,
            threshold=threshold,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        return alarm

    def watch_function(self, name: str, function: lambda_.IFunction) -> None:
        period = Duration.minutes(5)
        self.alarm(f"{name}-Errors", function.metric_errors(period=period), f"{name} raised errors.")
        self.alarm(f"{name}-Throttles", function.metric_throttles(period=period), f"{name} was throttled.")
