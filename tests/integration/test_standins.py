"""The real clients against the loopback stand-ins: two independent implementations of one protocol."""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from infrastructure.local.standins import StandInConfig, StandIns, serve_standins
from salesportal.integrations.bureau import HttpRiskBureau
from salesportal.integrations.checks import RequestRejected
from salesportal.integrations.http import DependencyError, RetryPolicy
from salesportal.integrations.kyc import HttpIdentityVerifier
from salesportal.integrations.payments import HttpPaymentGateway, PaymentDeclined, PaymentRejected
from salesportal.integrations.webhooks import InvalidSignature, verify

CONFIG = StandInConfig(slow_response_s=1.5, async_delay_s=0.1)
FAST_RETRY = RetryPolicy(attempts=3, base_delay_s=0.01, max_delay_s=0.05)
IDENTITY = {
    "givenName": "Dana",
    "familyName": "Lee",
    "dateOfBirth": "1990-04-01",
    "ssnLast4": "1234",
    "address": {"line1": "1 Main St", "city": "Austin", "state": "TX", "postalCode": "78701"},
}


@pytest.fixture(scope="module")
def servers() -> Iterator[StandIns]:
    standins = serve_standins(CONFIG)
    yield standins
    standins.stop()


@pytest.fixture
def standins(servers: StandIns) -> Iterator[StandIns]:
    yield servers
    httpx.post(f"{servers.control_url}/faults", json={"kyc": "up", "bureau": "ok", "payments": "up"})
    servers.config.webhook_url = None


def _gateway(standins: StandIns, **kwargs: Any) -> HttpPaymentGateway:
    return HttpPaymentGateway(
        standins.base_urls["payments"], standins.config.payments_api_key, retry=FAST_RETRY, **kwargs
    )


def _charge(gateway: HttpPaymentGateway, token: str, key: str, amount: int = 1000, **metadata: str) -> Any:
    return gateway.charge(
        amount_cents=amount,
        currency="USD",
        payment_method=token,
        idempotency_key=key,
        description="Policy TL-1 first premium",
        metadata={"test": key, **metadata},
    )


def _ledger(standins: StandIns) -> dict[str, Any]:
    ledger: dict[str, Any] = httpx.get(f"{standins.control_url}/ledger").json()
    return ledger


def _intents(standins: StandIns, key: str) -> list[dict[str, Any]]:
    return [i for i in _ledger(standins)["paymentIntents"] if i["metadata"].get("test") == key]


def test_a_good_card_is_charged_once_and_reads_back(standins):
    gateway = _gateway(standins)
    intent = _charge(gateway, "tok_visa", "visa-1", amount=1234)
    assert (intent.status, intent.amount_cents, intent.currency) == ("succeeded", 1234, "USD")
    assert intent.id.startswith("pi_") and len(intent.id) == 3 + 24
    assert gateway.retrieve(intent.id) == intent
    assert _charge(gateway, "tok_visa", "visa-1", amount=1234) == intent  # replayed, not charged again
    assert [i["id"] for i in _intents(standins, "visa-1")] == [intent.id]


@pytest.mark.parametrize(
    ("token", "decline_code", "message"),
    [
        ("tok_chargeDeclined", "generic_decline", "Your card was declined."),
        ("tok_chargeDeclinedInsufficientFunds", "insufficient_funds", "Your card has insufficient funds."),
    ],
)
def test_a_declined_card_raises_with_its_decline_code_and_replays_the_decline(
    standins, token, decline_code, message
):
    gateway = _gateway(standins)
    declined = []
    for _ in range(2):
        with pytest.raises(PaymentDeclined) as error:
            _charge(gateway, token, f"decline-{token}")
        declined.append(error.value)
    first, again = declined
    assert (first.code, first.decline_code, first.message) == ("card_declined", decline_code, message)
    assert first.payment_intent_id == again.payment_intent_id
    (stored,) = _intents(standins, f"decline-{token}")
    assert stored["status"] == "requires_payment_method"
    assert stored["last_payment_error"]["decline_code"] == decline_code


def test_a_timed_out_charge_is_charged_once_on_retry(standins):
    gateway = _gateway(standins, timeout=httpx.Timeout(0.5, connect=1.0))
    started = time.monotonic()
    intent = _charge(gateway, "tok_timeout", "timeout-1")
    assert intent.status == "succeeded"
    assert time.monotonic() - started < CONFIG.slow_response_s  # the retry was answered by a replay
    assert [i["id"] for i in _intents(standins, "timeout-1")] == [intent.id]


def test_reusing_a_key_with_another_body_is_refused(standins):
    gateway = _gateway(standins)
    _charge(gateway, "tok_visa", "reuse-1", amount=1000)
    with pytest.raises(PaymentRejected) as rejected:
        _charge(gateway, "tok_visa", "reuse-1", amount=2000)
    assert rejected.value.code == "idempotency_error"
    assert len(_intents(standins, "reuse-1")) == 1


