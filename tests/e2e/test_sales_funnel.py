"""The sales funnel over HTTP on the offline stack, every hop real: API emulator → handlers →
DynamoDB stream → outbox → EventBridge rules → SQS → workers → stand-ins (KYC, bureau,
payment gateway) → signed webhook back through the API.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from salesportal.domain.underwriting import REFERRED_NOTE, declared

pytestmark = pytest.mark.e2e

QUOTE = {
    "productId": "term-life",
    "coverageOptionCode": "TL-500K-20",
    "state": "TX",
    "dateOfBirth": "1988-06-15",
    "riskFactors": {"smoker": "false"},
}
IDENTITY = {
    "givenName": "Dana",
    "familyName": "Rivera",
    "dateOfBirth": "1988-06-15",
    "ssnLast4": "1234",
    "address": {"line1": "600 Congress Ave", "city": "Austin", "state": "TX", "postalCode": "78701"},
}
NO = {
    "hospitalizedLast5Years": False,
    "chronicCondition": False,
    "hazardousActivities": False,
    "previouslyDeclined": False,
}


def eventually(probe: Callable[[], Any], *, timeout: float = 40.0, what: str = "condition") -> Any:
    """Poll until ``probe`` returns something truthy: the pipeline is asynchronous by design."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = probe()
        if result:
            return result
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def customer(local_stack):
    email, password = local_stack.new_customer(f"funnel-{uuid.uuid4().hex[:8]}@example.com")
    token = local_stack.sign_in(email, password)["IdToken"]

    def call(method: str, path: str, **kwargs: Any) -> httpx.Response:
        return local_stack.request(method, path, token=token, **kwargs)

    return call


def _apply(customer, declarations=None):
    quote = customer("POST", "/quotes", json=QUOTE)
    assert quote.status_code == 201, quote.text
    body = {
        "quoteId": quote.json()["quoteId"],
        "identity": IDENTITY,
        "declarations": {**NO, **(declarations or {})},
        "consentToChecks": True,
    }
    response = customer("POST", "/applications", json=body)
    assert response.status_code == 202, response.text
    return response.json()["applicationId"]


def _status(customer, application_id, wanted):
    def probe():
        application = customer("GET", f"/applications/{application_id}").json()
        return application if application["status"] == wanted else None

    return eventually(probe, what=f"application {wanted}")


def _ledger(local_stack):
    return httpx.get(f"{local_stack.info['standins']['control_url']}/ledger").json()


