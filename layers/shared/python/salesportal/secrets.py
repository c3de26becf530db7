"""Secrets Manager values (JSON objects): the one way a function reads a credential.

Kept for a few minutes rather than forever, so a rotated credential reaches warm functions
without a deploy; one GetSecretValue per secret per five minutes per process.

A secret is created by the deployment with its JSON shape and placeholder values
(``REPLACE_ME``) until someone sets it (``make secrets``). Reading one that is still a
placeholder, is not a JSON object or lacks a field the caller reads raises
``SecretNotConfigured``, naming the secret and the field: logged as an error and counted in
the ``SecretNotConfigured`` metric (which has an alarm), and answered 503 by the API's error
map, never a traceback from deep inside a client.
"""

from __future__ import annotations

import json
import time
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from salesportal import aws
from salesportal.errors import ServiceUnavailable
from salesportal.observability import logger, metrics

TTL_S = 300.0
PLACEHOLDER = "REPLACE_ME"  # = infrastructure.manifest.SECRET_PLACEHOLDER: the value the CDK app creates every field with
METRIC = "SecretNotConfigured"
_cache: dict[str, tuple[float, SecretValue]] = {}


class SecretNotConfigured(ServiceUnavailable):
    """A credential this deployment needs has not been set: an operator's job, not the caller's.

    The API answers 503 ``not_configured`` without naming the secret; ``secret`` and
    ``problem`` are for the logs and the person who gets the alarm.
    """

    code = "not_configured"

    def __init__(self, secret_id: str, problem: str) -> None:
        self.secret = label(secret_id)
        self.problem = problem
        super().__init__(
            "A service this request needs is not configured yet; the operators have been alerted."
        )
        self.args = (f"secret {self.secret} is not configured: {problem} (set it with `make secrets`)",)


class SecretValue(dict[str, Any]):
    """A secret's fields; reading one it does not have is a configuration error, not a KeyError."""

    def __init__(self, secret_id: str, fields: dict[str, Any]) -> None:
        super().__init__(fields)
        self.secret_id = secret_id

    def __missing__(self, key: str) -> Any:
        raise _not_configured(self.secret_id, f"it has no field {key!r}")


def label(secret_id: str) -> str:
    """A secret's name from its ARN (Secrets Manager appends ``-`` and six random characters)."""
    if not secret_id.startswith("arn:"):
        return secret_id
    name = secret_id.split(":secret:", 1)[-1]
    stem, _, suffix = name.rpartition("-")
    return stem if stem and len(suffix) == 6 else name


def problems(fields: Any, required: tuple[str, ...] = ()) -> list[str]:
    """What keeps a secret's parsed value from being usable (empty when it is)."""
    if not isinstance(fields, dict) or not fields:
        return ["it is not a JSON object with fields"]
    found = [f"field {k!r} is still the placeholder" for k, v in fields.items() if v == PLACEHOLDER]
    found += [f"field {k!r} is empty" for k, v in fields.items() if v in ("", None)]
    found += [f"it has no field {k!r}" for k in required if k not in fields]
    return found


def get_json(secret_id: str, *required: str) -> SecretValue:
    """The secret's fields, each set; ``required`` names fields that must be present."""
    cached = _cache.get(secret_id)
    if cached and time.monotonic() - cached[0] < TTL_S:
        value = cached[1]
    else:
        raw = aws.client("secretsmanager").get_secret_value(SecretId=secret_id).get("SecretString")
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        found = problems(parsed)
        if found or not isinstance(parsed, dict):
            raise _not_configured(secret_id, "; ".join(found))
        value = SecretValue(secret_id, parsed)
        _cache[secret_id] = (time.monotonic(), value)
    missing = [k for k in required if k not in value]
    if missing:
        raise _not_configured(secret_id, "; ".join(f"it has no field {k!r}" for k in missing))
    return value


def _not_configured(secret_id: str, problem: str) -> SecretNotConfigured:
    error = SecretNotConfigured(secret_id, problem)
    logger.error(str(error), extra={"secret": error.secret, "alarm": METRIC})
    metrics.add_metric(name=METRIC, unit=MetricUnit.Count, value=1)
    return error


def reset() -> None:
    _cache.clear()
