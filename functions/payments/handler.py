"""Premium payments and cancellations, through the payment gateway.

Charging once, whatever happens:
- the client's ``Idempotency-Key`` guards the handler (Powertools idempotency, keyed by
  caller, policy and key; the same key with another payment method is refused);
- the key is passed on to the gateway, so a retry after a gateway timeout replays the
  charge the gateway already made instead of charging again;
- the payment is recorded in one transaction with the policy change, conditional on the
  premium still being due. Should two different keys race, the loser's charge is refunded
  at once and the caller told the premium was already paid.

A cancellation refunds the unused part of every paid term pro rata; each refund's gateway
key is fixed by the payment it returns, so a retried cancellation refunds once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
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
from salesportal.auth import Role
from salesportal.config import Settings, load
from salesportal.data.sales import SalesRepository
from salesportal.domain import billing
from salesportal.domain import policies as lifecycle
from salesportal.domain.proration import refund_cents
from salesportal.errors import (
    BadRequest,
    Conflict,
    NotFound,
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

app = rest_resolver(Role.CUSTOMER)
PolicyId = Annotated[str, Path(alias="policyId", pattern=ULID_PATTERN)]
IDEMPOTENCY_KEY = r"^[A-Za-z0-9_-]{8,64}$"
IDEMPOTENCY_WINDOW_S = 24 * 3600
_KEY_REUSED = "This Idempotency-Key was used for a different payment; send a new key for a new attempt."


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


def _own_policy(customer_id: str, policy_id: str) -> dict[str, Any]:
    item = _sales().get_policy(customer_id, policy_id)
    if item is None:
        raise NotFound("No such policy.", code="policy_not_found")
    return item


def _pay(request: dict[str, Any]) -> dict[str, Any]:
    """One payment attempt; returns the response (cached by the idempotency layer)."""
    customer_id, policy_id = request["customerId"], request["policyId"]
    sales = _sales()
    policy = _own_policy(customer_id, policy_id)
    due = lifecycle.amount_due(policy)
    now = datetime.now(UTC).isoformat()
    gateway_key = f"pay:{policy_id}:{due.purpose}:{due.term_start}:{request['idempotencyKey']}"
    metadata = {
        "customerId": customer_id,
        "policyId": policy_id,
        "purpose": due.purpose,
        "termStart": due.term_start.isoformat(),
    }
    try:
        intent = gateway().charge(
            amount_cents=due.amount_cents,
            currency=policy["annualPremium"].get("currency", "USD"),
            payment_method=request["paymentMethod"],
            idempotency_key=gateway_key,
            description=f"Policy {policy['policyNumber']} {due.purpose.lower()} premium",
            metadata=metadata,
        )
    except PaymentDeclined as declined:
        failed = billing.payment_item(
            declined.payment_intent_id or f"declined-{request['idempotencyKey']}",
            "FAILED",
            due,
            policy,
            now,
            declineCode=declined.decline_code or declined.code,
            declineMessage=declined.message,
        )
        sales.record_payment(
            customer_id, policy_id, failed, policy_fields=None, expected=(), actor=request["actor"]
        )
        metrics.add_metric(name="PaymentsDeclined", unit="Count", value=1)
        logger.info("payment declined", extra={"policy_id": policy_id, "decline_code": declined.decline_code})
        raise PaymentRequired(
            declined.message, details={"declineCode": declined.decline_code or declined.code}
        ) from None
    except PaymentRejected as rejected:
        if rejected.code == "idempotency_error":
            raise Unprocessable(_KEY_REUSED, code="idempotency_key_reused") from None
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

    if intent.status == "succeeded":
        payment = billing.payment_item(intent.id, "SUCCEEDED", due, policy, now)
        fields = billing.paid_policy_fields(
            policy, due.purpose, due.amount_cents, intent.id, request["paymentMethod"], now
        )
        expected = billing.expected_status(due.purpose)
        recorded = sales.record_payment(
            customer_id, policy_id, payment, policy_fields=fields, expected=expected, actor=request["actor"]
        )
        # Not recorded and not ours already: another payment settled this premium first.
        if not recorded and sales.get_payment(customer_id, policy_id, intent.id) is None:
            _refund_duplicate(intent.id, due.amount_cents, policy_id)
            raise Conflict(
                "This premium was already paid by another payment; this charge has been refunded.",
                code="nothing_due",
            )
        metrics.add_metric(name="PaymentsSucceeded", unit="Count", value=1)
        logger.info(
            "payment succeeded",
            extra={"policy_id": policy_id, "payment_id": intent.id, "purpose": due.purpose},
        )
        return {"status": 201, "payment": payment}

    # Asynchronous outcome (e.g. bank authentication): the webhook settles it.
    payment = billing.payment_item(
        intent.id, "PROCESSING", due, policy, now, paymentMethod=request["paymentMethod"]
    )
    sales.record_payment(
        customer_id, policy_id, payment, policy_fields=None, expected=(), actor=request["actor"]
    )
    logger.info("payment processing", extra={"policy_id": policy_id, "payment_id": intent.id})
    return {"status": 202, "payment": payment}


def _refund_duplicate(intent_id: str, amount_cents: int, policy_id: str) -> None:
    gateway().refund(
        payment_intent_id=intent_id,
        amount_cents=amount_cents,
        idempotency_key=f"duplicate:{intent_id}",
        metadata={"policyId": policy_id, "reason": "duplicate"},
    )
    metrics.add_metric(name="DuplicateChargesRefunded", unit="Count", value=1)
    logger.warning("duplicate charge refunded", extra={"policy_id": policy_id, "payment_id": intent_id})


@app.post("/policies/<policyId>/payments")
def pay(policy_id: PolicyId, body: PaymentRequest) -> Response[str]:
    principal = caller(app, Role.CUSTOMER)
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


@app.post("/policies/<policyId>/cancellation")
def cancel(policy_id: PolicyId, body: CancellationRequest) -> Policy:
    principal = caller(app, Role.CUSTOMER)
    sales = _sales()
    policy = _own_policy(principal.sub, policy_id)
    now = datetime.now(UTC)
    effective = body.effective_date or now.date()
    lifecycle.check_cancellable(policy, effective, now.date())

    currency = policy["annualPremium"].get("currency", "USD")
    paid_terms = []
    if policy["status"] == "ACTIVE" and policy.get("paymentIntentId"):
        paid_terms.append(
            (
                policy["paymentIntentId"],
                int(policy.get("paidCents", 0)),
                policy["termStart"],
                policy["termEnd"],
            )
        )
    renewal = policy.get("renewal") or {}
    if renewal.get("status") == "PAID" and renewal.get("paymentIntentId"):
        paid_terms.append(
            (
                renewal["paymentIntentId"],
                int(renewal.get("paidCents", 0)),
                renewal["termStart"],
                renewal["termEnd"],
            )
        )

    refunds = []
    for intent_id, paid, start, end in paid_terms:
        cents = refund_cents(paid, date.fromisoformat(start), date.fromisoformat(end), effective)
        if cents <= 0:
            continue
        try:
            refund = gateway().refund(
                payment_intent_id=intent_id,
                amount_cents=cents,
                idempotency_key=f"cancel:{policy_id}:{intent_id}",
                metadata={"policyId": policy_id, "customerId": principal.sub, "reason": body.reason},
            )
        except DependencyError:
            raise ServiceUnavailable(
                "The payment gateway did not answer; nothing was cancelled. Retry: a refund is never made twice.",
                code="payment_gateway_unavailable",
            ) from None
        refunds.append(
            {
                "refundId": refund.id,
                "paymentIntentId": intent_id,
                "status": refund.status.upper(),
                "amount": {"amountCents": refund.amount_cents, "currency": currency},
                "amountCents": refund.amount_cents,
                "currency": currency,
                "policyNumber": policy["policyNumber"],
                "createdAt": now.isoformat(),
            }
        )
    total = sum(r["amountCents"] for r in refunds)
    fields = {
        "cancellation": {
            "effectiveDate": effective.isoformat(),
            "reason": body.reason,
            **({"note": body.note} if body.note else {}),
            "refund": {"amountCents": total, "currency": currency},
            "requestedAt": now.isoformat(),
        },
        "effectiveDate": effective.isoformat(),
        "updatedAt": now.isoformat(),
    }
    if not sales.cancel_with_refunds(
        principal.sub,
        policy_id,
        refunds,
        fields,
        expected=tuple(lifecycle.CANCELLABLE),
        actor=principal.actor,
    ):
        raise lifecycle.transition_error(_own_policy(principal.sub, policy_id), "cancel")
    metrics.add_metric(name="PoliciesCancelled", unit="Count", value=1)
    logger.info(
        "policy cancelled", extra={"policy_id": policy_id, "refund_cents": total, "reason": body.reason}
    )
    return Policy.model_validate({**policy, **fields, "status": "CANCELLED"})


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    _IDEMPOTENCY.register_lambda_context(context)
    return app.resolve(event, context)
