"""Loopback stand-ins for the outside world: a payment gateway, KYC and an underwriting bureau.

Each speaks the HTTP protocol its real counterpart does (bearer auth, JSON, idempotency
keys, signed webhooks), so the real clients in ``salesportal.integrations`` are exercised.
Written with the standard library only and independently of those clients, so a test
that passes proves two implementations of the protocol agree.

Payment-method test tokens (as in Stripe's test mode):
- ``tok_visa`` succeeds; ``tok_chargeDeclined`` / ``tok_chargeDeclinedInsufficientFunds`` decline (402)
- ``tok_timeout`` is charged, but the first answer for its key comes after ``slow_response_s``
- ``tok_async`` / ``tok_asyncDeclined`` answer "processing", then a signed webhook settles them
KYC: family name "Unverified" fails (identity_not_found); SSN last four "0000" fails.
Bureau: a deterministic score from age, tobacco, driving record and declarations.
Faults: ``POST /_control/faults {"kyc": "down", "bureau": "error", "payments": "down"}`` (and
"up"/"ok" to heal); ``GET /_control/ledger`` lists intents, refunds and webhooks delivered.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = tuple[int, dict[str, Any], dict[str, str]]


@dataclass
class StandInConfig:
    payments_api_key: str = "sk_test_local"
    kyc_api_key: str = "kyc_test_local"
    bureau_api_key: str = "bureau_test_local"
    webhook_secret: str = "whsec_local"
    webhook_url: str | None = None
    slow_response_s: float = 8.0
    async_delay_s: float = 0.3


def _id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def _error(status: int, type_: str, message: str, **extra: Any) -> Answer:
    return status, {"error": {"type": type_, "message": message, **extra}}, {}


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    faults: dict[str, str] = field(default_factory=dict)
    intents: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: list[dict[str, Any]] = field(default_factory=list)
    idempotency: dict[tuple[str, str, str], tuple[str, Answer]] = field(default_factory=dict)
    answered_once: set[tuple[str, str, str]] = field(default_factory=set)
    webhooks: list[str] = field(default_factory=list)


class StandIns:
    def __init__(self, config: StandInConfig, host: str, port: int) -> None:
        self.config = config
        self.state = _State()
        standins = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def _answer(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, body, headers = standins.handle(method, self.path, dict(self.headers.items()), raw)
                delay = float(headers.pop("X-Delay", "0") or 0)
                if delay:
                    time.sleep(delay)
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test): the charge stands regardless

            def do_GET(self) -> None:
                self._answer("GET")

            def do_POST(self) -> None:
                self._answer("POST")

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        bound_host, bound_port = self.server.server_address[:2]
        self.url = f"http://{bound_host}:{bound_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, name="standins", daemon=True)

    @property
    def base_urls(self) -> dict[str, str]:
        return {name: f"{self.url}/{name}" for name in ("payments", "kyc", "bureau")}

    @property
    def control_url(self) -> str:
        return f"{self.url}/_control"

    def start(self) -> StandIns:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- routing -----------------------------------------------------------------------
    def handle(self, method: str, path: str, headers: dict[str, str], raw: bytes) -> Answer:
        service, _, rest = path.lstrip("/").partition("/")
        rest = "/" + rest
        if service == "_control":
            return self._control(method, rest, raw)
        keys = {
            "payments": self.config.payments_api_key,
            "kyc": self.config.kyc_api_key,
            "bureau": self.config.bureau_api_key,
        }
        if service not in keys:
            return _error(404, "invalid_request_error", f"No such service {service!r}")
        lower = {k.lower(): v for k, v in headers.items()}
        if lower.get("authorization") != f"Bearer {keys[service]}":
            return _error(401, "authentication_error", "Invalid API key provided.")
        fault = self.state.faults.get(service)
        if fault in ("down", "error"):
            return _error(
                503 if fault == "down" else 500, "api_error", f"{service} is {fault} (injected fault)"
            )
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            return _error(400, "invalid_request_error", "Body is not JSON.")
        if not isinstance(body, dict):
            return _error(400, "invalid_request_error", "Body must be a JSON object.")
        route = {
            ("payments", "POST", "/v1/payment_intents"): self._create_intent,
            ("payments", "POST", "/v1/refunds"): self._create_refund,
            ("kyc", "POST", "/v1/verifications"): self._verify,
            ("bureau", "POST", "/v1/risk-assessments"): self._assess,
        }.get((service, method, rest))
        if method == "GET" and service == "payments" and rest.startswith("/v1/payment_intents/"):
            intent = self.state.intents.get(rest.rsplit("/", 1)[1])
            if intent is None:
                return _error(
                    404, "invalid_request_error", "No such payment_intent.", code="resource_missing"
                )
            return 200, intent, {}
        if route is None:
            return _error(404, "invalid_request_error", f"Unrecognized request URL ({method} {rest}).")
        key = lower.get("idempotency-key")
        if not key:
            return route(body)
        return self._idempotent((keys[service], rest, key), raw, lambda: route(body))

    def _idempotent(self, scope: tuple[str, str, str], raw: bytes, compute: Any) -> Answer:
        fingerprint = hashlib.sha256(raw).hexdigest()
        with self.state.lock:
            stored = self.state.idempotency.get(scope)
            if stored is None:
                answer: Answer = compute()
                self.state.idempotency[scope] = (fingerprint, answer)
                first = True
            else:
                stored_print, answer = stored
                if stored_print != fingerprint:
                    return _error(
                        400,
                        "idempotency_error",
                        "Keys for idempotent requests can only be used with the same parameters they were first used with.",
                    )
                first = False
        status, body, headers = answer
        headers = {k: v for k, v in headers.items() if k != "X-Delay"}
        if not first:
            return status, body, {**headers, "Idempotent-Replayed": "true"}
        if answer[2].get("X-Delay"):
            return status, body, {**headers, "X-Delay": answer[2]["X-Delay"]}
        return status, body, headers

    # -- payment gateway ---------------------------------------------------------------
    def _create_intent(self, body: dict[str, Any]) -> Answer:
        amount, method = body.get("amount"), body.get("payment_method")
        if not isinstance(amount, int) or amount <= 0:
            return _error(
                400,
                "invalid_request_error",
                "amount must be a positive integer",
                code="parameter_invalid",
                param="amount",
            )
        tokens = {
            "tok_visa",
            "tok_chargeDeclined",
            "tok_chargeDeclinedInsufficientFunds",
            "tok_timeout",
            "tok_async",
            "tok_asyncDeclined",
        }
        if method not in tokens:
            return _error(
                400,
                "invalid_request_error",
                f"No such PaymentMethod: '{method}'",
                code="resource_missing",
                param="payment_method",
            )
        intent = {
            "id": _id("pi"),
            "object": "payment_intent",
            "amount": amount,
            "currency": str(body.get("currency", "usd")).lower(),
            "status": "succeeded",
            "payment_method": method,
            "description": body.get("description"),
            "metadata": body.get("metadata") or {},
            "created": int(time.time()),
            "last_payment_error": None,
            "amount_refunded": 0,
        }
        if method in ("tok_chargeDeclined", "tok_chargeDeclinedInsufficientFunds"):
            insufficient = method.endswith("InsufficientFunds")
            error = {
                "code": "card_declined",
                "decline_code": "insufficient_funds" if insufficient else "generic_decline",
                "message": "Your card has insufficient funds." if insufficient else "Your card was declined.",
            }
            intent.update(
                status="requires_payment_method", last_payment_error={**error, "type": "card_error"}
            )
            self.state.intents[intent["id"]] = intent
            return 402, {"error": {"type": "card_error", **error, "payment_intent": intent}}, {}
        if method in ("tok_async", "tok_asyncDeclined"):
            intent["status"] = "processing"
            self.state.intents[intent["id"]] = intent
            threading.Timer(
                self.config.async_delay_s, self._settle, args=(intent["id"], method == "tok_async")
            ).start()
            return 200, dict(intent), {}
        self.state.intents[intent["id"]] = intent
        headers = {"X-Delay": str(self.config.slow_response_s)} if method == "tok_timeout" else {}
        return 200, dict(intent), headers

    def _settle(self, intent_id: str, succeeded: bool) -> None:
        intent = self.state.intents[intent_id]
        if succeeded:
            intent["status"] = "succeeded"
        else:
            intent.update(
                status="requires_payment_method",
                last_payment_error={
                    "type": "card_error",
                    "code": "card_declined",
                    "decline_code": "generic_decline",
                    "message": "Your card was declined.",
                },
            )
        event = {
            "id": _id("evt"),
            "object": "event",
            "type": "payment_intent.succeeded" if succeeded else "payment_intent.payment_failed",
            "created": int(time.time()),
            "data": {"object": dict(intent)},
        }
        self._deliver(event)

    def _deliver(self, event: dict[str, Any]) -> None:
        if not self.config.webhook_url:
            return
        payload = json.dumps(event).encode()
        for _ in range(3):
            timestamp = int(time.time())
            signature = hmac.new(
                self.config.webhook_secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256
            ).hexdigest()
            request = urllib.request.Request(
                self.config.webhook_url,
                data=payload,
                method="POST",
                headers={
                    "Content-Type": "application/json",
                    "Stripe-Signature": f"t={timestamp},v1={signature}",
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    if 200 <= response.status < 300:
                        self.state.webhooks.append(event["id"])
                        return
            except OSError:
                pass
            time.sleep(0.5)

    def _create_refund(self, body: dict[str, Any]) -> Answer:
        intent = self.state.intents.get(str(body.get("payment_intent")))
        if intent is None:
            return _error(
                400,
                "invalid_request_error",
                "No such payment_intent.",
                code="resource_missing",
                param="payment_intent",
            )
        amount = body.get("amount")
        if not isinstance(amount, int) or amount <= 0:
            return _error(
                400,
                "invalid_request_error",
                "amount must be a positive integer",
                code="parameter_invalid",
                param="amount",
            )
        if intent["status"] != "succeeded":
            return _error(
                400, "invalid_request_error", "This charge cannot be refunded.", code="charge_not_refundable"
            )
        if amount > intent["amount"] - intent["amount_refunded"]:
            return _error(
                400,
                "invalid_request_error",
                "Refund amount is greater than the unrefunded amount.",
                code="amount_too_large",
                param="amount",
            )
        intent["amount_refunded"] += amount
        refund = {
            "id": _id("re"),
            "object": "refund",
            "amount": amount,
            "currency": intent["currency"],
            "payment_intent": intent["id"],
            "status": "succeeded",
            "metadata": body.get("metadata") or {},
            "created": int(time.time()),
        }
        self.state.refunds.append(refund)
        return 200, refund, {}

    # -- KYC and bureau -----------------------------------------------------------------
    def _verify(self, body: dict[str, Any]) -> Answer:
        for name in ("reference", "givenName", "familyName", "dateOfBirth", "ssnLast4"):
            if not isinstance(body.get(name), str) or not body[name]:
                return _error(400, "invalid_request_error", f"{name} is required", param=name)
        try:
            date.fromisoformat(body["dateOfBirth"])
        except ValueError:
            return _error(400, "invalid_request_error", "dateOfBirth must be YYYY-MM-DD", param="dateOfBirth")
        if not (len(body["ssnLast4"]) == 4 and body["ssnLast4"].isdigit()):
            return _error(400, "invalid_request_error", "ssnLast4 must be four digits", param="ssnLast4")
        reasons = []
        if body["familyName"].lower() == "unverified":
            reasons.append("identity_not_found")
        elif body["ssnLast4"] == "0000":
            reasons.append("ssn_mismatch")
        return (
            200,
            {
                "id": _id("kyc"),
                "reference": body["reference"],
                "status": "failed" if reasons else "verified",
                "reasons": reasons,
            },
            {},
        )

    def _assess(self, body: dict[str, Any]) -> Answer:
        age = body.get("age")
        if not isinstance(age, int) or not 0 <= age <= 130:
            return _error(400, "invalid_request_error", "age must be an integer 0-130", param="age")
        score, reasons = 850, []
        if age > 45:
            score -= 3 * (age - 45)
        risk = body.get("riskFactors") or {}
        if str(risk.get("smoker")).lower() == "true":
            score -= 100
            reasons.append("tobacco_use")
        record = risk.get("drivingRecord")
        if record == "minor":
            score -= 60
            reasons.append("minor_violations")
        elif record == "major":
            score -= 250
            reasons.append("major_violations")
        for name, answer in sorted((body.get("declarations") or {}).items()):
            if answer is True:
                score -= 200
                reasons.append(f"declared_{name}")
        score = max(0, min(1000, score))
        band = next(
            b for b, floor in (("A", 800), ("B", 700), ("C", 550), ("D", 400), ("E", 0)) if score >= floor
        )
        return (
            200,
            {
                "id": _id("ra"),
                "reference": body.get("reference"),
                "score": score,
                "band": band,
                "reasonCodes": reasons,
            },
            {},
        )

    # -- control -----------------------------------------------------------------------
    def _control(self, method: str, rest: str, raw: bytes) -> Answer:
        if method == "POST" and rest == "/faults":
            changes = json.loads(raw or b"{}")
            for service, mode in changes.items():
                if mode in ("up", "ok"):
                    self.state.faults.pop(service, None)
                else:
                    self.state.faults[service] = mode
            return 200, {"faults": dict(self.state.faults)}, {}
        if method == "GET" and rest == "/ledger":
            return (
                200,
                {
                    "paymentIntents": list(self.state.intents.values()),
                    "refunds": list(self.state.refunds),
                    "webhooksDelivered": list(self.state.webhooks),
                },
                {},
            )
        return _error(404, "invalid_request_error", "No such control endpoint.")


def serve_standins(config: StandInConfig, host: str = "127.0.0.1", port: int = 0) -> StandIns:
    return StandIns(config, host, port).start()
