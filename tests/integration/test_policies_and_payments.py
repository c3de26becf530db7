"""Issuance, documents, payments (charged once, whatever fails) and cancellation with refunds."""

from __future__ import annotations

import json
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from infrastructure.local.standins import StandInConfig
from salesportal.domain.formatting import long_date, money
from salesportal.domain.proration import refund_cents
from salesportal.integrations.webhooks import sign
from tests.support.api import body_of
from tests.support.funnel import Funnel, outbox_message, signed_up
from tests.support.pdf_text import text_lines

OTHER = "0b7e9d4c-1111-4a2b-8c3d-000000000002"
WEBHOOK_SECRET = StandInConfig().webhook_secret


@pytest.fixture
def funnel(stack):
    return Funnel(stack)


def _ledger(stack):
    return httpx.get(f"{stack.standins.control_url}/ledger").json()


def _intents_for(stack, policy_id):
    return [i for i in _ledger(stack)["paymentIntents"] if i["metadata"].get("policyId") == policy_id]


def test_accepting_an_approved_application_issues_one_policy_even_when_repeated(funnel):
    application_id = funnel.approved_application()
    first = funnel.accept(application_id)
    assert first["statusCode"] == 201
    policy = body_of(first)
    assert policy["status"] == "PENDING_PAYMENT" and policy["documentStatus"] == "PENDING"
    assert policy["policyNumber"].startswith("TL-") and len(policy["policyNumber"]) == len("TL-2026-") + 10
    assert date.fromisoformat(policy["termEnd"]) - date.fromisoformat(policy["termStart"]) >= timedelta(
        days=365
    )
    again = funnel.accept(application_id)
    assert again["statusCode"] == 200 and body_of(again) == policy
    assert len(body_of(funnel.call("policies", "GET", "/policies"))["items"]) == 1
    assert funnel.application(application_id)["status"] == "ACCEPTED"


def test_an_application_that_is_not_approved_cannot_be_accepted(funnel):
    application = body_of(funnel.apply(funnel.quote()["quoteId"]))
    response = funnel.accept(application["applicationId"])
    assert response["statusCode"] == 409
    assert body_of(response)["error"] == {
        "code": "invalid_application_state",
        "message": "Only an APPROVED application can be accepted; this one is SUBMITTED.",
        "details": {"status": "SUBMITTED"},
    }


def test_the_policy_document_is_rendered_once_and_served_by_a_short_lived_link(funnel, stack):
    policy = funnel.issued_policy()
    path = (
        f"/policies/{policy['policyId']}/document",
        "/policies/{policyId}/document",
        {"policyId": policy["policyId"]},
    )
    not_yet = funnel.call("policies", "GET", *path)
    assert not_yet["statusCode"] == 409 and body_of(not_yet)["error"]["code"] == "document_not_ready"
    message = outbox_message("PolicyCreated", funnel.sub, "policy", policy["policyId"])
    assert stack.invoke("policy_documents", message) == {"batchItemFailures": []}
    assert stack.invoke("policy_documents", message) == {"batchItemFailures": []}  # replay: no change
    link = body_of(funnel.call("policies", "GET", *path))
    assert "X-Amz-Expires=300" in link["url"] and "X-Amz-Signature=" in link["url"]
    expires = datetime.fromisoformat(link["expiresAt"])
    assert timedelta(minutes=4) < expires - datetime.now(UTC) <= timedelta(minutes=5)
    # A customer without a profile (this one never signed up through the portal) reads English.
    key = f"policies/{funnel.sub}/{policy['policyId']}/certificate-{policy['termStart']}-en.pdf"
    pdf = stack.client("s3").get_object(Bucket=stack.physical.buckets["documents"], Key=key)["Body"].read()
    assert pdf.startswith(b"%PDF-") and text_lines(pdf)[0] == "Certificate of Insurance"
    assert funnel.policy(policy["policyId"])["documentStatus"] == "READY"


