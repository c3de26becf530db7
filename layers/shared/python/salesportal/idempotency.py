"""Powertools idempotency around a function, built on first use (never at import).

The persistence layer needs its table name (settings) and a DynamoDB client; building it
lazily keeps both out of import time, so ``mock_aws`` and the offline stack catch them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)

from salesportal import aws


def guard(
    function: Callable[..., dict[str, Any]], *, table_name: str, config: IdempotencyConfig, data_keyword: str
) -> Callable[..., dict[str, Any]]:
    """``function`` answering repeated calls (same key) with its first result; failures are not kept."""
    persistence = DynamoDBPersistenceLayer(table_name=table_name, boto3_client=aws.client("dynamodb"))
    guarded: Callable[..., dict[str, Any]] = idempotent_function(
        data_keyword_argument=data_keyword, persistence_store=persistence, config=config
    )(function)
    return guarded
