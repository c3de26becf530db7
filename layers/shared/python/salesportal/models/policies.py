"""Policies, payments, refunds and the lifecycle requests; the answers built from the sales entities."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from salesportal.contract import LOCATION, reads_headers, refusals, request_header, success
from salesportal.domain import sales
from salesportal.errors import BadRequest
from salesportal.models.common import ApiModel, InputModel, IsoDate, Money


class Renewal(ApiModel):
    term_start: date
    term_end: date
    annual_premium: Money
    status: Literal["PENDING_PAYMENT", "PAID"]
    attempts: int = 0


class Cancellation(ApiModel):
    effective_date: date
    reason: str
    refund: Money = Field(description="Refunded so far: the unused part of every paid term")
    pending_refund: Money | None = Field(
        default=None,
        description="A payment still processing when the policy was cancelled: refunded in full "
        "as soon as it goes through (nothing is refunded if it fails)",
    )
    requested_at: datetime


class Policy(ApiModel):
    policy_id: str
    policy_number: str
    application_id: str
    product_id: str
    coverage_option_code: str
    state: str
    status: Literal["PENDING_PAYMENT", "ACTIVE", "CANCELLED", "LAPSED", "EXPIRED"]
    term_start: date
    term_end: date
    annual_premium: Money
    monthly_premium: Money
    document_status: Literal["PENDING", "READY"]
    renewal: Renewal | None = None
    cancellation: Cancellation | None = None
    issued_at: datetime
    updated_at: datetime


class PaymentRequest(InputModel):
    payment_method: str = Field(
        pattern=r"^(tok|pm)_[A-Za-z0-9_]{1,64}$", description="A gateway payment-method token"
    )


class Payment(ApiModel):
    payment_id: str
    policy_id: str
    status: Literal["SUCCEEDED", "PROCESSING", "FAILED", "REFUNDED"] = Field(
        description="REFUNDED: charged after the premium stopped being due, and refunded in full"
    )
    purpose: Literal["INITIAL", "RENEWAL"]
    amount: Money
    decline_code: str | None = None
    decline_message: str | None = None
    refund_reason: (
        Literal["already_paid", "policy_cancelled", "policy_lapsed", "policy_expired", "not_due"] | None
    ) = None
    created_at: datetime


class CancellationRequest(InputModel):
    effective_date: IsoDate | None = Field(default=None, description="Defaults to today (UTC)")
    reason: Literal["NO_LONGER_NEEDED", "FOUND_BETTER_PRICE", "AFFORDABILITY", "OTHER"]
    note: str | None = Field(default=None, max_length=500)


class DocumentLink(ApiModel):
    url: str
    expires_at: datetime


class WebhookReceipt(ApiModel):
    received: Literal[True] = True
    outcome: Literal["settled", "refunded", "already_settled", "unknown_payment", "ignored"]


# -- built from entities --------------------------------------------------------------------


def _renewal_of(renewal: sales.Renewal) -> Renewal:
    return Renewal(
        term_start=renewal.term.start,
        term_end=renewal.term.end,
        annual_premium=Money.of(renewal.annual_premium),
        status=renewal.status,
        attempts=renewal.attempts,
    )


def _cancellation_of(cancellation: sales.Cancellation) -> Cancellation:
    pending = cancellation.pending_refund
    return Cancellation(
        effective_date=cancellation.effective_date,
        reason=cancellation.reason,
        refund=Money.of(cancellation.refund),
        pending_refund=Money.of(pending.amount) if pending is not None else None,
        requested_at=cancellation.requested_at,
    )


def policy_of(policy: sales.Policy) -> Policy:
    return Policy(
        policy_id=policy.policy_id,
        policy_number=policy.policy_number,
        application_id=policy.application_id,
        product_id=policy.product_id,
        coverage_option_code=policy.coverage_option_code,
        state=policy.state,
        status=policy.status,
        term_start=policy.term.start,
        term_end=policy.term.end,
        annual_premium=Money.of(policy.annual_premium),
        monthly_premium=Money.of(policy.monthly_premium),
        document_status=policy.document_status,
        renewal=_renewal_of(policy.renewal) if policy.renewal is not None else None,
        cancellation=_cancellation_of(policy.cancellation) if policy.cancellation is not None else None,
        issued_at=policy.issued_at,
        updated_at=policy.updated_at,
    )


def payment_of(payment: sales.Payment) -> Payment:
    decline, late = payment.decline, payment.late_refund
    return Payment(
        payment_id=payment.payment_id,
        policy_id=payment.policy_id,
        status=payment.status,
        purpose=payment.purpose,
        amount=Money.of(payment.amount),
        decline_code=decline.code if decline is not None else None,
        decline_message=decline.message if decline is not None else None,
        refund_reason=late.reason if late is not None else None,
        created_at=payment.created_at,
    )


def notice_of(event: Mapping[str, Any]) -> sales.GatewayNotice | None:
    """A verified webhook event as a notice; None when it is not an event (no id, type or
    ``data.object``)."""
    data = event.get("data")
    if not isinstance(event.get("id"), str) or not isinstance(event.get("type"), str):
        return None
    if not isinstance(data, dict) or "object" not in data:
        return None
    intent = _object(data["object"])
    metadata, error = _object(intent.get("metadata")), _object(intent.get("last_payment_error"))
    return sales.GatewayNotice(
        event_id=event["id"],
        type=event["type"],
        intent_id=str(intent.get("id", "")),
        customer_id=_text(metadata.get("customerId")),
        policy_id=_text(metadata.get("policyId")),
        charge_key=_text(metadata.get("chargeKey")),
        decline=sales.Decline(
            str(error.get("decline_code") or error.get("code") or "declined"),
            str(error.get("message") or "The payment failed."),
        ),
    )


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return str(value) if value else None


# -- what the routes answer (their OpenAPI), beside the models they answer with -------------
IDEMPOTENCY_KEY = r"^[A-Za-z0-9_-]{8,64}$"


def idempotency_key(value: str | None) -> str:
    """A payment's Idempotency-Key header, or 400 naming what is wrong with it."""
    if value is None:
        raise BadRequest(
            "Send an Idempotency-Key header (8-64 letters, digits, - or _).", code="idempotency_key_required"
        )
    if not re.fullmatch(IDEMPOTENCY_KEY, value):
        raise BadRequest(
            "Idempotency-Key must be 8-64 letters, digits, - or _.", code="invalid_idempotency_key"
        )
    return value