def test_a_customer_who_prefers_spanish_gets_the_policy_document_in_spanish(stack):
    funnel = signed_up(stack, f"cliente-{uuid.uuid4().hex[:8]}@example.com")
    profile = {
        "givenName": "Ana",
        "familyName": "Reyes",
        "contactPreferences": {"email": True, "sms": False},
        "preferredLanguage": "es",
    }
    assert funnel.call("profile", "PUT", "/me", body=profile)["statusCode"] == 200
    policy = funnel.issued_policy()
    message = outbox_message("PolicyCreated", funnel.sub, "policy", policy["policyId"])
    assert stack.invoke("policy_documents", message) == {"batchItemFailures": []}
    key = f"policies/{funnel.sub}/{policy['policyId']}/certificate-{policy['termStart']}-es.pdf"
    pdf = stack.client("s3").get_object(Bucket=stack.physical.buckets["documents"], Key=key)["Body"].read()
    lines = text_lines(pdf)
    term_start, term_end = date.fromisoformat(policy["termStart"]), date.fromisoformat(policy["termEnd"])
    assert lines[0] == "Certificado de seguro" and "Número de póliza" in lines
    assert f"Del {long_date(term_start, 'es')} al {long_date(term_end, 'es')}" in lines
    annual = policy["annualPremium"]["amountCents"]
    assert lines[lines.index("Prima anual") + 1] == money(annual, "USD", "es")
    assert funnel.policy(policy["policyId"])["documentStatus"] == "READY"


def test_a_customer_cannot_read_another_customers_policy(funnel, stack):
    policy = funnel.issued_policy()
    other = Funnel(stack, OTHER)
    response = other.call(
        "policies",
        "GET",
        f"/policies/{policy['policyId']}",
        "/policies/{policyId}",
        {"policyId": policy["policyId"]},
    )
    assert response["statusCode"] == 404
    assert other.pay(policy["policyId"], "tok_visa", "other-key-0001")["statusCode"] == 404


def test_a_declined_card_leaves_the_policy_pending_and_a_good_card_activates_it(funnel, stack):
    policy = funnel.issued_policy()
    declined = funnel.pay(policy["policyId"], "tok_chargeDeclinedInsufficientFunds", "attempt-0001")
    assert declined["statusCode"] == 402
    assert body_of(declined)["error"] == {
        "code": "payment_declined",
        "message": "Your card has insufficient funds.",
        "details": {"declineCode": "insufficient_funds"},
    }
    assert funnel.policy(policy["policyId"])["status"] == "PENDING_PAYMENT"
    paid = funnel.pay(policy["policyId"], "tok_visa", "attempt-0002")
    assert paid["statusCode"] == 201
    payment = body_of(paid)
    assert payment["status"] == "SUCCEEDED" and payment["amount"] == policy["annualPremium"]
    assert funnel.policy(policy["policyId"])["status"] == "ACTIVE"
    # The same request again (a client retry): the same answer, and the card is not charged again.
    assert body_of(funnel.pay(policy["policyId"], "tok_visa", "attempt-0002")) == payment
    assert [i["status"] for i in _intents_for(stack, policy["policyId"])] == [
        "requires_payment_method",
        "succeeded",
    ]
    # A new key once paid: nothing is due, nothing is charged.
    again = funnel.pay(policy["policyId"], "tok_visa", "attempt-0003")
    assert again["statusCode"] == 409 and body_of(again)["error"]["code"] == "nothing_due"
    assert len(_intents_for(stack, policy["policyId"])) == 2


def test_a_gateway_timeout_is_retried_with_the_same_key_and_charges_once(funnel, stack):
    policy = funnel.issued_policy()
    response = funnel.pay(policy["policyId"], "tok_timeout", "timeout-0001")
    assert response["statusCode"] == 201, response
    assert funnel.policy(policy["policyId"])["status"] == "ACTIVE"
    assert len(_intents_for(stack, policy["policyId"])) == 1


