"""Logging, metrics and (opt-in) tracing, applied by one decorator on every entry point.

Logger and Metrics are cheap to create. A Tracer costs ~400 ms of cold start (it imports
and patches the X-Ray SDK), so it is created only where the manifest turns tracing on
(``POWERTOOLS_TRACE_DISABLED=false``), and only on the first invocation.
"""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics

logger = Logger(log_uncaught_exceptions=True)
# Most handlers emit no business metric on most requests; an empty flush is expected.
warnings.filterwarnings("ignore", message="No application metrics to publish")
# The namespace is a constant of the system, not of the deployment: stating it here keeps
# a metric valid even where the environment is read late (tests, local workers).
METRICS_NAMESPACE = "SalesPortal"
metrics = Metrics(namespace=METRICS_NAMESPACE)


def count(name: str, value: int = 1) -> None:
    """One business event (or ``value`` of them) under metric ``name``: what workflows are handed."""
    metrics.add_metric(name=name, unit="Count", value=value)


Handler = Callable[[dict[str, Any], Any], Any]


def _tracing_enabled() -> bool:
    return os.environ.get("POWERTOOLS_TRACE_DISABLED", "true").lower() == "false"


def entrypoint(correlation_id_path: str | None = None) -> Callable[[Handler], Handler]:
    """The decorator stack every ``lambda_handler`` wears.

    Events are never logged (they carry tokens and personal data); the correlation id
    (API request id, SQS message id) is attached to every log line instead.
    """

    def decorate(handler: Handler) -> Handler:
        observed = logger.inject_lambda_context(
            metrics.log_metrics(handler), correlation_id_path=correlation_id_path, clear_state=True
        )
        traced: list[Handler] = []

        @functools.wraps(handler)
        def wrapper(event: dict[str, Any], context: Any) -> Any:
            if not traced:
                traced.append(_with_tracer(observed) if _tracing_enabled() else observed)
            return traced[0](event, context)

        return wrapper

    return decorate


def _with_tracer(handler: Handler) -> Handler:
    from aws_lambda_powertools import Tracer

    return Tracer().capture_lambda_handler(handler, capture_response=False)
