"""Where alarms go (one encrypted SNS topic, e-mailed to the context's ``alarmEmail``) and what
raises them: functions, queues, the API, the WAF, failed sync runs, tables, streams, unset
secrets, and the month's AWS bill (an AWS Budgets budget).

The per-function and per-table alarms live in a nested stack: they are most of the alarms,
and a CloudFormation stack holds at most 500 resources.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_cdk import Aws, Duration, Fn, NestedStack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_budgets as budgets
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

METRICS_NAMESPACE = "SalesPortal"  # = salesportal.observability.METRICS_NAMESPACE
SECRET_NOT_CONFIGURED = "SecretNotConfigured"  # noqa: S105 (a metric name) = salesportal.secrets.METRIC
# A function whose p99 duration passes this share of its timeout is about to time out.
NEAR_TIMEOUT = 0.8
# A stream batch waiting longer than this: the outbox (audit records, domain events) lags.
ITERATOR_AGE_S = 300
# CloudWatch allows at most 10 metrics in one alarm's math expression.
MAX_ALARM_METRICS = 10
# Functions that run syncs and emit SyncRunsFailed when a run fails for good.
SYNC_RUNNERS = ("salesforce_poll", "salesforce_sync_worker", "plan_sync")
# The funnel on the dashboard: (metric, the function that emits it).
BUSINESS_METRICS = (
    ("QuotesCreated", "quotes"),
    ("ApplicationsSubmitted", "applications"),
    ("PoliciesIssued", "applications"),
    ("PaymentsSucceeded", "payments"),
    ("PaymentsDeclined", "payments"),
    ("AiQueriesAnswered", "ai_worker"),
    ("SalesforcePullRecords", "salesforce_poll"),
)


class Monitoring(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        key: kms.IKey,
        alarm_email: str | None,
        budget_monthly_usd: float,
    ) -> None:
        super().__init__(scope, construct_id)
        self.topic = sns.Topic(self, "Alarms", master_key=key, enforce_ssl=True)
        # CloudWatch and AWS Budgets publish to the encrypted topic with the key.
        for service in ("cloudwatch.amazonaws.com", "budgets.amazonaws.com"):
            key.grant(iam.ServicePrincipal(service), "kms:Decrypt", "kms:GenerateDataKey*")
        if alarm_email:
            # SNS e-mails a confirmation link first: nothing arrives until it is followed.
            self.topic.add_subscription(subscriptions.EmailSubscription(alarm_email))
        self.budget = self._budget(budget_monthly_usd)
        self.detail = NestedStack(
            self, "PerResource", description="salesportal alarms per function and per table"
        )

    def alarm(
        self,
        construct_id: str,
        metric: cloudwatch.IMetric,
        description: str,
        threshold: float = 1,
        *,
        scope: Construct | None = None,
        periods: int = 1,
        comparison: cloudwatch.ComparisonOperator = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    ) -> cloudwatch.Alarm:
        alarm = cloudwatch.Alarm(
            scope or self,
            construct_id,
            alarm_description=description,
            metric=metric,
            threshold=threshold,
            evaluation_periods=periods,
            comparison_operator=comparison,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        return alarm

    def _budget(self, monthly_usd: float) -> budgets.CfnBudget:
        """The account's monthly AWS cost: notified at 80 % of the amount spent and when the
        month's forecast passes it. (Account-wide: a budget per stack needs the
        aws:cloudformation:stack-name cost allocation tag activated in Billing first.)"""
        self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                actions=["sns:Publish"],
                principals=[iam.ServicePrincipal("budgets.amazonaws.com")],
                resources=[self.topic.topic_arn],
                conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}},
            )
        )
        subscriber = budgets.CfnBudget.SubscriberProperty(
            subscription_type="SNS", address=self.topic.topic_arn
        )
        return budgets.CfnBudget(
            self,
            "MonthlyCost",
            budget=budgets.CfnBudget.BudgetDataProperty(
                budget_type="COST",
                time_unit="MONTHLY",
                budget_limit=budgets.CfnBudget.SpendProperty(amount=monthly_usd, unit="USD"),
            ),
            notifications_with_subscribers=[
                budgets.CfnBudget.NotificationWithSubscribersProperty(
                    notification=budgets.CfnBudget.NotificationProperty(
                        notification_type=kind,
                        comparison_operator="GREATER_THAN",
                        threshold=percent,
                        threshold_type="PERCENTAGE",
                    ),
                    subscribers=[subscriber],
                )
                for kind, percent in (("ACTUAL", 80), ("FORECASTED", 100))
            ],
        )

    # -- per function and per table (in the nested stack) ---------------------------------
    def watch_duration(self, name: str, function: lambda_.IFunction, timeout_s: int) -> None:
        threshold_ms = NEAR_TIMEOUT * timeout_s * 1000
        self.alarm(
            f"{name}-NearTimeout",
            function.metric_duration(period=Duration.minutes(5), statistic="p99"),
            f"{name}'s p99 duration passed {NEAR_TIMEOUT:.0%} of its {timeout_s} s timeout.",
            threshold=threshold_ms,
            scope=self.detail,
            comparison=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        )

    def watch_iterator_age(self, name: str, function: lambda_.IFunction) -> None:
        age = cloudwatch.Metric(
            namespace="AWS/Lambda",
            metric_name="IteratorAge",
            dimensions_map={"FunctionName": function.function_name},
            statistic="Maximum",
            period=Duration.minutes(5),
        )
        self.alarm(
            f"{name}-IteratorAge",
            age,
            f"{name} is more than {ITERATOR_AGE_S} s behind its streams for 15 minutes.",
            threshold=ITERATOR_AGE_S * 1000,
            scope=self.detail,
            periods=3,
        )

    def watch_table(self, name: str, table: dynamodb.ITable) -> None:
        """Throttled requests and DynamoDB's own errors, over every operation and index. Both are
        kept per operation; a Metrics Insights query sums them, where metric math could hold
        only ten of the operations."""
        for metric, what in (("ThrottledRequests", "throttled requests"), ("SystemErrors", "system errors")):
            # A CloudWatch query over the stack's own table name, not SQL anyone sends.
            select = f'SELECT SUM({metric}) FROM SCHEMA("AWS/DynamoDB", Operation, TableName)'  # noqa: S608
            query = cloudwatch.MathExpression(
                expression=f"{select} WHERE TableName = '{table.table_name}'",
                using_metrics={},
                label=f"{name} {what}",
                period=Duration.minutes(5),
            )
            self.alarm(f"Table-{name}-{metric}", query, f"The {name} table had {what}.", scope=self.detail)

    def watch_secrets(self, function_names: list[str]) -> None:
        """A function read a secret that is still a placeholder or malformed (salesportal.secrets)."""
        for group, start in enumerate(range(0, len(function_names), MAX_ALARM_METRICS)):
            names = function_names[start : start + MAX_ALARM_METRICS]
            counts = {
                f"s{i}": cloudwatch.Metric(
                    namespace=METRICS_NAMESPACE,
                    metric_name=SECRET_NOT_CONFIGURED,
                    dimensions_map={"service": name},
                    statistic="Sum",
                    period=Duration.minutes(5),
                )
                for i, name in enumerate(names)
            }
            total = cloudwatch.MathExpression(
                expression=" + ".join(f"FILL({k}, 0)" for k in counts),
                using_metrics=counts,
                label="reads of an unset secret",
                period=Duration.minutes(5),
            )
            self.alarm(
                f"SecretNotConfigured-{group}",
                total,
                f"A secret is not configured ({', '.join(names)}): see the function's log for which; "
                "set it with `make secrets`.",
                scope=self.detail,
            )

    def watch_function(self, name: str, function: lambda_.IFunction) -> None:
        self.alarm(
            f"{name}-Errors", function.metric_errors(period=Duration.minutes(5)), f"{name} raised errors."
        )

    def watch_throttles(self) -> None:
        # One alarm for every function (the account's Throttles, which carry no function name):
        # a throttle anywhere means the concurrency pool is exhausted, whichever function it hit.
        # The dashboard shows which one. (A per-function pair of alarms cost 60 of the 500
        # resources a stack may hold.)
        throttles = lambda_.Function.metric_all_throttles(period=Duration.minutes(5), statistic="Sum")
        self.alarm("Lambda-Throttles", throttles, "A Lambda function was throttled.")

    # -- the service-level alarms (issue 6): each notifies the topic -----------------------
    def watch_api(self, api: apigw.RestApi) -> None:
        period = Duration.minutes(5)
        errors = api.metric_server_error(period=period, statistic="Sum")
        requests = api.metric_count(period=period, statistic="Sum")
        rate = cloudwatch.MathExpression(
            expression="IF(requests > 0, 100 * errors / requests, 0)",
            using_metrics={"errors": errors, "requests": requests},
            label="5xx rate (%)",
            period=period,
        )
        self.alarm("Api-5xxRate", rate, "More than 1% of API requests answered 5xx.", threshold=1)
        p99 = api.metric_latency(period=period, statistic="p99")
        self._sustained("Api-LatencyP99", p99, "The API's p99 latency was above 3 s for 15 minutes.", 3000, 3)

    def watch_queue_age(self, name: str, queue: sqs.IQueue, visibility_timeout_s: int) -> None:
        # Older than two visibility timeouts (at least 15 minutes): the worker is not keeping up or is stuck.
        threshold = max(900, 2 * visibility_timeout_s)
        self.alarm(
            f"{name}-OldestMessage",
            queue.metric_approximate_age_of_oldest_message(period=Duration.minutes(5), statistic="Maximum"),
            f"The oldest message on {name} has waited more than {threshold} s.",
            threshold=threshold,
        )

    def watch_waf(self, web_acl: wafv2.CfnWebACL) -> None:
        blocked = cloudwatch.Metric(
            namespace="AWS/WAFV2",
            metric_name="BlockedRequests",
            # The ACL's Ref is "name|id|scope"; its metrics are keyed by the name.
            dimensions_map={
                "WebACL": Fn.select(0, Fn.split("|", web_acl.ref)),
                "Rule": "ALL",
                "Region": Aws.REGION,
            },
            statistic="Sum",
            period=Duration.minutes(5),
        )
        self.alarm(
            "Waf-BlockedSpike", blocked, "WAF blocked more than 500 requests in 5 minutes.", threshold=500
        )

    def watch_sync_runs(self, function_name: str) -> None:
        failed = cloudwatch.Metric(
            namespace=METRICS_NAMESPACE,
            metric_name="SyncRunsFailed",
            dimensions_map={"service": function_name},
            statistic="Sum",
            period=Duration.minutes(5),
        )
        self.alarm(f"{function_name}-SyncRunFailed", failed, f"A {function_name} run failed for good.")

    def _sustained(
        self, construct_id: str, metric: cloudwatch.IMetric, description: str, threshold: float, periods: int
    ) -> None:
        alarm = cloudwatch.Alarm(
            self,
            construct_id,
            alarm_description=description,
            metric=metric,
            threshold=threshold,
            evaluation_periods=periods,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(actions.SnsAction(self.topic))

    def dashboard(
        self, api: apigw.RestApi, functions: Mapping[str, lambda_.IFunction], queues: Mapping[str, Any]
    ) -> cloudwatch.Dashboard:
        """One page for the 3 a.m. question "what is broken?", and the day's business beside it."""
        period = Duration.minutes(5)
        board = cloudwatch.Dashboard(self, "Dashboard", default_interval=Duration.hours(6))
        board.add_widgets(
            cloudwatch.GraphWidget(
                title="API requests and 5xx",
                left=[api.metric_count(period=period, statistic="Sum")],
                right=[api.metric_server_error(period=period, statistic="Sum")],
            ),
            cloudwatch.GraphWidget(
                title="API latency p50 / p99 (ms)",
                left=[api.metric_latency(period=period, statistic=s) for s in ("p50", "p99")],
            ),
        )
        board.add_widgets(
            cloudwatch.GraphWidget(
                title="Lambda errors",
                left=[f.metric_errors(period=period, label=name) for name, f in functions.items()],
                width=12,
            ),
            cloudwatch.GraphWidget(
                title="Lambda throttles",
                left=[f.metric_throttles(period=period, label=name) for name, f in functions.items()],
                width=12,
            ),
        )
        board.add_widgets(
            cloudwatch.GraphWidget(
                title="Oldest message per queue (s)",
                left=[
                    q.queue.metric_approximate_age_of_oldest_message(period=period, label=name)
                    for name, q in queues.items()
                ],
            ),
            cloudwatch.GraphWidget(
                title="Messages waiting in DLQs",
                left=[
                    q.dlq.metric_approximate_number_of_messages_visible(period=period, label=name)
                    for name, q in queues.items()
                ],
            ),
        )
        board.add_widgets(
            cloudwatch.GraphWidget(
                title="Business events",
                left=[
                    cloudwatch.Metric(
                        namespace=METRICS_NAMESPACE,
                        metric_name=metric,
                        dimensions_map={"service": service},
                        statistic="Sum",
                        period=Duration.hours(1),
                    )
                    for metric, service in BUSINESS_METRICS
                ],
                width=24,
            )
        )
        return board