def test_a_gateway_outage_is_503_and_changes_nothing(funnel, stack):
    policy = funnel.issued_policy()
    stack.standins.state.faults["payments"] = "down"
    response = funnel.pay(policy["policyId"], "tok_visa", "outage-0001")
    assert response["statusCode"] == 503
    assert body_of(response)["error"]["code"] == "payment_gateway_unavailable"
    assert funnel.policy(policy["policyId"])["status"] == "PENDING_PAYMENT"
    stack.standins.state.faults.clear()
    assert funnel.pay(policy["policyId"], "tok_visa", "outage-0001")["statusCode"] == 201


def test_an_idempotency_key_is_required_and_cannot_be_reused_for_another_card(funnel):
    policy = funnel.issued_policy()
    missing = funnel.call(
        "payments",
        "POST",
        f"/policies/{policy['policyId']}/payments",
        "/policies/{policyId}/payments",
        {"policyId": policy["policyId"]},
        body={"paymentMethod": "tok_visa"},
    )
    assert missing["statusCode"] == 400 and body_of(missing)["error"]["code"] == "idempotency_key_required"
    assert funnel.pay(policy["policyId"], "tok_visa", "short")["statusCode"] == 400
    assert funnel.pay(policy["policyId"], "tok_chargeDeclined", "reuse-0001")["statusCode"] == 402
    # Like the gateway's own keys: a new attempt after a decline needs a new key.
    after_decline = funnel.pay(policy["policyId"], "tok_visa", "reuse-0001")
    assert after_decline["statusCode"] == 422
    assert body_of(after_decline)["error"]["code"] == "idempotency_key_reused"
    assert funnel.pay(policy["policyId"], "tok_visa", "reuse-0002")["statusCode"] == 201
    reused = funnel.pay(policy["policyId"], "tok_async", "reuse-0002")
    assert reused["statusCode"] == 422 and body_of(reused)["error"]["code"] == "idempotency_key_reused"


def test_an_unknown_payment_token_is_422_naming_the_field(funnel):
    policy = funnel.issued_policy()
    response = funnel.pay(policy["policyId"], "tok_stolen", "unknown-0001")
    assert response["statusCode"] == 422
    assert body_of(response)["error"]["details"][0]["field"] == "paymentMethod"


def _webhook(stack, event, *, signing_key=WEBHOOK_SECRET, timestamp=None):
    raw = json.dumps(event)
    signature = sign(raw.encode(), signing_key, timestamp or int(time.time()))
    return stack.request("POST", "/payments/webhook", raw_body=raw, headers={"Stripe-Signature": signature})


def test_an_asynchronous_payment_is_settled_once_by_the_signed_webhook(funnel, stack):
    policy = funnel.issued_policy()
    stack.standins.config.webhook_url = None  # the test delivers the event itself
    response = funnel.pay(policy["policyId"], "tok_async", "async-0001")
    assert response["statusCode"] == 202 and body_of(response)["status"] == "PROCESSING"
    assert funnel.policy(policy["policyId"])["status"] == "PENDING_PAYMENT"
    time.sleep(0.3)  # the gateway settles it
    (intent,) = _intents_for(stack, policy["policyId"])
    event = {
        "id": "evt_test_0001",
        "object": "event",
        "type": "payment_intent.succeeded",
        "created": int(time.time()),
        "data": {"object": intent},
    }
    forged = _webhook(stack, event, signing_key="whsec_wrong")
    assert forged["statusCode"] == 400 and body_of(forged)["error"]["code"] == "invalid_signature"
    stale = _webhook(stack, event, timestamp=int(time.time()) - 3600)
    assert stale["statusCode"] == 400
    assert funnel.policy(policy["policyId"])["status"] == "PENDING_PAYMENT"
    first = _webhook(stack, event)
    assert first["statusCode"] == 200 and body_of(first)["outcome"] == "settled"
    assert funnel.policy(policy["policyId"])["status"] == "ACTIVE"
    assert body_of(_webhook(stack, event))["outcome"] == "settled"  # deduplicated: the same answer, no change
    redelivered = _webhook(stack, {**event, "id": "evt_test_0002"})
    assert body_of(redelivered)["outcome"] == "already_settled"