PAY_DOCS: dict[str, Any] = {
    "responses": {
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
    "openapi_extensions": reads_headers(
        request_header(
            "Idempotency-Key",
            "One key per payment attempt: a retry with the same key never charges twice",
            pattern=IDEMPOTENCY_KEY,
            required=True,
        )
    ),
}
CANCEL_DOCS: dict[str, Any] = {
    "responses": {
        200: success("The cancelled policy and its refund"),
        **refusals(
            {
                404: "No such policy (policy_not_found)",
                409: "Not cancellable in its state",
                422: "The effective date is not allowed",
                503: "The gateway did not answer; nothing was cancelled; retry",
            }
        ),
    }
}
WEBHOOK_SIGNATURE = r"^t=[0-9]+(,v1=[0-9a-f]{64})+$"  # the form the signature check can accept
WEBHOOK_DOCS: dict[str, Any] = {
    "responses": {
        200: success("Received (and applied once)", model=WebhookReceipt),
        **refusals(
            {
                400: "Signature missing, stale or wrong, or not an event (invalid_signature, invalid_event)",
                409: "The same event is being processed (event_in_progress)",
            }
        ),
    },
    "openapi_extensions": reads_headers(
        request_header(
            "Stripe-Signature",
            "t=<unix time>,v1=<HMAC-SHA256 of t.body with the webhook secret>",
            pattern=WEBHOOK_SIGNATURE,
            required=True,
        )
    ),
}
POLICY_DOCS: dict[str, Any] = {
    "responses": {200: success("The policy"), **refusals({404: "No such policy (policy_not_found)"})}
}
DOCUMENT_DOCS: dict[str, Any] = {
    "responses": {
        200: success("A short-lived link to the policy document"),
        **refusals({404: "No such policy (policy_not_found)", 409: "The document is not ready yet"}),
    }
}
RENEWAL_DOCS: dict[str, Any] = {
    "responses": {
        200: success("The policy with its renewal offer"),
        **refusals(
            {404: "No such policy (policy_not_found)", 409: "Not renewable now: state, window or product"}
        ),
    }
}
