"""One Lambda per manifest function, with its own role granting exactly the manifest's grants."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infrastructure import manifest
from infrastructure.cdk.constructs.nag import acknowledge, acknowledge_regulatory, flattened
from infrastructure.cdk.constructs.queues import QueueWithDlq
from infrastructure.layers import CORE, LAYERS
from infrastructure.manifest import Perm, Physical

ROOT = Path(__file__).resolve().parents[3]
# The Python the tests run on (the Makefile's venv) and the layers are built for (build_layers).
RUNTIME = lambda_.Runtime.PYTHON_3_13
_ASSET_EXCLUDE = ["__pycache__", "*.pyc"]

_READ = [
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DescribeTable",
]
_WRITE = [
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:DescribeTable",
]
# Explicit action lists instead of CDK's grant_*: no Scan, and no wildcards to excuse.
TABLE_ACTIONS = {
    Perm.READ: _READ,
    Perm.WRITE: _WRITE,
    Perm.READ_WRITE: sorted(set(_READ) | set(_WRITE)),
    # Append-only tables: a conditional put, never an update or a delete.
    Perm.APPEND: ["dynamodb:PutItem", "dynamodb:DescribeTable"],
}
KEY_ACTIONS = {
    Perm.READ: ["kms:Decrypt", "kms:DescribeKey"],
    Perm.WRITE: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
    Perm.READ_WRITE: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
    Perm.APPEND: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
}


@dataclass(frozen=True)
class Resources:
    tables: dict[str, dynamodb.Table]
    queues: dict[str, QueueWithDlq]
    buckets: dict[str, s3.Bucket]
    secrets: dict[str, secretsmanager.Secret]
    bus: events.EventBus
    user_pool_id: str
    pii_key: kms.IKey
    logs_key: kms.IKey


class Functions(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        resources: Resources,
        layers_dir: Path,
        service_urls: dict[str, str],
        notification_sender: str,
        allowed_origins: list[str],
    ) -> None:
        super().__init__(scope, construct_id)
        self.resources = resources
        self.shared_layer = lambda_.LayerVersion(
            self,
            "SharedLayer",
            code=lambda_.Code.from_asset(str(ROOT / "layers" / "shared"), exclude=_ASSET_EXCLUDE),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[lambda_.Architecture.ARM_64],
            description="salesportal shared code",
        )
        # One layer per entry of infrastructure.layers (built by `make layer`): core for every
        # function, the others only where the manifest names them.
        self.dependency_layers = {
            name: lambda_.LayerVersion(
                self,
                f"Layer-{name}",
                code=lambda_.Code.from_asset(str(layers_dir / name)),
                compatible_runtimes=[RUNTIME],
                compatible_architectures=[lambda_.Architecture.ARM_64],
                description=f"Third-party dependencies: {', '.join(packages)}",
            )
            for name, packages in LAYERS.items()
            if name == CORE or any(name in fn.layers for fn in manifest.FUNCTIONS)
        }
        physical = Physical(
            tables={n: t.table_name for n, t in resources.tables.items()},
            queue_urls={n: q.queue.queue_url for n, q in resources.queues.items()},
            buckets={n: b.bucket_name for n, b in resources.buckets.items()},
            secrets={n: s.secret_arn for n, s in resources.secrets.items()},
            event_bus=resources.bus.event_bus_name,
            user_pool_id=resources.user_pool_id,
            service_urls=service_urls,
            notification_sender=notification_sender,
            pii_key_id=resources.pii_key.key_arn,
            allowed_origins=tuple(allowed_origins),
        )
        self.notification_sender = notification_sender
        self._logs_key = resources.logs_key
        self.functions = {fn.name: self._function(fn, physical) for fn in manifest.FUNCTIONS}

    def _function(self, fn: manifest.Function, physical: Physical) -> lambda_.Function:
        log_group = logs.LogGroup(
            self,
            f"{fn.name}-Logs",
            retention=logs.RetentionDays.ONE_YEAR,
            encryption_key=self._logs_key,
            removal_policy=RemovalPolicy.RETAIN,
        )
        # An explicit role instead of AWSLambdaBasicExecutionRole: logs to its own group only.
        role = iam.Role(self, f"{fn.name}-Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
        log_group.grant_write(role)
        function = lambda_.Function(
            self,
            fn.name,
            description=fn.description,
            runtime=RUNTIME,
            architecture=lambda_.Architecture.ARM_64,
            code=lambda_.Code.from_asset(str(ROOT / fn.source_dir), exclude=_ASSET_EXCLUDE),
            handler=fn.handler,
            memory_size=fn.memory_mb,
            timeout=Duration.seconds(fn.timeout_s),
            # Every invocation is traced by the Lambda service (no cold-start cost); the X-Ray SDK
            # inside the handler (~400 ms of cold start) only where the manifest says tracing=True.
            tracing=lambda_.Tracing.ACTIVE,
            layers=[
                self.shared_layer,
                self.dependency_layers[CORE],
                *(self.dependency_layers[name] for name in fn.layers),
            ],
            environment=manifest.function_environment(fn, physical),
            log_group=log_group,
            role=role,
        )
        self._grant(fn, role)
        self._acknowledge_regulatory(fn, function, role)
        acknowledge(
            function,
            "AwsSolutions-L1",
            "Tested on python3.13, the runtime we deploy: the tests run on it and the dependency "
            "layers are built for it; a newer runtime comes with its own test run and lock.",
        )
        return function

    @staticmethod
    def _acknowledge_regulatory(fn: manifest.Function, function: lambda_.Function, role: iam.Role) -> None:
        acknowledge_regulatory(
            function,
            "LambdaInsideVPC",
            "Every dependency is an IAM-authorized AWS endpoint or an HTTPS SaaS API; no card data "
            "reaches the function (the gateway tokenizes it). A VPC would add NAT and cold start, not isolation.",
        )
        acknowledge_regulatory(
            function,
            "LambdaConcurrency",
            "Concurrency is bounded where it matters at the source (SQS maximum concurrency, API "
            "throttling); reserving it per function would fragment the account's pool.",
            packs=("HIPAA.Security",),
        )
        acknowledge_regulatory(
            function,
            "LambdaDLQ",
            "Not invoked asynchronously by callers: queue messages go to their queue's DLQ, stream "
            "batches to the outbox-failures queue, schedules to the schedule DLQ; API and Cognito "
            "invocations are synchronous.",
            packs=("HIPAA.Security",),
        )
        acknowledge_regulatory(
            role,
            "IAMNoInlinePolicy",
            f"The policy is generated from the manifest's grants for {fn.name} alone (least privilege, "
            "one role per function); a managed policy would be shared and broader.",
        )

    def _grant(self, fn: manifest.Function, role: iam.Role) -> None:
        r = self.resources
        for name, perm in fn.grants.tables.items():
            table = r.tables[name]
            indexes = [f"{table.table_arn}/index/{index.name}" for index in manifest.table(name).indexes]
            role.add_to_policy(
                iam.PolicyStatement(actions=TABLE_ACTIONS[perm], resources=[table.table_arn, *indexes])
            )
            if table.encryption_key:
                role.add_to_policy(
                    iam.PolicyStatement(actions=KEY_ACTIONS[perm], resources=[table.encryption_key.key_arn])
                )
        for name in fn.grants.send_queues:
            r.queues[name].queue.grant_send_messages(role)
        for name, perm in fn.grants.buckets.items():
            # Objects only, by explicit action: no List*, no GetBucket*, no wildcard to excuse.
            bucket = r.buckets[name]
            actions = []
            if perm in (Perm.READ, Perm.READ_WRITE):
                actions.append("s3:GetObject")
            if perm in (Perm.WRITE, Perm.READ_WRITE, Perm.APPEND):
                actions.append("s3:PutObject")
            role.add_to_policy(iam.PolicyStatement(actions=actions, resources=[bucket.arn_for_objects("*")]))
            acknowledge(
                role,
                f"AwsSolutions-IAM5[Resource::{flattened(role, bucket.arn_for_objects('*'))}]",
                f"{fn.name} reads or writes objects of the {name} bucket only, by key; object keys "
                "are per policy and not known in advance.",
            )
            if bucket.encryption_key:
                role.add_to_policy(
                    iam.PolicyStatement(actions=KEY_ACTIONS[perm], resources=[bucket.encryption_key.key_arn])
                )
        for name in fn.grants.secrets:
            r.secrets[name].grant_read(role)
        if fn.grants.put_events:
            r.bus.grant_put_events_to(role)
        if fn.grants.send_email:
            # Only from the deployment's sender identity (its domain or address, verified in SES).
            domain = self.notification_sender.split("@")[-1]
            identities = [
                Stack.of(self).format_arn(service="ses", resource="identity", resource_name=name)
                for name in (self.notification_sender, domain)
            ]
            role.add_to_policy(iam.PolicyStatement(actions=["ses:SendEmail"], resources=identities))
        if fn.grants.send_sms:
            role.add_to_policy(iam.PolicyStatement(actions=["sns:Publish"], resources=["*"]))
        if fn.grants.encrypt_pii:
            # Envelope encryption only (salesportal.pii): nothing in the system decrypts SSNs.
            role.add_to_policy(
                iam.PolicyStatement(actions=["kms:GenerateDataKey"], resources=[r.pii_key.key_arn])
            )
        if fn.grants.user_pool_actions:
            # The pool's ARN cannot be referenced from its own trigger (a circular dependency),
            # so the statement names the pools of this account and region.
            role.add_to_policy(
                iam.PolicyStatement(
                    actions=list(fn.grants.user_pool_actions), resources=[self._user_pools_arn()]
                )
            )
        self._acknowledge_wildcards(fn, role)

    def _user_pools_arn(self) -> str:
        return Stack.of(self).format_arn(service="cognito-idp", resource="userpool", resource_name="*")

    def _acknowledge_wildcards(self, fn: manifest.Function, role: iam.Role) -> None:
        """The wildcards AWS leaves no way around, each acknowledged as the one finding it is."""
        if fn.grants.user_pool_actions:
            pools = self._user_pools_arn()
            acknowledge(
                role,
                f"AwsSolutions-IAM5[Resource::{flattened(role, pools)}]",
                f"{fn.name} is a Cognito trigger: its pool cannot be named without a circular dependency; "
                f"the statement allows only {', '.join(fn.grants.user_pool_actions)}.",
            )
        if isinstance(fn.trigger, manifest.StreamTrigger):
            acknowledge(
                role,
                "AwsSolutions-IAM5[Resource::*]",
                "dynamodb:ListStreams, which Lambda's stream event source needs, takes no resource.",
            )
        acknowledge(role, "AwsSolutions-IAM5[Resource::*]", "X-Ray PutTraceSegments takes no resource.")
        if fn.grants.send_sms:
            acknowledge(
                role,
                "AwsSolutions-IAM5[Resource::*]",
                "SMS sent straight to a phone number (sns:Publish with PhoneNumber) has no topic to name.",
            )
        if fn.grants.send_queues or isinstance(fn.trigger, manifest.StreamTrigger):
            for action in ("kms:GenerateDataKey*", "kms:ReEncrypt*"):
                acknowledge(
                    role,
                    f"AwsSolutions-IAM5[Action::{action}]",
                    f"{fn.name} sends to a queue encrypted with the stack's key; CDK's queue grant "
                    "needs these key actions, on that one key only.",
                )