def test_cancellation_refunds_the_unused_days_once(funnel, stack):
    policy = funnel.active_policy()
    effective = date.today() + timedelta(days=100)
    response = funnel.cancel(
        policy["policyId"], effectiveDate=effective.isoformat(), reason="FOUND_BETTER_PRICE"
    )
    assert response["statusCode"] == 200, response
    cancelled = body_of(response)
    paid = policy["annualPremium"]["amountCents"]
    expected = refund_cents(
        paid, date.fromisoformat(policy["termStart"]), date.fromisoformat(policy["termEnd"]), effective
    )
    assert 0 < expected < paid
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["cancellation"]["refund"] == {"amountCents": expected, "currency": "USD"}
    refunds = [r for r in _ledger(stack)["refunds"] if r["metadata"].get("policyId") == policy["policyId"]]
    assert [r["amount"] for r in refunds] == [expected]
    again = funnel.cancel(policy["policyId"])
    assert again["statusCode"] == 409
    assert body_of(again)["error"]["details"] == {"status": "CANCELLED"}
    assert (
        len([r for r in _ledger(stack)["refunds"] if r["metadata"].get("policyId") == policy["policyId"]])
        == 1
    )


def test_a_backdated_cancellation_is_refused_naming_the_field(funnel):
    policy = funnel.active_policy()
    response = funnel.cancel(policy["policyId"], effectiveDate="2020-01-01")
    assert response["statusCode"] == 422
    assert body_of(response)["error"]["details"][0]["field"] == "effectiveDate"
    assert funnel.policy(policy["policyId"])["status"] == "ACTIVE"


def test_an_unpaid_policy_is_cancelled_without_a_refund(funnel):
    policy = funnel.issued_policy()
    cancelled = body_of(funnel.cancel(policy["policyId"]))
    assert cancelled["status"] == "CANCELLED" and cancelled["cancellation"]["refund"]["amountCents"] == 0


def test_renewal_outside_the_window_is_409_naming_the_dates(funnel):
    policy = funnel.active_policy()
    response = funnel.call(
        "policies",
        "POST",
        f"/policies/{policy['policyId']}/renewal",
        "/policies/{policyId}/renewal",
        {"policyId": policy["policyId"]},
    )
    assert response["statusCode"] == 409
    assert body_of(response)["error"]["code"] == "outside_renewal_window"


# -- one charge in flight at a time (issue 13, defects 1 and 2) ----------------------------
def _settled_intent(stack, policy_id, status="succeeded", timeout_s=10.0):
    """The policy's one intent once the gateway settled it (polls; the gateway settles on a timer)."""
    deadline = time.monotonic() + timeout_s
    while True:
        intents = [i for i in _intents_for(stack, policy_id) if i["status"] != "processing"]
        if intents or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    (intent,) = intents
    assert intent["status"] == status, intent
    return intent


def _event(intent, event_id, kind="payment_intent.succeeded"):
    return {
        "id": event_id,
        "object": "event",
        "type": kind,
        "created": int(time.time()),
        "data": {"object": intent},
    }


def _payment_item(stack, funnel, policy_id, payment_id):
    item = stack.client("dynamodb").get_item(
        TableName=stack.physical.tables["sales"],
        Key={"pk": {"S": f"CUSTOMER#{funnel.sub}"}, "sk": {"S": f"PAYMENT#{policy_id}#{payment_id}"}},
    )["Item"]
    return {k: next(iter(v.values())) for k, v in item.items()}


