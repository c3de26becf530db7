"""Data at rest: one customer-managed KMS key, the manifest's tables, buckets and secrets."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy, SecretValue, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infrastructure import manifest
from infrastructure.cdk.constructs.nag import acknowledge, acknowledge_regulatory

_TYPES = {"S": dynamodb.AttributeType.STRING, "N": dynamodb.AttributeType.NUMBER}


def _attribute(key: manifest.Key) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=key.name, type=_TYPES[key.type])


class Data(Construct):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.key = kms.Key(
            self,
            "Key",
            description="salesportal data at rest: tables, queues, buckets, secrets, topics",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        # A key of its own for field-level encryption of SSNs: its grants (encrypt only, one
        # function) are far narrower than the data key's, and its use is audited apart.
        self.pii_key = kms.Key(
            self,
            "PiiKey",
            description="salesportal personal identifiers (SSNs), field-level encryption",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        # CloudWatch Logs encrypts the log groups with the data key (logs may still say which
        # entity failed; they never hold personal data, but they are data at rest all the same).
        self.key.grant_encrypt_decrypt(iam.ServicePrincipal(f"logs.{Stack.of(self).region}.amazonaws.com"))
        self.tables = {t.name: self._table(t) for t in manifest.TABLES}
        self.buckets = {b.name: self._bucket(b) for b in manifest.BUCKETS}
        # Created with their shape, every field a placeholder: a function reading one before
        # `make secrets` has set it fails with SecretNotConfigured naming it (alarmed), not with
        # a parse error. CloudFormation writes the value only when this property changes, so a
        # deploy never resets a set secret, unless its fields in the manifest change.
        self.secrets = {
            s.name: secretsmanager.Secret(
                self,
                f"Secret-{s.name}",
                description=f"{s.description}: JSON {{{', '.join(repr(f) for f in s.fields)}}} (make secrets)",
                encryption_key=self.key,
                secret_object_value={
                    field: SecretValue.unsafe_plain_text(manifest.SECRET_PLACEHOLDER) for field in s.fields
                },
            )
            for s in manifest.SECRETS
        }
        for name, secret in self.secrets.items():
            acknowledge(
                secret,
                "AwsSolutions-SMG4",
                f"{name} is a third-party credential that cannot be rotated by AWS.",
            )
            acknowledge_regulatory(
                secret,
                "SecretsManagerRotationEnabled",
                f"{name} is issued by a third party; it is rotated in their console and updated here.",
                packs=("HIPAA.Security",),
            )

    def _table(self, spec: manifest.Table) -> dynamodb.Table:
        table = dynamodb.Table(
            self,
            f"Table-{spec.name}",
            partition_key=_attribute(spec.partition_key),
            sort_key=_attribute(spec.sort_key) if spec.sort_key else None,
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
            encryption_key=self.key,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES if spec.stream else None,
            time_to_live_attribute=spec.ttl_attribute,
            removal_policy=RemovalPolicy.RETAIN,
            deletion_protection=True,
        )
        for index in spec.indexes:
            table.add_global_secondary_index(
                index_name=index.name,
                partition_key=_attribute(index.partition_key),
                sort_key=_attribute(index.sort_key) if index.sort_key else None,
                projection_type=dynamodb.ProjectionType.ALL,
            )
        acknowledge_regulatory(
            table,
            "DynamoDBInBackupPlan",
            "Point-in-time recovery (35 days, any second) and deletion protection are on; an AWS "
            "Backup plan for long-term copies is the account's backup policy, outside this stack.",
            packs=("HIPAA.Security",),
        )
        return table

    def _bucket(self, spec: manifest.Bucket) -> s3.Bucket:
        if not hasattr(self, "_access_logs"):
            self._access_logs = s3.Bucket(
                self,
                "AccessLogs",
                encryption=s3.BucketEncryption.S3_MANAGED,  # log delivery cannot use a CMK
                block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
                enforce_ssl=True,
                object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
                lifecycle_rules=[s3.LifecycleRule(expiration=Duration.days(400))],
                removal_policy=RemovalPolicy.RETAIN,
            )
            acknowledge(self._access_logs, "AwsSolutions-S1", "This is the access-log bucket itself.")
            acknowledge_regulatory(
                self._access_logs,
                "S3DefaultEncryptionKMS",
                "S3 server access log delivery writes only to SSE-S3 buckets, not to KMS-encrypted ones.",
            )
            acknowledge_regulatory(
                self._access_logs,
                "S3BucketVersioningEnabled",
                "Access logs are written once and never overwritten; they expire after 400 days.",
            )
            self._acknowledge_replication(self._access_logs)
        bucket = s3.Bucket(
            self,
            f"Bucket-{spec.name}",
            encryption=s3.BucketEncryption.KMS,
            encryption_key=self.key,
            bucket_key_enabled=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            versioned=True,
            server_access_logs_bucket=self._access_logs,
            server_access_logs_prefix=f"{spec.name}/",
            removal_policy=RemovalPolicy.RETAIN,
        )
        self._acknowledge_replication(bucket)
        return bucket

    @staticmethod
    def _acknowledge_replication(bucket: s3.Bucket) -> None:
        acknowledge_regulatory(
            bucket,
            "S3BucketReplicationEnabled",
            "Single-region deployment: versioning and retention protect the objects; cross-region "
            "replication needs a second region's key and bucket, which the deployment does not have.",
        )
