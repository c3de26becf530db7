"""Policies, payments, refunds and the lifecycle requests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

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
