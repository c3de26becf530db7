"""Integration fixtures: the manifest's resources on moto's ``mock_aws``, seeded like the offline stack."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infrastructure.local.resources import create_all
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


@pytest.fixture
def stack(standins: StandIns) -> Iterator[Stack]:
    standins.state.faults.clear()
    with mock_aws():
        physical, client_id = create_all(
            None, REGION, service_urls=standins.base_urls, secret_values=secret_values(standins.config)
        )
        seed_catalog(None, REGION, physical)
        yield Stack(physical, client_id, standins)
