"""Creates the manifest's resources on an AWS endpoint (moto) with boto3.

The CDK app and this module read the same definitions (``infrastructure.manifest``), so the
offline stack, the integration tests (under ``mock_aws``) and AWS have the same tables,
indexes, streams, queues and pool. Physical names are ``<prefix>-<name>``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast

import boto3

from infrastructure import manifest
from infrastructure.manifest import Physical

if TYPE_CHECKING:
    from mypy_boto3_s3.literals import BucketLocationConstraintType

GROUPS = {"customers": 3, "agents": 2, "admins": 1}  # name -> precedence (lower wins)


def _key_schema(pk: manifest.Key, sk: manifest.Key | None) -> list[dict[str, str]]:
    schema = [{"AttributeName": pk.name, "KeyType": "HASH"}]
    if sk:
        schema.append({"AttributeName": sk.name, "KeyType": "RANGE"})
    return schema


def create_table(dynamodb: Any, table: manifest.Table, physical_name: str) -> None:
    keys = {table.partition_key, *([table.sort_key] if table.sort_key else [])}
    for index in table.indexes:
        keys |= {index.partition_key, *([index.sort_key] if index.sort_key else [])}
    params: dict[str, Any] = {
        "TableName": physical_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": k.name, "AttributeType": k.type} for k in sorted(keys, key=lambda k: k.name)
        ],
        "KeySchema": _key_schema(table.partition_key, table.sort_key),
    }
    if table.indexes:
        params["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index.name,
                "KeySchema": _key_schema(index.partition_key, index.sort_key),
                "Projection": {"ProjectionType": "ALL"},
            }
            for index in table.indexes
        ]
    if table.stream:
        params["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    dynamodb.create_table(**params)
    if table.ttl_attribute:
        dynamodb.update_time_to_live(
            TableName=physical_name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": table.ttl_attribute},
        )


def create_queue(sqs: Any, queue: manifest.Queue, physical_name: str) -> str:
    dlq_url = sqs.create_queue(QueueName=f"{physical_name}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    url: str = sqs.create_queue(
        QueueName=physical_name,
        Attributes={
            "VisibilityTimeout": str(queue.visibility_timeout_s),
            "RedrivePolicy": json.dumps(
                {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(queue.max_receive_count)}
            ),
        },
    )["QueueUrl"]
    return url


def create_user_pool(cognito: Any, prefix: str) -> tuple[str, str]:
    pool_id: str = cognito.create_user_pool(
        PoolName=f"{prefix}-users",
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        Policies={
            "PasswordPolicy": {
                "MinimumLength": 12,
                "RequireUppercase": True,
                "RequireLowercase": True,
                "RequireNumbers": True,
                "RequireSymbols": True,
            }
        },
    )["UserPool"]["Id"]
    client_id: str = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=f"{prefix}-spa",
        GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    for group, precedence in GROUPS.items():
        cognito.create_group(GroupName=group, UserPoolId=pool_id, Precedence=precedence)
    return pool_id, client_id


def subscribe(events: Any, sqs: Any, bus: str, queue: manifest.Queue, queue_url: str, prefix: str) -> None:
    """The EventBridge rule that delivers ``queue.subscribes_to`` events into the queue."""
    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    rule = f"{prefix}-{queue.name}"
    events.put_rule(
        Name=rule,
        EventBusName=bus,
        EventPattern=json.dumps(
            {"source": [manifest.EVENT_SOURCE], "detail-type": list(queue.subscribes_to)}
        ),
        State="ENABLED",
    )
    events.put_targets(Rule=rule, EventBusName=bus, Targets=[{"Id": queue.name, "Arn": arn}])


def create_all(
    endpoint_url: str | None,
    region: str,
    prefix: str = "salesportal",
    *,
    service_urls: dict[str, str] | None = None,
    secret_values: dict[str, dict[str, str]] | None = None,
) -> tuple[Physical, str]:
    """Create every manifest resource; returns the physical names and the SPA client id.

    ``service_urls`` point the outside services at their stand-ins; ``secret_values`` are
    the credentials those stand-ins accept.
    """
    # boto3's default session keeps parsed service models between calls (tests call this often).
    dynamodb = boto3.client("dynamodb", endpoint_url=endpoint_url, region_name=region)
    sqs = boto3.client("sqs", endpoint_url=endpoint_url, region_name=region)
    s3 = boto3.client("s3", endpoint_url=endpoint_url, region_name=region)
    secrets = boto3.client("secretsmanager", endpoint_url=endpoint_url, region_name=region)
    events = boto3.client("events", endpoint_url=endpoint_url, region_name=region)
    cognito = boto3.client("cognito-idp", endpoint_url=endpoint_url, region_name=region)
    ses = boto3.client("ses", endpoint_url=endpoint_url, region_name=region)
    kms = boto3.client("kms", endpoint_url=endpoint_url, region_name=region)

    tables = {t.name: f"{prefix}-{t.name}" for t in manifest.TABLES}
    for t in manifest.TABLES:
        create_table(dynamodb, t, tables[t.name])
    queue_urls = {q.name: create_queue(sqs, q, f"{prefix}-{q.name}") for q in manifest.QUEUES}
    buckets = {b.name: f"{prefix}-{b.name}" for b in manifest.BUCKETS}
    for name in buckets.values():
        if region == "us-east-1":
            s3.create_bucket(Bucket=name)
        else:
            s3.create_bucket(
                Bucket=name,
                CreateBucketConfiguration={
                    "LocationConstraint": cast("BucketLocationConstraintType", region)
                },
            )
    secret_ids = {}
    for secret in manifest.SECRETS:
        secret_ids[secret.name] = secrets.create_secret(
            Name=f"{prefix}/{secret.name}",
            Description=secret.description,
            SecretString=json.dumps((secret_values or {}).get(secret.name, {})),
        )["ARN"]
    bus = f"{prefix}-{manifest.EVENT_BUS}"
    events.create_event_bus(Name=bus)
    for q in manifest.QUEUES:
        if q.subscribes_to:
            subscribe(events, sqs, bus, q, queue_urls[q.name], prefix)
    sender = Physical.placeholders().notification_sender
    ses.verify_email_identity(EmailAddress=sender)
    pool_id, client_id = create_user_pool(cognito, prefix)
    pii_key = kms.create_key(Description=f"{prefix} personal data (SSNs)")["KeyMetadata"]["KeyId"]
    physical = Physical(
        tables=tables,
        queue_urls=queue_urls,
        buckets=buckets,
        secrets=secret_ids,
        event_bus=bus,
        user_pool_id=pool_id,
        service_urls=dict(
            service_urls or {s.name: f"http://127.0.0.1:9/{s.name}" for s in manifest.SERVICES}
        ),
        notification_sender=sender,
        pii_key_id=pii_key,
    )
    return physical, client_id