def _refunds_for(stack, policy_id):
    return [r for r in _ledger(stack)["refunds"] if r["metadata"].get("policyId") == policy_id]


def test_a_new_key_while_a_payment_is_processing_is_409_and_charges_nothing(funnel, stack):
    policy = funnel.issued_policy()
    stack.standins.config.webhook_url = None  # the test delivers the event itself
    first = funnel.pay(policy["policyId"], "tok_async", "processing-0001")
    assert first["statusCode"] == 202
    second = funnel.pay(policy["policyId"], "tok_visa", "processing-0002")
    assert second["statusCode"] == 409, second
    error = body_of(second)["error"]
    assert error["code"] == "payment_processing"
    assert error["details"]["paymentId"] == body_of(first)["paymentId"]
    assert len(_intents_for(stack, policy["policyId"])) == 1  # nothing charged
    # The same key again replays the first answer, still without a second charge.
    assert body_of(funnel.pay(policy["policyId"], "tok_async", "processing-0001")) == body_of(first)
    intent = _settled_intent(stack, policy["policyId"])
    settled = _webhook(stack, _event(intent, "evt_processing_01"))
    assert body_of(settled)["outcome"] == "settled"
    assert funnel.policy(policy["policyId"])["status"] == "ACTIVE"
    payment = _payment_item(stack, funnel, policy["policyId"], intent["id"])
    assert payment["status"] == "SUCCEEDED"
    # Settled: a new key finds nothing due and charges nothing.
    after = funnel.pay(policy["policyId"], "tok_visa", "processing-0003")
    assert after["statusCode"] == 409 and body_of(after)["error"]["code"] == "nothing_due"
    assert len(_intents_for(stack, policy["policyId"])) == 1 and _refunds_for(stack, policy["policyId"]) == []


def test_a_failed_processing_payment_frees_the_policy_for_another_attempt(funnel, stack):
    policy = funnel.issued_policy()
    stack.standins.config.webhook_url = None
    assert funnel.pay(policy["policyId"], "tok_asyncDeclined", "processing-fail-1")["statusCode"] == 202
    intent = _settled_intent(stack, policy["policyId"], status="requires_payment_method")
    failed = _webhook(stack, _event(intent, "evt_processing_02", "payment_intent.payment_failed"))
    assert body_of(failed)["outcome"] == "settled"
    assert _payment_item(stack, funnel, policy["policyId"], intent["id"])["status"] == "FAILED"
    assert funnel.pay(policy["policyId"], "tok_visa", "processing-fail-2")["statusCode"] == 201
    assert funnel.policy(policy["policyId"])["status"] == "ACTIVE"


def test_cancelling_during_a_processing_payment_refunds_it_in_full_when_it_settles(funnel, stack):
    policy = funnel.issued_policy()
    premium = policy["annualPremium"]
    stack.standins.config.webhook_url = None
    paying = funnel.pay(policy["policyId"], "tok_async", "cancel-processing-1")
    assert paying["statusCode"] == 202
    response = funnel.cancel(policy["policyId"])
    assert response["statusCode"] == 200, response
    cancellation = body_of(response)["cancellation"]
    assert cancellation["refund"] == {"amountCents": 0, "currency": "USD"}
    assert cancellation["pendingRefund"] == premium  # the customer is told the money comes back
    intent = _settled_intent(stack, policy["policyId"])
    late = _webhook(stack, _event(intent, "evt_cancel_processing_1"))
    assert late["statusCode"] == 200 and body_of(late)["outcome"] == "refunded"
    assert [r["amount"] for r in _refunds_for(stack, policy["policyId"])] == [premium["amountCents"]]
    payment = _payment_item(stack, funnel, policy["policyId"], intent["id"])
    assert payment["status"] == "REFUNDED" and payment["refundReason"] == "policy_cancelled"
    # Redelivered under a new event id: settled already, refunded once.
    again = _webhook(stack, _event(intent, "evt_cancel_processing_2"))
    assert body_of(again)["outcome"] == "already_settled"
    assert len(_refunds_for(stack, policy["policyId"])) == 1
    after = funnel.policy(policy["policyId"])
    assert after["status"] == "CANCELLED"
    assert after["cancellation"]["refund"] == premium and after["cancellation"].get("pendingRefund") is None


