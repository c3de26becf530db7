"""POST /payments/webhook: the gateway's signed notices of asynchronous payment outcomes.

Public (the gateway has no Cognito token) but signed: the HMAC over the raw body is checked
before anything is parsed or believed. Deduplicated twice over: Powertools idempotency on
the event id, and state-guarded writes (a PROCESSING payment settles once). A notice always
settles its payment, a late one by refunding it in full (``workflows.paying.settle``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig
from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal import idempotency, secrets
from salesportal.config import Settings, load
from salesportal.data.sales import SalesRepository
from salesportal.errors import BadRequest, Conflict
from salesportal.http import header, json_response, rest_resolver
from salesportal.integrations.payments import payment_gateway
from salesportal.integrations.webhooks import InvalidSignature, verify
from salesportal.models.policies import WEBHOOK_DOCS, notice_of
from salesportal.observability import count, entrypoint, logger
from salesportal.workflows import paying

app = rest_resolver()
ACTOR = "system:payment-gateway"
_IDEMPOTENCY = IdempotencyConfig(event_key_jmespath="id", expires_after_seconds=7 * 24 * 3600)


class WebhookSettings(Settings):
    sales_table_name: str
    idempotency_table_name: str
    payment_gateway_secret_id: str
    payments_base_url: str


@cache
def _idempotent_apply() -> Callable[..., dict[str, Any]]:
    table = load(WebhookSettings).idempotency_table_name
    return idempotency.guard(_apply, table_name=table, config=_IDEMPOTENCY, data_keyword="event")


def _apply(event: dict[str, Any]) -> dict[str, Any]:
    s = load(WebhookSettings)
    gateway = payment_gateway(s.payments_base_url, s.payment_gateway_secret_id)  # late charges are refunded
    ports = paying.Ports(SalesRepository(s.sales_table_name), gateway, ACTOR, datetime.now(UTC), count)
    notice = notice_of(event)
    outcome = paying.settle(ports, notice) if notice is not None else "ignored"
    logger.info("payment webhook", extra={"event_id": event["id"], "type": event["type"], "outcome": outcome})
    return {"outcome": outcome}


@app.post("/payments/webhook", **WEBHOOK_DOCS)
def receive() -> Any:
    raw = app.current_event.body or ""
    secret = secrets.get_json(load(WebhookSettings).payment_gateway_secret_id)["webhookSecret"]
    try:
        event = verify(raw.encode(), header(app, "Stripe-Signature"), secret, now=int(time.time()))
    except InvalidSignature as exc:
        logger.warning("webhook signature refused", extra={"reason": str(exc)})
        raise BadRequest(f"Invalid webhook signature: {exc}", code="invalid_signature") from None
    if notice_of(event) is None:
        raise BadRequest("A webhook event needs id, type and data.object.", code="invalid_event")
    try:
        result = _idempotent_apply()(event=event)
    except IdempotencyAlreadyInProgressError:
        raise Conflict("This event is being processed.", code="event_in_progress") from None
    return json_response(200, {"received": True, **result})


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    _IDEMPOTENCY.register_lambda_context(context)
    return app.resolve(event, context)
