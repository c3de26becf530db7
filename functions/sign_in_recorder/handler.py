"""Cognito post-authentication trigger: counts each sign-in for analytics.

Only the user's sub and the day are used: no password, token, email or IP is read or
logged. Cognito fails the sign-in when a trigger fails or takes over 5 seconds, and a
counter must never lock anyone out: DynamoDB gets short timeouts and no retries, and a
failure is logged and the event returned all the same.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools.utilities.data_classes import event_source
from aws_lambda_powertools.utilities.data_classes.cognito_user_pool_event import (
    PostAuthenticationTriggerEvent,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal import aws
from salesportal.config import Settings, load
from salesportal.data.analytics import AnalyticsRepository
from salesportal.observability import entrypoint, logger, metrics


class SignInSettings(Settings):
    analytics_table_name: str


@cache
def _repository() -> AnalyticsRepository:
    # Two calls at most (marker, counter), each given up after ~1.5 s.
    return AnalyticsRepository(load(SignInSettings).analytics_table_name, aws.trigger_client("dynamodb"))


@entrypoint()
@event_source(data_class=PostAuthenticationTriggerEvent)
def lambda_handler(event: PostAuthenticationTriggerEvent, context: LambdaContext) -> dict[str, Any]:
    sub = (event.raw_event.get("request") or {}).get("userAttributes", {}).get("sub")
    if not sub:  # read defensively: a malformed event must not fail the sign-in either
        logger.warning("post-authentication event without a sub; not counted")
        return event.raw_event
    now = datetime.now(UTC)
    try:
        first = _repository().count_sign_in(sub, now.date(), now)
    except Exception:
        logger.exception("could not count a sign-in; the sign-in goes ahead", extra={"user_id": sub})
        return event.raw_event
    metrics.add_metric(name="SignIns", unit="Count", value=1)
    logger.info("sign-in counted", extra={"user_id": sub, "first_today": first})
    return event.raw_event