def test_bad_requests_are_rejected_naming_the_parameter(standins):
    gateway = _gateway(standins)
    with pytest.raises(PaymentRejected) as unknown:
        _charge(gateway, "tok_unknown", "bad-1")
    with pytest.raises(PaymentRejected) as zero:
        _charge(gateway, "tok_visa", "bad-2", amount=0)
    assert (unknown.value.code, unknown.value.param) == ("resource_missing", "payment_method")
    assert (zero.value.code, zero.value.param) == ("parameter_invalid", "amount")


def test_a_wrong_api_key_is_an_authentication_error(standins):
    gateway = HttpPaymentGateway(standins.base_urls["payments"], "sk_wrong", retry=FAST_RETRY)
    with pytest.raises(PaymentRejected) as rejected:
        _charge(gateway, "tok_visa", "auth-1")
    assert rejected.value.code == "authentication_error"


class Receiver:
    """A tiny webhook endpoint that believes only correctly signed events."""

    def __init__(self, secret: str, failures: int = 0) -> None:
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.attempts = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.attempts += 1
                try:
                    event = verify(raw, self.headers.get("Stripe-Signature"), secret, now=int(time.time()))
                    status = 500 if receiver.attempts <= failures else 200
                except InvalidSignature:
                    status, event = 400, None
                if status == 200 and event is not None:
                    receiver.events.put(event)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize(
    ("token", "event_type", "final_status"),
    [
        ("tok_async", "payment_intent.succeeded", "succeeded"),
        ("tok_asyncDeclined", "payment_intent.payment_failed", "requires_payment_method"),
    ],
)
def test_an_async_payment_is_settled_by_a_signed_webhook(standins, token, event_type, final_status):
    receiver = Receiver(standins.config.webhook_secret)
    standins.config.webhook_url = receiver.url
    try:
        gateway = _gateway(standins)
        intent = _charge(gateway, token, f"async-{token}")
        assert intent.status == "processing"
        event = receiver.events.get(timeout=5)
    finally:
        receiver.close()
    assert event["id"].startswith("evt_") and event["object"] == "event" and event["type"] == event_type
    assert event["data"]["object"]["id"] == intent.id
    assert event["data"]["object"]["status"] == final_status
    assert gateway.retrieve(intent.id).status == final_status
    assert event["id"] in _ledger(standins)["webhooksDelivered"]


def test_a_webhook_that_failed_is_delivered_again(standins):
    receiver = Receiver(standins.config.webhook_secret, failures=1)
    standins.config.webhook_url = receiver.url
    try:
        intent = _charge(_gateway(standins), "tok_async", "async-retry")
        event = receiver.events.get(timeout=5)
    finally:
        receiver.close()
    assert event["data"]["object"]["id"] == intent.id and receiver.attempts == 2


def test_a_webhook_signed_with_another_secret_is_refused_by_the_receiver(standins):
    receiver = Receiver("whsec_someone_else")
    standins.config.webhook_url = receiver.url
    try:
        _charge(_gateway(standins), "tok_async", "async-forged")
        with pytest.raises(queue.Empty):
            receiver.events.get(timeout=0.5)
    finally:
        receiver.close()


def test_refunds_are_limited_to_what_was_paid_and_replayed_by_key(standins):
    gateway = _gateway(standins)
    intent = _charge(gateway, "tok_visa", "refund-1", amount=1000)
    first = gateway.refund(payment_intent_id=intent.id, amount_cents=600, idempotency_key="r1", metadata={})
    assert (first.status, first.amount_cents, first.payment_intent_id) == ("succeeded", 600, intent.id)
    assert first.id.startswith("re_")
    again = gateway.refund(payment_intent_id=intent.id, amount_cents=600, idempotency_key="r1", metadata={})
    assert again == first  # replayed: still 400 left to refund
    with pytest.raises(PaymentRejected) as too_large:
        gateway.refund(payment_intent_id=intent.id, amount_cents=401, idempotency_key="r2", metadata={})
    assert too_large.value.code == "amount_too_large"
    rest = gateway.refund(payment_intent_id=intent.id, amount_cents=400, idempotency_key="r3", metadata={})
    assert rest.amount_cents == 400
    refunds = [r for r in _ledger(standins)["refunds"] if r["payment_intent"] == intent.id]
    assert [r["amount"] for r in refunds] == [600, 400]


