"""Premium payments and cancellations, through the payment gateway.

Charging once, whatever happens:
- the client's ``Idempotency-Key`` guards the handler (Powertools idempotency, keyed by
  caller, policy and key; the same key with another payment method is refused);
- the attempt is written on the policy before the gateway is called, conditional on the
  premium being due and no other attempt in flight: a second key while a payment is
  processing is 409 ``payment_processing`` and charges nothing (``workflows.paying``);
- the key is passed on to the gateway, so a retry after a gateway timeout replays the
  charge the gateway already made instead of charging again.

A cancellation refunds the unused part of every paid term pro rata; a payment still
processing is named as a pending refund and refunded in full when it settles.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal import idempotency, secrets
from salesportal.config import Settings, load
from salesportal.contract import LOCATION, reads_headers, refusals, request_header, success
from salesportal.data.sales import SalesRepository
from salesportal.errors import (
    BadRequest,
    Conflict,
    PaymentRequired,
    ServiceUnavailable,
    Unprocessable,
)
from salesportal.http import caller, header, json_response, rest_resolver
from salesportal.integrations.http import DependencyError
from salesportal.integrations.payments import (
    HttpPaymentGateway,
    PaymentDeclined,
    PaymentGateway,
    PaymentRejected,
)
from salesportal.models.applications import ULID_PATTERN
from salesportal.models.policies import CancellationRequest, Payment, PaymentRequest, Policy
from salesportal.observability import entrypoint, logger, metrics
from salesportal.workflows import paying

app = rest_resolver()
PolicyId = Annotated[str, Path(alias="policyId", pattern=ULID_PATTERN)]
IDEMPOTENCY_KEY = r"^[A-Za-z0-9_-]{8,64}$"
IDEMPOTENCY_WINDOW_S = 24 * 3600


class PaymentsSettings(Settings):
    sales_table_name: str
    idempotency_table_name: str
    payments_base_url: str
    payment_gateway_secret_id: str


def _sales() -> SalesRepository:
    return SalesRepository(load(PaymentsSettings).sales_table_name)


@cache
def gateway() -> PaymentGateway:
    settings = load(PaymentsSettings)
    return HttpPaymentGateway(
        settings.payments_base_url, secrets.get_json(settings.payment_gateway_secret_id)["apiKey"]
    )


_IDEMPOTENCY = IdempotencyConfig(
    event_key_jmespath="[customerId, policyId, idempotencyKey]",
    payload_validation_jmespath="paymentMethod",
    expires_after_seconds=IDEMPOTENCY_WINDOW_S,
)


@cache
def _idempotent_pay() -> Callable[..., dict[str, Any]]:
    return idempotency.guard(
        _pay,
        table_name=load(PaymentsSettings).idempotency_table_name,
        config=_IDEMPOTENCY,
        data_keyword="request",
    )


def _ports(actor: str) -> paying.Ports:
    return paying.Ports(_sales(), gateway(), actor, datetime.now(UTC).isoformat())


def _pay(request: dict[str, Any]) -> dict[str, Any]:
    """One payment attempt; returns the response (cached by the idempotency layer)."""
    policy_id = request["policyId"]
    try:
        outcome = paying.pay(
            _ports(request["actor"]),
            request["customerId"],
            policy_id,
            client_key=request["idempotencyKey"],
            payment_method=request["paymentMethod"],
        )
    except PaymentDeclined as declined:
        metrics.add_metric(name="PaymentsDeclined", unit="Count", value=1)
        logger.info("payment declined", extra={"policy_id": policy_id, "decline_code": declined.decline_code})
        raise PaymentRequired(
            declined.message, details={"declineCode": declined.decline_code or declined.code}
        ) from None
    except PaymentRejected as rejected:
        if rejected.in_progress:
            raise Conflict(
                "A payment with this Idempotency-Key is in progress.", code="payment_in_progress"
            ) from None
        if rejected.code == "idempotency_error":
            raise Unprocessable(paying.KEY_REUSED, code="idempotency_key_reused") from None
        raise Unprocessable(
            f"The payment gateway refused the request: {rejected.message}",
            code="payment_rejected",
            details=[
                {
                    "field": "paymentMethod"
                    if rejected.param == "payment_method"
                    else (rejected.param or "body"),
                    "message": rejected.message,
                    "type": rejected.code or "invalid",
                }
            ],
        ) from None
    except DependencyError as exc:
        logger.warning("payment gateway unavailable", extra={"policy_id": policy_id, "error": str(exc)})
        raise ServiceUnavailable(
            "The payment gateway did not answer. Retry with the same Idempotency-Key: you will not be charged twice.",
            code="payment_gateway_unavailable",
        ) from None
    payment = outcome.payment
    kind = paying.kind_of(payment) if outcome.kind == "recorded_before" else outcome.kind
    logger.info(
        "payment " + kind,
        extra={"policy_id": policy_id, "payment_id": payment["paymentId"], "purpose": payment["purpose"]},
    )
    if kind == "refunded":
        # Charged after the premium stopped being due (another payment or a cancellation
        # got there first): the money went straight back.
        metrics.add_metric(name="LateChargesRefunded", unit="Count", value=1)
        raise Conflict(
            "This premium is no longer due; the charge has been refunded in full.",
            code="nothing_due",
            details={"paymentId": payment["paymentId"], "refundId": payment.get("refundId")},
        )
    if kind == "failed":
        raise PaymentRequired(
            str(payment.get("declineMessage") or "The payment failed."),
            details={"declineCode": payment.get("declineCode") or "declined"},
        )
    if kind == "processing":
        return {"status": 202, "payment": payment}
    metrics.add_metric(name="PaymentsSucceeded", unit="Count", value=1)
    return {"status": 201, "payment": payment}


@app.post(
    "/policies/<policyId>/payments",
    responses={
        201: success("Paid", model=Payment, headers=LOCATION),
        202: success("Processing: the gateway confirms it later (webhook)", model=Payment, headers=LOCATION),
        **refusals(
            {
                400: "Idempotency-Key missing or malformed",
                402: "The card was declined (payment_declined)",
                404: "No such policy (policy_not_found)",
                409: "Nothing due, or a payment is processing or in progress",
                422: "Idempotency-Key reused for another payment, or the gateway refused the method",
                503: "The gateway did not answer; retry with the same Idempotency-Key",
            }
        ),
    },
    openapi_extensions=reads_headers(
        request_header(
            "Idempotency-Key",
            "One key per payment attempt: a retry with the same key never charges twice",
            pattern=IDEMPOTENCY_KEY,
            required=True,
        )
    ),
)
def pay(policy_id: PolicyId, body: PaymentRequest) -> Response[str]:
    principal = caller(app)
    key = header(app, "Idempotency-Key")
    if key is None:
        raise BadRequest(
            "Send an Idempotency-Key header (8-64 letters, digits, - or _).", code="idempotency_key_required"
        )
    if not re.fullmatch(IDEMPOTENCY_KEY, key):
        raise BadRequest(
            "Idempotency-Key must be 8-64 letters, digits, - or _.", code="invalid_idempotency_key"
        )
    request = {
        "customerId": principal.sub,
        "policyId": policy_id,
        "idempotencyKey": key,
        "paymentMethod": body.payment_method,
        "actor": principal.actor,
    }
    try:
        result = _idempotent_pay()(request=request)
    except IdempotencyValidationError:
        raise Unprocessable(
            "This Idempotency-Key was used for a different payment; use a new key.",
            code="idempotency_key_reused",
        ) from None
    except IdempotencyAlreadyInProgressError:
        raise Conflict(
            "A payment with this Idempotency-Key is in progress.", code="payment_in_progress"
        ) from None
    body_out = Payment.model_validate({**result["payment"], "policyId": policy_id}).model_dump(
        mode="json", by_alias=True
    )
    return json_response(result["status"], body_out, {"Location": f"/v1/policies/{policy_id}"})


@app.post(
    "/policies/<policyId>/cancellation",
    responses={
        200: success("The cancelled policy and its refund"),
        **refusals(
            {
                404: "No such policy (policy_not_found)",
                409: "Not cancellable in its state",
                422: "The effective date is not allowed",
                503: "The gateway did not answer; nothing was cancelled; retry",
            }
        ),
    },
)
def cancel(policy_id: PolicyId, body: CancellationRequest) -> Policy:
    principal = caller(app)
    try:
        cancelled = paying.cancel(
            _ports(principal.actor),
            principal.sub,
            policy_id,
            effective=body.effective_date,
            today=datetime.now(UTC).date(),
            reason=body.reason,
            note=body.note,
        )
    except DependencyError:
        raise ServiceUnavailable(
            "The payment gateway did not answer; nothing was cancelled. Retry: a refund is never made twice.",
            code="payment_gateway_unavailable",
        ) from None
    cancellation = cancelled["cancellation"]
    metrics.add_metric(name="PoliciesCancelled", unit="Count", value=1)
    logger.info(
        "policy cancelled",
        extra={
            "policy_id": policy_id,
            "refund_cents": cancellation["refund"]["amountCents"],
            "pending_refund": "pendingRefund" in cancellation,
            "reason": body.reason,
        },
    )
    return Policy.model_validate(cancelled)


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    _IDEMPOTENCY.register_lambda_context(context)
    return app.resolve(event, context)
