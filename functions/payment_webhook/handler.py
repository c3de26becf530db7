"""POST /payments/webhook: the gateway's signed notices of asynchronous payment outcomes.

Public (the gateway has no Cognito token) but signed: the HMAC over the raw body is checked
before anything is parsed or believed. Deduplicated twice over: Powertools idempotency on
the event id, and state-guarded writes (a PROCESSING payment settles once).

A notice always settles its payment: a charge that succeeded after its premium stopped
being due (paid by another payment, policy cancelled or ended) is refunded in full at once
and recorded REFUNDED (outcome ``refunded``); see ``workflows.paying``.
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
from salesportal.contract import reads_headers, refusals, request_header, success
from salesportal.data.sales import SalesRepository, StateChanged
from salesportal.errors import BadRequest, Conflict, ServiceUnavailable
from salesportal.http import header, json_response, rest_resolver
from salesportal.integrations.http import DependencyError
from salesportal.integrations.payments import HttpPaymentGateway, PaymentGateway
from salesportal.integrations.webhooks import InvalidSignature, verify
from salesportal.models.policies import WebhookReceipt
from salesportal.observability import entrypoint, logger, metrics
from salesportal.workflows import paying

app = rest_resolver()
ACTOR = "system:payment-gateway"
SIGNATURE = r"^t=[0-9]+(,v1=[0-9a-f]{64})+$"  # the form verify() can accept
_IDEMPOTENCY = IdempotencyConfig(event_key_jmespath="id", expires_after_seconds=7 * 24 * 3600)


SUCCEEDED, FAILED = "payment_intent.succeeded", "payment_intent.payment_failed"


class WebhookSettings(Settings):
    sales_table_name: str
    idempotency_table_name: str
    payment_gateway_secret_id: str
    payments_base_url: str


@cache
def gateway() -> PaymentGateway:
    """Late settlements are refunded from here."""
    settings = load(WebhookSettings)
    return HttpPaymentGateway(
        settings.payments_base_url, secrets.get_json(settings.payment_gateway_secret_id)["apiKey"]
    )


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
    if event["type"] not in (SUCCEEDED, FAILED):
        return {"outcome": "ignored"}
    settings = load(WebhookSettings)
    ports = paying.Ports(
        SalesRepository(settings.sales_table_name), gateway(), ACTOR, datetime.now(UTC).isoformat()
    )
    payment = paying.webhook_payment(ports, customer_id, policy_id, intent)
    if payment is None:
        logger.warning(
            "webhook for an unknown payment", extra={"event_id": event["id"], "payment_id": intent["id"]}
        )
        return {"outcome": "unknown_payment"}
    if payment["status"] != "PROCESSING":
        outcome = "already_settled"
    elif event["type"] == SUCCEEDED:
        settled = paying.settle_succeeded(ports, customer_id, policy_id, payment, settles=True)
        outcome = {"paid": "settled", "refunded": "refunded"}.get(settled.kind, "already_settled")
    else:
        error = intent.get("last_payment_error") or {}
        decline = {
            "declineCode": error.get("decline_code") or error.get("code") or "declined",
            "declineMessage": error.get("message") or "The payment failed.",
        }
        try:
            paying.settle_failed(ports, customer_id, policy_id, intent["id"], decline)
            outcome = "settled"
        except StateChanged:
            outcome = "already_settled"
    metrics.add_metric(
        name={"settled": "WebhooksApplied", "refunded": "LateChargesRefunded"}.get(
            outcome, "WebhooksAlreadyApplied"
        ),
        unit="Count",
        value=1,
    )
    logger.info(
        "payment webhook",
        extra={"event_id": event["id"], "type": event["type"], "outcome": outcome, "policy_id": policy_id},
    )
    return {"outcome": outcome}


@app.post(
    "/payments/webhook",
    responses={
        200: success("Received (and applied once)", model=WebhookReceipt),
        **refusals(
            {
                400: "Signature missing, stale or wrong, or not an event (invalid_signature, invalid_event)",
                409: "The same event is being processed (event_in_progress)",
            }
        ),
    },
    openapi_extensions=reads_headers(
        request_header(
            "Stripe-Signature",
            "t=<unix time>,v1=<HMAC-SHA256 of t.body with the webhook secret>",
            pattern=SIGNATURE,
            required=True,
        )
    ),
)
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
    except DependencyError:
        # A late charge could not be refunded yet: nothing was recorded, the gateway redelivers.
        raise ServiceUnavailable(
            "The payment gateway did not answer; deliver this event again.",
            code="payment_gateway_unavailable",
        ) from None
    return json_response(200, {"received": True, **result})


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    _IDEMPOTENCY.register_lambda_context(context)
    return app.resolve(event, context)
