"""The policy API models built from entities answer what the stored items used to answer."""

from __future__ import annotations

from typing import Any

import pytest

from salesportal.data import sales_items
from salesportal.data.dynamo import from_item, to_item
from salesportal.models.policies import Payment, Policy, payment_of, policy_of

POLICY: dict[str, Any] = {
    "policyId": "01JD8X3K9Q2M4N6P8R0T2V4W6Z",
    "customerId": "c-1",
    "policyNumber": "TL-2026-8R0T2V4W6Z",
    "applicationId": "01JD8X3K9Q2M4N6P8R0T2V4W6Z",
    "quoteId": "01JD8X3K9Q2M4N6P8R0T2V4W00",
    "productId": "term-life",
    "coverageOptionCode": "TL-250K",
    "state": "CA",
    "status": "CANCELLED",
    "termStart": "2026-12-01",
    "termEnd": "2027-12-01",
    "annualPremium": {"amountCents": 36500, "currency": "USD"},
    "monthlyPremium": {"amountCents": 3100, "currency": "USD"},
    "premiumAdjustmentBps": 500,
    "documentStatus": "READY",
    "documentKey": "policies/c-1/01JD8X3K9Q2M4N6P8R0T2V4W6Z/certificate-2026-12-01.pdf",
    "dateOfBirth": "1985-06-01",
    "riskFactors": {"smoker": "false"},
    "issuedAt": "2026-12-01T09:30:00.123456+00:00",
    "updatedAt": "2027-03-01T10:00:00+00:00",
    "paidCents": 36500,
    "paymentIntentId": "pi_1",
    "paymentMethod": "tok_visa",
    "renewal": {
        "termStart": "2027-12-01",
        "termEnd": "2028-12-01",
        "annualPremium": {"amountCents": 40000, "currency": "USD"},
        "monthlyPremium": {"amountCents": 3400, "currency": "USD"},
        "status": "PENDING_PAYMENT",
        "attempts": 2,
        "lastAttemptOn": "2027-11-27",
        "requestedAt": "2027-10-15T08:00:00+00:00",
    },
    "cancellation": {
        "effectiveDate": "2027-03-01",
        "reason": "OTHER",
        "note": "moving abroad",
        "refund": {"amountCents": 27000, "currency": "USD"},
        "pendingRefund": {"amountCents": 40000, "currency": "USD", "paymentId": "pi_2"},
        "requestedAt": "2027-03-01T10:00:00+00:00",
    },
    "effectiveDate": "2027-03-01",
    "chargeInFlight": {
        "gatewayKey": "renewal:01JD:2027-12-01:attempt-2",
        "clientKey": "renewal-2027-12-01-attempt-2",
        "purpose": "RENEWAL",
        "termStart": "2027-12-01",
        "termEnd": "2028-12-01",
        "amountCents": 40000,
        "currency": "USD",
        "paymentMethod": "tok_visa",
        "description": "Policy TL-2026-8R0T2V4W6Z renewal premium",
        "actor": "system:renewals",
        "startedAt": "2027-11-27T06:00:00+00:00",
        "paymentId": "pi_2",
    },
    "remindersSent": {30, 7},
}
PAYMENTS: list[dict[str, Any]] = [
    {
        "paymentId": "pi_3",
        "policyId": "01JD8X3K9Q2M4N6P8R0T2V4W6Z",
        "customerId": "c-1",
        "status": "REFUNDED",
        "purpose": "RENEWAL",
        "amount": {"amountCents": 40000, "currency": "USD"},
        "amountCents": 40000,
        "currency": "USD",
        "policyNumber": "TL-2026-8R0T2V4W6Z",
        "termStart": "2027-12-01",
        "termEnd": "2028-12-01",
        "createdAt": "2027-11-27T06:00:01+00:00",
        "gatewayKey": "renewal:01JD:2027-12-01:attempt-2",
        "paymentMethod": "tok_visa",
        "settledAt": "2027-11-28T06:00:01+00:00",
        "refundId": "re_9",
        "refundedCents": 40000,
        "refundReason": "policy_cancelled",
    },
    {
        "paymentId": "declined-key-0001",
        "policyId": "01JD8X3K9Q2M4N6P8R0T2V4W6Z",
        "customerId": "c-1",
        "status": "FAILED",
        "purpose": "INITIAL",
        "amount": {"amountCents": 36500, "currency": "USD"},
        "amountCents": 36500,
        "currency": "USD",
        "policyNumber": "TL-2026-8R0T2V4W6Z",
        "termStart": "2026-12-01",
        "termEnd": "2027-12-01",
        "createdAt": "2026-12-01T09:31:00+00:00",
        "gatewayKey": "pay:01JD:INITIAL:2026-12-01:key-0001",
        "paymentMethod": "tok_declined",
        "declineCode": "insufficient_funds",
        "declineMessage": "Your card has insufficient funds.",
    },
]


def _stored(item: dict[str, Any]) -> dict[str, Any]:
    """As a read hands it back (DynamoDB's types and back)."""
    return from_item(to_item(item))


def _json(model: Any) -> Any:
    return model.model_dump(mode="json", by_alias=True)


def test_a_policy_answers_as_its_stored_item_did():
    stored = _stored(POLICY)
    assert _json(policy_of(sales_items.policy_from_item(stored))) == _json(Policy.model_validate(stored))


@pytest.mark.parametrize("item", PAYMENTS, ids=lambda p: p["status"])
def test_a_payment_answers_as_its_stored_item_did(item):
    stored = _stored(item)
    assert _json(payment_of(sales_items.payment_from_item(stored))) == _json(Payment.model_validate(stored))


def test_a_policy_read_and_written_back_keeps_every_attribute():
    stored = _stored(POLICY)
    written = {
        k: v
        for k, v in sales_items.policy_fields(sales_items.policy_from_item(stored)).items()
        if v is not None
    }
    assert written == stored


@pytest.mark.parametrize("item", PAYMENTS, ids=lambda p: p["status"])
def test_a_payment_read_and_written_back_keeps_every_attribute(item):
    stored = _stored(item)
    written = {
        k: v
        for k, v in sales_items.payment_fields(sales_items.payment_from_item(stored)).items()
        if v is not None
    }
    assert written == stored