@contextmanager
def _one_request_at_a_time(monkeypatch):
    """DynamoDB applies each request atomically; in-process moto does not under threads (a
    conditional write reads, then writes). One lock per request restores DynamoDB's
    guarantee and nothing more: the interleaving of requests stays free."""
    import threading

    from salesportal import aws

    lock = threading.Lock()
    real = aws.client

    class Atomic:
        def __init__(self, client):
            self._client = client

        def __getattr__(self, name):
            attribute = getattr(self._client, name)
            if not callable(attribute):
                return attribute

            def call(*args, **kwargs):
                with lock:
                    return attribute(*args, **kwargs)

            return call

    monkeypatch.setattr(aws, "client", lambda service, *a, **k: Atomic(real(service, *a, **k)))
    yield


@pytest.mark.parametrize("token", ["tok_visa", "tok_async"])
@pytest.mark.parametrize("round_", range(3))  # each race is another interleaving
def test_payments_racing_with_new_keys_charge_once(funnel, stack, token, round_, monkeypatch):
    """Four attempts at the same instant (threads over the same moto): the conditional claim on
    the policy lets one reach the gateway; the others are told why they were not charged."""
    import threading

    from salesportal import secrets
    from salesportal.data.sales import SalesRepository
    from salesportal.errors import Conflict
    from salesportal.integrations.payments import HttpPaymentGateway
    from salesportal.workflows import paying
    from tests.support.lambdas import function_env

    policy = funnel.issued_policy()
    stack.standins.config.webhook_url = None
    outcomes: list[str] = []
    barrier = threading.Barrier(4)
    with function_env("payments", stack.physical), _one_request_at_a_time(monkeypatch):
        api_key = secrets.get_json(stack.physical.secrets["payment-gateway"])["apiKey"]

        def attempt(n: int) -> None:
            ports = paying.Ports(
                SalesRepository(stack.physical.tables["sales"]),
                HttpPaymentGateway(stack.standins.base_urls["payments"], api_key),
                f"customer:{funnel.sub}",
                datetime.now(UTC),
            )
            barrier.wait()
            try:
                outcome = paying.pay(
                    ports, funnel.sub, policy["policyId"], client_key=f"race-{n:04d}", payment_method=token
                )
                outcomes.append(outcome.kind)
            except Conflict as conflict:
                outcomes.append(conflict.code)

        threads = [threading.Thread(target=attempt, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert len(_intents_for(stack, policy["policyId"])) == 1, outcomes
    winner = "paid" if token == "tok_visa" else "processing"
    assert len(outcomes) == 4, outcomes
    assert outcomes.count(winner) == 1, outcomes
    assert set(outcomes) - {winner} <= {"nothing_due", "payment_processing"}, outcomes
    assert _refunds_for(stack, policy["policyId"]) == []


def _claim_attempt(stack, funnel, policy_id: str, name: str, started: datetime):
    """An attempt claimed on the policy at ``started``, as the payments workflow claims one
    before calling the gateway, and the gateway client it would call; nothing is sent."""
    from salesportal import secrets
    from salesportal.data.sales import SalesRepository
    from salesportal.domain import billing
    from salesportal.domain.policies import amount_due
    from salesportal.integrations.payments import HttpPaymentGateway
    from salesportal.workflows import paying
    from tests.support.lambdas import function_env

    with function_env("payments", stack.physical):
        sales = SalesRepository(stack.physical.tables["sales"])
        api_key = secrets.get_json(stack.physical.secrets["payment-gateway"])["apiKey"]
        gateway = HttpPaymentGateway(stack.standins.base_urls["payments"], api_key)
        stored = sales.policy(funnel.sub, policy_id)
        charge = billing.charge_in_flight(
            stored,
            amount_due(stored),
            gateway_key=f"pay:{policy_id}:{name}",
            client_key=f"{name}-0001",
            payment_method="tok_visa",
            description=name,
            actor="customer:test",
            now=started,
        )
        ports = paying.Ports(sales, gateway, "customer:test", started)
        assert paying.claim(ports, stored, charge)
    return charge, gateway


def test_a_charge_whose_answer_was_lost_is_learned_by_replay_not_charged_again(funnel, stack):
    """An invocation that crashed after the gateway charged (or timed out for good) leaves its
    attempt on the policy. The next attempt replays that very request under its key: the
    gateway answers what it did, the premium is recorded paid, and nothing is charged twice."""
    from salesportal.domain import billing
    from salesportal.workflows import paying
    from tests.support.lambdas import function_env

    policy = funnel.issued_policy()
    # Claimed long enough ago that the invocation holding it must have ended.
    started = datetime.now(UTC) - paying.ABANDONED_AFTER
    charge, gateway = _claim_attempt(stack, funnel, policy["policyId"], "lost-answer", started)
    with function_env("payments", stack.physical):
        gateway.charge(  # the charge is made; its answer never reaches us
            amount_cents=charge.amount.amount_cents,
            currency=charge.amount.currency,
            payment_method=charge.payment_method,
            idempotency_key=charge.gateway_key,
            description=charge.description,
            metadata=billing.charge_metadata(funnel.sub, policy["policyId"], charge),
        )
    response = funnel.pay(policy["policyId"], "tok_visa", "after-lost-01")
    assert response["statusCode"] == 409 and body_of(response)["error"]["code"] == "nothing_due", response
    assert funnel.policy(policy["policyId"])["status"] == "ACTIVE"
    assert len(_intents_for(stack, policy["policyId"])) == 1 and _refunds_for(stack, policy["policyId"]) == []


def test_a_new_key_while_another_attempt_is_being_sent_is_409_and_does_not_replay_it(funnel, stack):
    """An attempt claimed a moment ago is still in its own invocation's hands (its gateway
    call under way): another key is told a payment is processing; nothing replays the attempt
    from outside, so the two never race for one charge (its own answer settles it)."""
    policy = funnel.issued_policy()
    _claim_attempt(stack, funnel, policy["policyId"], "in-hand", datetime.now(UTC))
    response = funnel.pay(policy["policyId"], "tok_visa", "other-key-0001")
    assert response["statusCode"] == 409, response
    assert body_of(response)["error"]["code"] == "payment_processing"
    assert _intents_for(stack, policy["policyId"]) == []  # the attempt was not replayed from here


def test_a_late_settlement_the_gateway_cannot_refund_yet_is_503_and_refunded_on_redelivery(funnel, stack):
    policy = funnel.issued_policy()
    stack.standins.config.webhook_url = None
    assert funnel.pay(policy["policyId"], "tok_async", "late-outage-01")["statusCode"] == 202
    assert funnel.cancel(policy["policyId"])["statusCode"] == 200
    intent = _settled_intent(stack, policy["policyId"])
    event = _event(intent, "evt_late_outage_1")
    stack.standins.state.faults["payments"] = "down"
    refused = _webhook(stack, event)
    assert refused["statusCode"] == 503, refused  # the gateway delivers it again later
    assert _payment_item(stack, funnel, policy["policyId"], intent["id"])["status"] == "PROCESSING"
    stack.standins.state.faults.clear()
    assert body_of(_webhook(stack, event))["outcome"] == "refunded"
    assert [r["amount"] for r in _refunds_for(stack, policy["policyId"])] == [intent["amount"]]
