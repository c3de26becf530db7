"""Lazily created boto3 clients, one per service per process.

Created on first use, after configuration is read, so ``mock_aws`` and the offline stack
(via ``AWS_ENDPOINT_URL``) both catch them. No code here knows where AWS is.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

# Fail fast inside a Lambda's time budget: short connect, bounded read, three attempts with
# jittered backoff. ``total_max_attempts`` counts the first try; botocore's ``max_attempts``
# would count only the retries and add one.
_CONFIG = Config(
    connect_timeout=2,
    read_timeout=5,
    retries={"mode": "standard", "total_max_attempts": 3},
)


@cache
def _session() -> boto3.session.Session:
    # One session per process: it holds botocore's parsed service models, which cost
    # ~100 ms per client to load again.
    return boto3.session.Session()


# SigV4 everywhere: presigned S3 links then carry X-Amz-Expires (SigV2 is deprecated).
_SERVICE_CONFIG = {"s3": _CONFIG.merge(Config(signature_version="s3v4"))}

# Cognito fails a sign-up or sign-in whose trigger answers after 5 s, cold start included,
# and its own retry is the retry: one attempt, ~1.5 s at most per call.
_TRIGGER_CONFIG = Config(
    connect_timeout=0.5,
    read_timeout=1,
    retries={"mode": "standard", "total_max_attempts": 1},
)


@cache
def client(service: str) -> Any:
    return _session().client(service, config=_SERVICE_CONFIG.get(service, _CONFIG))  # type: ignore[call-overload]


@cache
def trigger_client(service: str) -> Any:
    """A client for Cognito triggers, which must answer inside Cognito's 5-second wait."""
    return _session().client(service, config=_TRIGGER_CONFIG)  # type: ignore[call-overload]


def reset() -> None:
    """Forget cached clients (tests switch between mocked and real endpoints)."""
    client.cache_clear()
    trigger_client.cache_clear()