def test_quote_apply_approve_accept_document_pay_notify_cancel_refund(local_stack, customer):
    application_id = _apply(customer)
    approved = _status(customer, application_id, "APPROVED")
    assert approved["decision"]["decidedBy"] == "underwriting-rules"

    accepted = customer("POST", f"/applications/{application_id}/acceptance")
    assert accepted.status_code == 201, accepted.text
    policy = accepted.json()
    policy_id = policy["policyId"]
    assert customer("POST", f"/applications/{application_id}/acceptance").json() == policy  # once

    link = eventually(
        lambda: (r := customer("GET", f"/policies/{policy_id}/document")).status_code == 200 and r.json(),
        what="the policy document",
    )
    document = httpx.get(link["url"])
    assert document.status_code == 200 and document.content.startswith(b"%PDF-")

    declined = customer(
        "POST",
        f"/policies/{policy_id}/payments",
        json={"paymentMethod": "tok_chargeDeclined"},
        headers={"Idempotency-Key": f"e2e-{uuid.uuid4().hex}"},
    )
    assert declined.status_code == 402 and declined.json()["error"]["code"] == "payment_declined"
    assert customer("GET", f"/policies/{policy_id}").json()["status"] == "PENDING_PAYMENT"
    key = f"e2e-{uuid.uuid4().hex}"
    paid = customer(
        "POST",
        f"/policies/{policy_id}/payments",
        json={"paymentMethod": "tok_visa"},
        headers={"Idempotency-Key": key},
    )
    assert paid.status_code == 201, paid.text
    replay = customer(
        "POST",
        f"/policies/{policy_id}/payments",
        json={"paymentMethod": "tok_visa"},
        headers={"Idempotency-Key": key},
    )
    assert replay.status_code == 201 and replay.json() == paid.json()
    assert customer("GET", f"/policies/{policy_id}").json()["status"] == "ACTIVE"
    charges = [
        i for i in _ledger(local_stack)["paymentIntents"] if i["metadata"].get("policyId") == policy_id
    ]
    assert sorted(i["status"] for i in charges) == ["requires_payment_method", "succeeded"]

    wanted = {"application_approved", "policy_issued", "payment_failed", "payment_succeeded"}
    kinds = eventually(
        lambda: (
            wanted <= (k := {n["kind"] for n in customer("GET", "/me/notifications").json()["items"]}) and k
        ),
        what="notifications",
    )
    assert wanted <= kinds

    effective = date.today() + timedelta(days=30)
    cancelled = customer(
        "POST",
        f"/policies/{policy_id}/cancellation",
        json={"effectiveDate": effective.isoformat(), "reason": "FOUND_BETTER_PRICE"},
    )
    assert cancelled.status_code == 200, cancelled.text
    refund = cancelled.json()["cancellation"]["refund"]["amountCents"]
    assert 0 < refund < policy["annualPremium"]["amountCents"]
    refunds = [r for r in _ledger(local_stack)["refunds"] if r["metadata"].get("policyId") == policy_id]
    assert [r["amount"] for r in refunds] == [refund]
    assert (
        customer("POST", f"/policies/{policy_id}/cancellation", json={"reason": "OTHER"}).status_code == 409
    )
    eventually(
        lambda: (
            {"policy_cancelled", "refund_issued"}
            <= {n["kind"] for n in customer("GET", "/me/notifications").json()["items"]}
        ),
        what="cancellation notifications",
    )


def test_an_asynchronous_payment_is_confirmed_by_the_gateways_signed_webhook(local_stack, customer):
    application_id = _apply(customer)
    _status(customer, application_id, "APPROVED")
    policy_id = customer("POST", f"/applications/{application_id}/acceptance").json()["policyId"]
    response = customer(
        "POST",
        f"/policies/{policy_id}/payments",
        json={"paymentMethod": "tok_async"},
        headers={"Idempotency-Key": f"e2e-{uuid.uuid4().hex}"},
    )
    assert response.status_code == 202 and response.json()["status"] == "PROCESSING"
    eventually(
        lambda: customer("GET", f"/policies/{policy_id}").json()["status"] == "ACTIVE", what="the webhook"
    )
    # The gateway notes a webhook delivered once the handler has answered it, which is after
    # the handler activated the policy: the note may lag the status just read.
    eventually(lambda: len(_ledger(local_stack)["webhooksDelivered"]) >= 1, what="the delivery noted")


def test_a_referred_application_is_decided_by_an_agent(local_stack, customer):
    application_id = _apply(customer, {"chronicCondition": True})
    referred = _status(customer, application_id, "REFERRED")
    assert referred["decision"]["reasons"] == [declared("chronicCondition"), REFERRED_NOTE]
    queue = local_stack.request("GET", "/admin/applications?status=REFERRED", role="agent").json()
    assert application_id in [item["applicationId"] for item in queue["items"]]
    decided = local_stack.request(
        "PUT",
        f"/admin/applications/{application_id}/decision",
        role="agent",
        json={
            "outcome": "APPROVE",
            "reason": "Condition controlled for five years.",
            "premiumAdjustmentBps": 1000,
        },
    )
    assert decided.status_code == 200, decided.text
    application = customer("GET", f"/applications/{application_id}").json()
    assert application["status"] == "APPROVED" and application["decision"]["reasons"] == [
        "Condition controlled for five years."
    ]
    assert (
        customer(
            "PUT",
            f"/admin/applications/{application_id}/decision",
            json={"outcome": "DECLINE", "reason": "nope"},
        ).status_code
        == 403
    )
