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
from infrastructure.manifest import Physical
from tests.support.lambdas import invoke

REGION = "us-east-1"


@dataclass(frozen=True)
class Stack:
    physical: Physical
    user_pool_client_id: str

    def invoke(self, function: str, event: dict[str, Any]) -> Any:
        return invoke(function, event, self.physical)

    def client(self, service: str) -> Any:
        return boto3.client(service, region_name=REGION)


@pytest.fixture
def stack() -> Iterator[Stack]:
    with mock_aws():
        physical, client_id = create_all(None, REGION)
        seed_catalog(None, REGION, physical)
        yield Stack(physical, client_id)