def test_an_intent_that_did_not_succeed_cannot_be_refunded(standins):
    gateway = _gateway(standins)
    with pytest.raises(PaymentDeclined) as declined:
        _charge(gateway, "tok_chargeDeclined", "refund-declined")
    assert declined.value.payment_intent_id is not None
    with pytest.raises(PaymentRejected) as rejected:
        gateway.refund(
            payment_intent_id=declined.value.payment_intent_id,
            amount_cents=100,
            idempotency_key="r-declined",
            metadata={},
        )
    assert rejected.value.code == "charge_not_refundable"


def _verifier(standins: StandIns) -> HttpIdentityVerifier:
    return HttpIdentityVerifier(standins.base_urls["kyc"], standins.config.kyc_api_key, retry=FAST_RETRY)


@pytest.mark.parametrize(
    ("changes", "verified", "reasons"),
    [
        ({}, True, ()),
        ({"familyName": "UNVERIFIED"}, False, ("identity_not_found",)),
        ({"ssnLast4": "0000"}, False, ("ssn_mismatch",)),
    ],
)
def test_kyc_answers_by_its_magic_values(standins, changes, verified, reasons):
    reference = f"app-kyc-{sorted(changes.items())}"
    check = _verifier(standins).verify(reference=reference, identity={**IDENTITY, **changes})
    assert (check.verified, check.reasons) == (verified, reasons) and check.id.startswith("kyc_")


def test_kyc_refuses_an_invalid_identity_naming_the_field(standins):
    with pytest.raises(RequestRejected) as rejected:
        _verifier(standins).verify(
            reference="app-kyc-bad", identity={**IDENTITY, "dateOfBirth": "01/04/1990"}
        )
    assert rejected.value.status == 400 and "dateOfBirth" in str(rejected.value)


def _bureau(standins: StandIns) -> HttpRiskBureau:
    return HttpRiskBureau(standins.base_urls["bureau"], standins.config.bureau_api_key, retry=FAST_RETRY)


@pytest.mark.parametrize(
    ("age", "declarations", "risk", "score", "band", "reasons"),
    [
        (30, {"chronicCondition": False}, {"smoker": "false"}, 850, "A", ()),
        (55, {}, {"smoker": "true"}, 720, "B", ("tobacco_use",)),
        (45, {}, {"drivingRecord": "minor"}, 790, "B", ("minor_violations",)),
        (40, {"chronicCondition": True}, {}, 650, "C", ("declared_chronicCondition",)),
        (60, {}, {"smoker": "true", "drivingRecord": "major"}, 455, "D", ("tobacco_use", "major_violations")),
        (
            80,
            {"chronicCondition": True, "hazardousActivities": True, "previouslyDeclined": True},
            {"smoker": "true", "drivingRecord": "major"},
            0,
            "E",
            (
                "tobacco_use",
                "major_violations",
                "declared_chronicCondition",
                "declared_hazardousActivities",
                "declared_previouslyDeclined",
            ),
        ),
    ],
)
def test_the_bureau_scores_deterministically(standins, age, declarations, risk, score, band, reasons):
    facts = {
        "productId": "term-life-20",
        "age": age,
        "state": "TX",
        "declarations": declarations,
        "riskFactors": risk,
    }
    assessment = _bureau(standins).assess(reference=f"app-ra-{age}-{score}", facts=facts)
    assert (assessment.score, assessment.band, assessment.reason_codes) == (score, band, reasons)


def _faults(standins: StandIns, **modes: str) -> None:
    assert httpx.post(f"{standins.control_url}/faults", json=modes).status_code == 200


def test_injected_faults_fail_calls_until_healed(standins):
    facts = {"productId": "p", "age": 30, "state": "TX", "declarations": {}, "riskFactors": {}}
    _faults(standins, kyc="down", bureau="error", payments="down")
    with pytest.raises(DependencyError) as kyc_down:
        _verifier(standins).verify(reference="app-fault", identity=IDENTITY)
    with pytest.raises(DependencyError) as bureau_error:
        _bureau(standins).assess(reference="app-fault", facts=facts)
    with pytest.raises(DependencyError) as payments_down:
        _charge(_gateway(standins), "tok_visa", "fault-1")
    assert (kyc_down.value.status, bureau_error.value.status, payments_down.value.status) == (503, 500, 503)
    assert _intents(standins, "fault-1") == []  # nothing was charged while down

    _faults(standins, kyc="up", bureau="ok", payments="up")
    assert _verifier(standins).verify(reference="app-fault", identity=IDENTITY).verified
    assert _bureau(standins).assess(reference="app-fault", facts=facts).band == "A"
    assert _charge(_gateway(standins), "tok_visa", "fault-1").status == "succeeded"
    assert len(_intents(standins, "fault-1")) == 1


def test_the_ledger_is_plain_json(standins):
    ledger = _ledger(standins)
    assert set(ledger) == {"paymentIntents", "refunds", "webhooksDelivered", "mailings"}
    json.dumps(ledger)
