"""POST /payments/webhook: the gateway's signed notices of asynchronous payment outcomes.

Public (the gateway has no Cognito token) but signed: the HMAC over the raw body is checked
before anything is parsed or believed. Deduplicated twice over: Powertools idempotency on
the event id, and state-guarded writes (a PROCESSING payment settles once).
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
from salesportal.domain import billing
from salesportal.errors import BadRequest, Conflict
from salesportal.http import header, json_response, rest_resolver
from salesportal.integrations.webhooks import InvalidSignature, verify
from salesportal.observability import entrypoint, logger, metrics

app = rest_resolver()
ACTOR = "system:payment-gateway"
_IDEMPOTENCY = IdempotencyConfig(event_key_jmespath="id", expires_after_seconds=7 * 24 * 3600)


class WebhookSettings(Settings):
    sales_table_name: str
    idempotency_table_name: str
    payment_gateway_secret_id: str


@cache
def _idempotent_apply() -> Callable[..., dict[str, Any]]:
    return idempotency.guard(
        _apply,
        table_name=load(WebhookSettings).idempotency_table_name,
        config=_IDEMPOTENCY,
        data_keyword="event",
    )


def _apply(event: dict[str, Any]) -> dict[str, Any]:
    intent = event["data"]["object"]
    metadata = intent.get("metadata") or {}
    customer_id, policy_id = metadata.get("customerId"), metadata.get("policyId")
    if not customer_id or not policy_id:
        logger.warning("webhook for a payment we did not make", extra={"event_id": event["id"]})
        return {"outcome": "ignored"}
    sales = SalesRepository(load(WebhookSettings).sales_table_name)
    payment = sales.get_payment(customer_id, policy_id, intent["id"])
    policy = sales.get_policy(customer_id, policy_id)
    if payment is None or policy is None:
        logger.warning(
            "webhook for an unknown payment", extra={"event_id": event["id"], "payment_id": intent["id"]}
        )
        return {"outcome": "unknown_payment"}
    now = datetime.now(UTC).isoformat()
    if event["type"] == "payment_intent.succeeded":
        purpose = payment["purpose"]
        fields = billing.paid_policy_fields(
            policy, purpose, int(payment["amountCents"]), intent["id"], payment.get("paymentMethod"), now
        )
        settled = sales.settle_payment(
            customer_id,
            policy_id,
            intent["id"],
            {"status": "SUCCEEDED", "settledAt": now},
            policy_fields=fields,
            expected_policy=billing.expected_status(purpose),
            actor=ACTOR,
        )
    elif event["type"] == "payment_intent.payment_failed":
        error = intent.get("last_payment_error") or {}
        settled = sales.settle_payment(
            customer_id,
            policy_id,
            intent["id"],
            {
                "status": "FAILED",
                "settledAt": now,
                "declineCode": error.get("decline_code") or error.get("code") or "declined",
                "declineMessage": error.get("message") or "The payment failed.",
            },
            policy_fields=None,
            expected_policy=(),
            actor=ACTOR,
        )
    else:
        return {"outcome": "ignored"}
    metrics.add_metric(name="WebhooksApplied" if settled else "WebhooksAlreadyApplied", unit="Count", value=1)
    logger.info(
        "payment webhook",
        extra={"event_id": event["id"], "type": event["type"], "settled": settled, "policy_id": policy_id},
    )
    return {"outcome": "settled" if settled else "already_settled"}


@app.post("/payments/webhook")
def receive() -> Any:
    raw = app.current_event.body or ""
    settings = load(WebhookSettings)
    secret = secrets.get_json(settings.payment_gateway_secret_id)["webhookSecret"]
    try:
        event = verify(raw.encode(), header(app, "Stripe-Signature"), secret, now=int(time.time()))
    except InvalidSignature as exc:
        logger.warning("webhook signature refused", extra={"reason": str(exc)})
        raise BadRequest(f"Invalid webhook signature: {exc}", code="invalid_signature") from None
    if (
        not isinstance(event.get("id"), str)
        or not isinstance(event.get("type"), str)
        or "object" not in (event.get("data") or {})
    ):
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
