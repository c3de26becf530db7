"""Integration fixtures: the manifest's resources on moto's ``mock_aws``, seeded like the offline stack.

One world per test module: creating it (tables, queues, the user pool, keys, secrets) costs
seconds, so a module's tests share it. Each test starts with the outside world's faults
cleared; the stand-ins' configuration, the secrets and the sender's identity as created; every
queue empty and no user in the pool. Tests make their own ids (a Funnel is a customer of its
own), and the few that read a whole table ask for it empty (``stack.reset_tables``).
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infrastructure import manifest
from infrastructure.local.resources import create_all, create_table
from infrastructure.local.salesforce import SalesforceConfig, SalesforceStandIn, serve_salesforce
from infrastructure.local.seed import seed_catalog
from infrastructure.local.standins import StandInConfig, StandIns, secret_values, serve_standins
from infrastructure.manifest import Physical
from tests.support import gateway
from tests.support.gateway import Query
from tests.support.lambdas import invoke

REGION = "us-east-1"


@dataclass(frozen=True)
class Stack:
    physical: Physical
    user_pool_client_id: str
    standins: StandIns
    secret_values: Mapping[str, str]  # secret name -> the SecretString the world was created with
    _clients: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def invoke(self, function: str, event: dict[str, Any]) -> Any:
        """``function`` by name, with an event its trigger sends (a queue, a stream, a schedule)."""
        return invoke(function, event, self.physical)

    def request(
        self,
        method: str,
        path: str,
        *,
        function: str | None = None,
        caller: Mapping[str, str] | None = None,
        body: Any = None,
        raw_body: str | None = None,
        headers: Mapping[str, str] | None = None,
        query: Query | None = None,
    ) -> Any:
        """An API request (``path`` without the stage), routed by the manifest to its function."""
        return gateway.request(
            self.invoke,
            method,
            path,
            function=function,
            caller=caller,
            body=body,
            raw_body=raw_body,
            headers=headers,
            query=query,
        )

    def send(self, event: dict[str, Any], *, function: str | None = None) -> Any:
        """A proxy event already built (a committed sample, an edited one), routed by its method and path."""
        return gateway.send(self.invoke, event, function=function)

    def client(self, service: str) -> Any:
        if service not in self._clients:  # creating a client costs more than most calls it makes
            self._clients[service] = boto3.client(service, region_name=REGION)
        return self._clients[service]

    def reset_tables(self, *names: str) -> None:
        """Empty these tables (and their streams) for a test that reads a whole table."""
        dynamodb = self.client("dynamodb")
        for name in names:
            dynamodb.delete_table(TableName=self.physical.tables[name])
            create_table(dynamodb, manifest.table(name), self.physical.tables[name])
        if "catalog" in names:
            seed_catalog(None, REGION, self.physical)

    def reset_buckets(self, *names: str) -> None:
        """Empty these buckets for a test that reads or lists every object."""
        s3 = self.client("s3")
        for name in names:
            bucket = self.physical.buckets[name]
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
                keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
                if keys:
                    s3.delete_objects(Bucket=bucket, Delete={"Objects": keys})


@pytest.fixture(scope="session")
def standins() -> Iterator[StandIns]:
    """The outside world on loopback; the clients' read timeout is 5 s, so 'slow' is 6 s."""
    servers = serve_standins(StandInConfig(slow_response_s=6.0, async_delay_s=0.1))
    yield servers
    servers.stop()


@pytest.fixture(scope="session")
def salesforce() -> Iterator[SalesforceStandIn]:
    """Salesforce on loopback over TLS; the handlers trust its certificate as deployed code
    would trust a private CA: through REQUESTS_CA_BUNDLE."""
    server = serve_salesforce(SalesforceConfig())
    saved = os.environ.get("REQUESTS_CA_BUNDLE")
    os.environ["REQUESTS_CA_BUNDLE"] = str(server.cert_path)
    yield server
    if saved is None:
        os.environ.pop("REQUESTS_CA_BUNDLE", None)
    else:
        os.environ["REQUESTS_CA_BUNDLE"] = saved
    server.stop()


@pytest.fixture(scope="module")
def world(standins: StandIns, salesforce: SalesforceStandIn) -> Iterator[Stack]:
    """The module's moto world: created and seeded once."""
    values = secret_values(standins.config, salesforce.config)
    standins.state.faults.clear()  # the module's own setup may call the stand-ins
    with mock_aws():
        physical, client_id = create_all(
            None,
            REGION,
            service_urls={**standins.base_urls, "salesforce": salesforce.url},
            secret_values=values,
        )
        seed_catalog(None, REGION, physical)
        created = {name: json.dumps(values.get(name, {})) for name in physical.secrets}
        yield Stack(physical, client_id, standins, created)


@pytest.fixture(scope="session")
def standin_config(standins: StandIns) -> dict[str, Any]:
    """The stand-ins' configuration as served, for tests that change it (the webhook URL) to put back."""
    return {f.name: getattr(standins.config, f.name) for f in dataclasses.fields(standins.config)}


@pytest.fixture
def stack(world: Stack, standin_config: dict[str, Any]) -> Stack:
    """The module's world, as each test expects to find it (see the module docstring)."""
    world.standins.state.faults.clear()
    for name, value in standin_config.items():
        setattr(world.standins.config, name, value)
    _restore_secrets(world)
    # A test may make SES refuse to send by deleting the sender's identity.
    world.client("ses").verify_email_identity(EmailAddress=world.physical.notification_sender)
    _purge_queues(world)
    _remove_users(world)
    return world


def _restore_secrets(world: Stack) -> None:
    from salesportal import secrets

    client = world.client("secretsmanager")
    for name, arn in world.physical.secrets.items():
        if client.get_secret_value(SecretId=arn)["SecretString"] != world.secret_values[name]:
            client.put_secret_value(SecretId=arn, SecretString=world.secret_values[name])
    secrets.reset()


def _purge_queues(world: Stack) -> None:
    # AWS (and moto, by default) allow one purge a minute per queue; tests come faster. Lifted
    # for these calls only, so nothing else in the process sees moto behave unlike AWS.
    sqs = world.client("sqs")
    saved = os.environ.get(_STRICT_PURGE)
    os.environ[_STRICT_PURGE] = "false"
    try:
        for url in sqs.list_queues().get("QueueUrls", []):
            sqs.purge_queue(QueueUrl=url)
    finally:
        if saved is None:
            del os.environ[_STRICT_PURGE]
        else:
            os.environ[_STRICT_PURGE] = saved


_STRICT_PURGE = "MOTO_SQS_ENFORCE_STRICT_QUEUE_PURGE_BEHAVIOUR"


def _remove_users(world: Stack) -> None:
    # A pool's usernames (emails here) are unique: tests sign people up by name, as a person would.
    cognito, pool = world.client("cognito-idp"), world.physical.user_pool_id
    for page in cognito.get_paginator("list_users").paginate(UserPoolId=pool):
        for user in page["Users"]:
            cognito.admin_delete_user(UserPoolId=pool, Username=user["Username"])
