"""Integration fixtures: the manifest's resources on moto's ``mock_aws``, seeded like the offline stack."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infrastructure.local.resources import create_all
from infrastructure.local.salesforce import SalesforceConfig, SalesforceStandIn, serve_salesforce
from infrastructure.local.seed import seed_catalog
from infrastructure.local.standins import StandInConfig, StandIns, secret_values, serve_standins
from infrastructure.manifest import Physical
from tests.support.lambdas import invoke

REGION = "us-east-1"


@dataclass(frozen=True)
class Stack:
    physical: Physical
    user_pool_client_id: str
    standins: StandIns

    def invoke(self, function: str, event: dict[str, Any]) -> Any:
        return invoke(function, event, self.physical)

    def client(self, service: str) -> Any:
        return boto3.client(service, region_name=REGION)


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


@pytest.fixture
def stack(standins: StandIns, salesforce: SalesforceStandIn) -> Iterator[Stack]:
    standins.state.faults.clear()
    with mock_aws():
        physical, client_id = create_all(
            None,
            REGION,
            service_urls={**standins.base_urls, "salesforce": salesforce.url},
            secret_values=secret_values(standins.config, salesforce.config),
        )
        seed_catalog(None, REGION, physical)
        yield Stack(physical, client_id, standins)
