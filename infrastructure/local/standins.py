"""Loopback stand-ins for the outside world: a payment gateway, KYC and an underwriting bureau.

Each speaks the HTTP protocol its real counterpart does (bearer auth, JSON, idempotency
keys, signed webhooks), so the real clients in ``salesportal.integrations`` are exercised.
Written with the standard library only and independently of those clients, so a test
that passes proves two implementations of the protocol agree.

Routes, by path prefix: ``/payments/v1/...``, ``/kyc/v1/...``, ``/bureau/v1/...``, ``/_control/...``.

Payment-method test tokens (as in Stripe's test mode):
- ``tok_visa`` succeeds; ``tok_chargeDeclined`` / ``tok_chargeDeclinedInsufficientFunds`` decline (402)
- ``tok_timeout`` is charged, but the first answer for its key comes after ``slow_response_s``
- ``tok_async`` / ``tok_asyncDeclined`` answer "processing", then a signed webhook settles them
Idempotency (as Stripe): a key is scoped to the API key; the same key with the same method, path
and JSON body replays the first answer (status included) with ``Idempotent-Replayed: true``;
with anything else it is a 400 ``idempotency_error``. Injected faults and 401s are not stored.
KYC: family name "Unverified" fails (identity_not_found); SSN last four "0000" fails (ssn_mismatch).
Bureau: a deterministic score from age, tobacco, driving record and declarations.
Faults: ``POST /_control/faults {"kyc": "down", "bureau": "error", "payments": "down"}`` (and
"up"/"ok" to heal); ``GET /_control/ledger`` lists intents, refunds, webhooks delivered
and letters mailed. Fulfillment: ``POST /v1/mailings`` accepts a letter (202).
Browser tokenization (as a gateway's JS SDK calls it, with the publishable key and no secret):
``POST /payments/v1/tokens`` (form-encoded ``key``, ``card[number]``, ``card[exp_month]``,
``card[exp_year]``, ``card[cvc]``) answers one of the test tokens above for a test card number
(CARD_TOKENS), with CORS open, so card numbers go from the browser to the gateway only.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKENS = frozenset(
    {
        "tok_visa",
        "tok_chargeDeclined",
        "tok_chargeDeclinedInsufficientFunds",
        "tok_timeout",
        "tok_async",
        "tok_asyncDeclined",
    }
)
DECLINES = {
    "generic_decline": "Your card was declined.",
    "insufficient_funds": "Your card has insufficient funds.",
}
WEBHOOK_RETRIES = 3
WEBHOOK_PAUSE_S = 0.5
STATE_CODE = re.compile(r"^[A-Z]{2}$")
# Test card numbers -> the token a charge with that card behaves as (Stripe's test cards).
CARD_TOKENS = {
    "4242424242424242": "tok_visa",
    "4000000000000002": "tok_chargeDeclined",
    "4000000000009995": "tok_chargeDeclinedInsufficientFunds",
    "4000002500003155": "tok_async",
    "4000008400001629": "tok_asyncDeclined",
}


@dataclass
class StandInConfig:
    payments_api_key: str = "sk_test_local"
    payments_publishable_key: str = "pk_test_local"
    kyc_api_key: str = "kyc_test_local"
    bureau_api_key: str = "bureau_test_local"
    fulfillment_api_key: str = "ful_test_local"
    openai_api_key: str = "sk-local-openai"
    webhook_secret: str = "whsec_local"
    webhook_url: str | None = None
    slow_response_s: float = 8.0
    async_delay_s: float = 0.3


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0  # only ever on a first answer: replays come at once


def secret_values(config: StandInConfig, salesforce: Any = None) -> dict[str, dict[str, str]]:
    """What the manifest's secrets hold offline: the credentials these stand-ins accept."""
    return {
        "payment-gateway": {"apiKey": config.payments_api_key, "webhookSecret": config.webhook_secret},
        "kyc": {"apiKey": config.kyc_api_key},
        "underwriting-bureau": {"apiKey": config.bureau_api_key},
        "fulfillment": {"apiKey": config.fulfillment_api_key},
        "openai": {"apiKey": config.openai_api_key},
        **(
            {"salesforce": {"clientId": salesforce.client_id, "clientSecret": salesforce.client_secret}}
            if salesforce is not None
            else {}
        ),
    }


def _id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def _error(status: int, type_: str, message: str, **extra: Any) -> Answer:
    return Answer(status, {"error": {"type": type_, "message": message, **extra}})


def _invalid(param: str, message: str, code: str = "parameter_invalid") -> Answer:
    return _error(400, "invalid_request_error", message, code=code, param=param)


@dataclass
class _State:
    lock: threading.RLock = field(default_factory=threading.RLock)
    faults: dict[str, str] = field(default_factory=dict)
    intents: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: list[dict[str, Any]] = field(default_factory=list)
    # (api key, idempotency key) -> (fingerprint of method, path and body, first answer)
    idempotency: dict[tuple[str, str], tuple[str, Answer]] = field(default_factory=dict)
    webhooks: list[str] = field(default_factory=list)
    mailings: list[dict[str, Any]] = field(default_factory=list)
    chats: int = 0


class StandIns:
    def __init__(self, config: StandInConfig, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = config
        self.state = _State()
        self._timers: list[threading.Timer] = []
        standins = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return  # quiet: tests and the offline stack print their own story

            def _answer(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    answer = standins.handle(method, self.path, dict(self.headers.items()), raw)
                except Exception as exc:  # a stand-in bug must answer, not hang the client
                    answer = _error(500, "api_error", f"stand-in failure: {exc!r}")
                if answer.delay_s:
                    time.sleep(answer.delay_s)
                data = json.dumps(answer.body).encode()
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in answer.headers.items():
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
        host_text = bound_host.decode() if isinstance(bound_host, bytes) else bound_host
        self.url = f"http://{host_text}:{bound_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, name="standins", daemon=True)

    @property
    def base_urls(self) -> dict[str, str]:
        urls = {name: f"{self.url}/{name}" for name in ("payments", "kyc", "bureau", "fulfillment")}
        return {**urls, "openai": f"{self.url}/openai/v1"}  # the openai SDK's base URL ends in /v1

    @property
    def control_url(self) -> str:
        return f"{self.url}/_control"

    def start(self) -> StandIns:
        self._thread.start()
        return self

    def stop(self) -> None:
        with self.state.lock:
            for timer in self._timers:
                timer.cancel()
        self.server.shutdown()
        self.server.server_close()

    # -- routing -----------------------------------------------------------------------
    def handle(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> Answer:
        service, _, rest = urlsplit(target).path.lstrip("/").partition("/")
        rest = "/" + rest.rstrip("/")
        if service == "_control":
            return self._control(method, rest, raw)
        if (service, method, rest) == ("payments", "POST", "/v1/tokens"):
            return self._tokenize(raw)
        keys = {
            "payments": self.config.payments_api_key,
            "kyc": self.config.kyc_api_key,
            "bureau": self.config.bureau_api_key,
            "fulfillment": self.config.fulfillment_api_key,
            "openai": self.config.openai_api_key,
        }
        if service not in keys:
            return _error(404, "invalid_request_error", f"No such service {service!r}.")
        lower = {k.lower(): v for k, v in headers.items()}
        if lower.get("authorization") != f"Bearer {keys[service]}":
            return _error(401, "authentication_error", "Invalid API key provided.")
        with self.state.lock:
            fault = self.state.faults.get(service)
            if fault == "ratelimit-once":  # one 429, then healed: a retry succeeds
                self.state.faults.pop(service)
        if fault in ("ratelimit", "ratelimit-once"):
            answer = _error(
                429, "requests", "Rate limit reached (injected fault).", code="rate_limit_exceeded"
            )
            answer.headers["Retry-After"] = "1"
            return answer
        if fault in ("down", "error"):
            status = 503 if fault == "down" else 500
            return _error(status, "api_error", f"{service} is {fault} (injected fault)")
        if method == "GET" and service == "payments" and rest.startswith("/v1/payment_intents/"):
            with self.state.lock:
                intent = self.state.intents.get(rest.rsplit("/", 1)[1])
                found = json.loads(json.dumps(intent)) if intent is not None else None
            if found is None:
                return _error(
                    404,
                    "invalid_request_error",
                    "No such payment_intent.",
                    code="resource_missing",
                    param="id",
                )
            return Answer(200, found)
        route: Callable[[dict[str, Any]], Answer] | None = {
            ("payments", "POST", "/v1/payment_intents"): self._create_intent,
            ("payments", "POST", "/v1/refunds"): self._create_refund,
            ("kyc", "POST", "/v1/verifications"): self._verify,
            ("bureau", "POST", "/v1/risk-assessments"): self._assess,
            ("fulfillment", "POST", "/v1/mailings"): self._mail,
            ("openai", "POST", "/v1/chat/completions"): self._chat,
        }.get((service, method, rest))
        if route is None:
            return _error(404, "invalid_request_error", f"Unrecognized request URL ({method} {rest}).")
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            return _error(400, "invalid_request_error", "Body is not JSON.")
        if not isinstance(body, dict):
            return _error(400, "invalid_request_error", "Body must be a JSON object.")
        key = lower.get("idempotency-key")
        with self.state.lock:
            if not key:
                return route(body)
            return self._idempotent((keys[service], key), f"{method} {service}{rest}", body, route)

    def _idempotent(
        self,
        scope: tuple[str, str],
        endpoint: str,
        body: dict[str, Any],
        route: Callable[[dict[str, Any]], Answer],
    ) -> Answer:
        """Called under the lock, so two concurrent first requests cannot both act."""
        canonical = json.dumps([endpoint, body], sort_keys=True, separators=(",", ":"))
        fingerprint = hashlib.sha256(canonical.encode()).hexdigest()
        stored = self.state.idempotency.get(scope)
        if stored is None:
            answer = route(body)
            self.state.idempotency[scope] = (fingerprint, answer)
            return answer
        stored_print, first = stored
        if stored_print != fingerprint:
            return _error(
                400,
                "idempotency_error",
                "Keys for idempotent requests can only be used with the same endpoint and "
                "parameters they were first used with.",
            )
        return Answer(first.status, first.body, {**first.headers, "Idempotent-Replayed": "true"})

    # -- payment gateway ---------------------------------------------------------------
    def _create_intent(self, body: dict[str, Any]) -> Answer:
        amount, token = body.get("amount"), body.get("payment_method")
        if type(amount) is not int or amount <= 0:
            return _invalid("amount", "amount must be a positive integer (cents).")
        if body.get("currency") != "usd":
            return _invalid("currency", "currency must be 'usd'.")
        if not isinstance(token, str) or token not in TOKENS:
            return _invalid("payment_method", f"No such PaymentMethod: {token!r}", code="resource_missing")
        if body.get("confirm", True) is not True:
            return _invalid("confirm", "Only confirm=true is supported.")
        metadata = body.get("metadata") or {}
        if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
            return _invalid("metadata", "metadata must be an object of strings.")
        intent: dict[str, Any] = {
            "id": _id("pi"),
            "object": "payment_intent",
            "amount": amount,
            "currency": "usd",
            "status": "succeeded",
            "payment_method": token,
            "description": body.get("description"),
            "metadata": metadata,
            "created": int(time.time()),
            "last_payment_error": None,
            "amount_refunded": 0,
        }
        self.state.intents[intent["id"]] = intent
        if token in ("tok_chargeDeclined", "tok_chargeDeclinedInsufficientFunds"):
            decline = "insufficient_funds" if token.endswith("InsufficientFunds") else "generic_decline"
            self._fail(intent, decline)
            error = {**intent["last_payment_error"], "payment_intent": _copy(intent)}
            return Answer(402, {"error": error})
        if token in ("tok_async", "tok_asyncDeclined"):
            intent["status"] = "processing"
            timer = threading.Timer(
                self.config.async_delay_s, self._settle, args=(intent["id"], token == "tok_async")
            )
            timer.daemon = True
            self._timers.append(timer)
            timer.start()
        delay = self.config.slow_response_s if token == "tok_timeout" else 0.0
        return Answer(200, _copy(intent), delay_s=delay)

    def _tokenize(self, raw: bytes) -> Answer:
        """The browser SDK's call: publishable key, card fields, a single-use token back."""
        cors = {"Access-Control-Allow-Origin": "*"}
        form = {k: v[-1] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
        if form.get("key") != self.config.payments_publishable_key:
            answer = _error(401, "authentication_error", "Invalid publishable key provided.")
            return Answer(answer.status, answer.body, cors)
        number = re.sub(r"[\s-]", "", form.get("card[number]", ""))
        month, year = form.get("card[exp_month]", ""), form.get("card[exp_year]", "")
        problem = None
        if number not in CARD_TOKENS:
            problem = ("incorrect_number", "card[number]", "Your card number is incorrect.")
        elif not (month.isdigit() and 1 <= int(month) <= 12):
            problem = ("invalid_expiry_month", "card[exp_month]", "Your card's expiration month is invalid.")
        elif not (
            year.isdigit() and (int(year) % 100, int(month)) >= (date.today().year % 100, date.today().month)
        ):
            problem = ("invalid_expiry_year", "card[exp_year]", "Your card's expiration year is invalid.")
        elif not re.fullmatch(r"\d{3,4}", form.get("card[cvc]", "")):
            problem = ("invalid_cvc", "card[cvc]", "Your card's security code is invalid.")
        if problem is not None:
            code, param, message = problem
            answer = _error(402, "card_error", message, code=code, param=param)
            return Answer(answer.status, answer.body, cors)
        token = {
            "id": CARD_TOKENS[number],
            "object": "token",
            "type": "card",
            "card": {"brand": "Visa", "last4": number[-4:], "exp_month": int(month), "exp_year": int(year)},
            "created": int(time.time()),
        }
        return Answer(200, token, cors)

    @staticmethod
    def _fail(intent: dict[str, Any], decline_code: str) -> None:
        intent["status"] = "requires_payment_method"
        intent["last_payment_error"] = {
            "type": "card_error",
            "code": "card_declined",
            "decline_code": decline_code,
            "message": DECLINES[decline_code],
        }

    def _settle(self, intent_id: str, succeeded: bool) -> None:
        with self.state.lock:
            intent = self.state.intents[intent_id]
            if succeeded:
                intent["status"] = "succeeded"
            else:
                self._fail(intent, "generic_decline")
            event = {
                "id": _id("evt"),
                "object": "event",
                "type": "payment_intent.succeeded" if succeeded else "payment_intent.payment_failed",
                "created": int(time.time()),
                "data": {"object": _copy(intent)},
            }
        self._deliver(event)  # outside the lock: the receiver may call back into the gateway

    def _deliver(self, event: dict[str, Any]) -> None:
        payload = json.dumps(event).encode()
        for attempt in range(1 + WEBHOOK_RETRIES):
            url = self.config.webhook_url  # read each time: tests may set it after start
            if not url:
                return
            timestamp = int(time.time())
            signature = hmac.new(
                self.config.webhook_secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256
            ).hexdigest()
            request = urllib.request.Request(
                url,
                data=payload,
                method="POST",
                headers={
                    "Content-Type": "application/json",
                    "Stripe-Signature": f"t={timestamp},v1={signature}",
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    delivered = 200 <= response.status < 300
            except urllib.error.HTTPError as exc:
                exc.close()
                delivered = False
            except OSError:
                delivered = False
            if delivered:
                with self.state.lock:
                    self.state.webhooks.append(event["id"])
                return
            if attempt < WEBHOOK_RETRIES:
                time.sleep(WEBHOOK_PAUSE_S)

    def _create_refund(self, body: dict[str, Any]) -> Answer:
        intent = self.state.intents.get(str(body.get("payment_intent")))
        if intent is None:
            return _invalid("payment_intent", "No such payment_intent.", code="resource_missing")
        amount = body.get("amount")
        if type(amount) is not int or amount <= 0:
            return _invalid("amount", "amount must be a positive integer (cents).")
        metadata = body.get("metadata") or {}
        if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
            return _invalid("metadata", "metadata must be an object of strings.")
        if intent["status"] != "succeeded":
            return _error(
                400,
                "invalid_request_error",
                f"This PaymentIntent is {intent['status']}; only a succeeded charge can be refunded.",
                code="charge_not_refundable",
                param="payment_intent",
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
            "metadata": metadata,
            "created": int(time.time()),
        }
        self.state.refunds.append(refund)
        return Answer(200, _copy(refund))

    # -- KYC and bureau -----------------------------------------------------------------
    def _verify(self, body: dict[str, Any]) -> Answer:
        for name in ("reference", "givenName", "familyName", "dateOfBirth", "ssnLast4"):
            if not isinstance(body.get(name), str) or not body[name].strip():
                return _invalid(name, f"{name} is required.")
        try:
            date.fromisoformat(body["dateOfBirth"])
            valid_date = len(body["dateOfBirth"]) == 10
        except ValueError:
            valid_date = False
        if not valid_date:
            return _invalid("dateOfBirth", "dateOfBirth must be YYYY-MM-DD.")
        if not (len(body["ssnLast4"]) == 4 and body["ssnLast4"].isdigit()):
            return _invalid("ssnLast4", "ssnLast4 must be four digits.")
        address = body.get("address")
        if not isinstance(address, dict):
            return _invalid("address", "address is required.")
        for name in ("line1", "city", "state", "postalCode"):
            value = address.get(name)
            if not isinstance(value, str) or not value.strip():
                return _invalid(f"address.{name}", f"address.{name} is required.")
        if not STATE_CODE.match(address["state"]):
            return _invalid("address.state", "address.state must be a two-letter code.")
        reasons = []
        if body["familyName"].strip().lower() == "unverified":
            reasons.append("identity_not_found")
        elif body["ssnLast4"] == "0000":
            reasons.append("ssn_mismatch")
        return Answer(
            200,
            {
                "id": _id("kyc"),
                "reference": body["reference"],
                "status": "failed" if reasons else "verified",
                "reasons": reasons,
            },
        )

    def _assess(self, body: dict[str, Any]) -> Answer:
        for name in ("reference", "productId"):
            if not isinstance(body.get(name), str) or not body[name]:
                return _invalid(name, f"{name} is required.")
        age = body.get("age")
        if type(age) is not int or not 0 <= age <= 130:
            return _invalid("age", "age must be an integer 0-130.")
        if not isinstance(body.get("state"), str) or not STATE_CODE.match(body["state"]):
            return _invalid("state", "state must be a two-letter code.")
        declarations = body.get("declarations") or {}
        if not isinstance(declarations, dict) or not all(isinstance(v, bool) for v in declarations.values()):
            return _invalid("declarations", "declarations must be an object of booleans.")
        risk = body.get("riskFactors") or {}
        if not isinstance(risk, dict) or not all(isinstance(v, str) for v in risk.values()):
            return _invalid("riskFactors", "riskFactors must be an object of strings.")
        score, reasons = 850, []
        if age > 45:
            score -= 3 * (age - 45)
        if risk.get("smoker") == "true":
            score -= 100
            reasons.append("tobacco_use")
        if risk.get("drivingRecord") == "minor":
            score -= 60
            reasons.append("minor_violations")
        elif risk.get("drivingRecord") == "major":
            score -= 250
            reasons.append("major_violations")
        for name, declared in sorted(declarations.items()):
            if declared:
                score -= 200
                reasons.append(f"declared_{name}")
        score = max(0, min(1000, score))
        band = next(
            (b for b, floor in (("A", 800), ("B", 700), ("C", 550), ("D", 400)) if score >= floor), "E"
        )
        return Answer(
            200,
            {
                "id": _id("ra"),
                "reference": body["reference"],
                "score": score,
                "band": band,
                "reasonCodes": reasons,
            },
        )

    # -- Fulfillment API -----------------------------------------------------------------
    def _mail(self, body: dict[str, Any]) -> Answer:
        """A letter accepted for printing (202); called under the lock like every route."""
        recipient: dict[str, Any] = body["recipient"] if isinstance(body.get("recipient"), dict) else {}
        address: dict[str, Any] = recipient["address"] if isinstance(recipient.get("address"), dict) else {}
        required = [("recipient.name", recipient.get("name"))]
        required += [
            (f"recipient.address.{k}", address.get(k)) for k in ("line1", "city", "state", "postalCode")
        ]
        for name, value in required:
            if not isinstance(value, str) or not value.strip():
                return _error(422, "invalid_request_error", f"{name} is required", param=name)
        mailing = {
            "id": _id("ful"),
            "status": "accepted",
            "reference": body.get("reference"),
            "document": body.get("document"),
        }
        self.state.mailings.append(mailing)
        return Answer(202, _copy(mailing))

    # -- OpenAI-compatible chat completions ---------------------------------------------
    def _chat(self, body: dict[str, Any]) -> Answer:
        """A deterministic answer built from the prompt: the question, and a summary of any
        customer data the caller put in a system message, so tests see what was sent."""
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages or not isinstance(body.get("model"), str):
            return _error(400, "invalid_request_error", "model and messages are required", param="messages")
        question = next((m.get("content", "") for m in reversed(messages) if m.get("role") == "user"), "")
        context: dict[str, Any] = {}
        for message in messages:
            text = str(message.get("content", ""))
            if message.get("role") == "system" and text.startswith("Customer data (JSON): "):
                context = json.loads(text.removeprefix("Customer data (JSON): "))
        if context:
            who = context.get("customer") or {}
            policies = context.get("policies") or []
            statuses = ", ".join(sorted({str(p.get("status")) for p in policies})) or "none"
            content = (
                f"{who.get('givenName')} {who.get('familyName')} has {len(policies)} policies "
                f"(status: {statuses}) and {len(context.get('applications') or [])} applications. "
                f"Asked: {question}"
            )
        else:
            content = f"No customer data was given. Asked: {question}"
        prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in messages)
        completion_tokens = len(content.split())
        self.state.chats += 1
        return Answer(
            200,
            {
                "id": _id("chatcmpl"),
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": completion_tokens,
                    "total_tokens": prompt_tokens + completion_tokens,
                },
            },
        )

    # -- control -----------------------------------------------------------------------
    def _control(self, method: str, rest: str, raw: bytes) -> Answer:
        if method == "POST" and rest == "/faults":
            try:
                changes = json.loads(raw or b"{}")
            except ValueError:
                return _error(400, "invalid_request_error", "Body is not JSON.")
            if not isinstance(changes, dict):
                return _error(400, "invalid_request_error", "Body must be a JSON object.")
            with self.state.lock:
                for service, mode in changes.items():
                    if mode in ("up", "ok"):
                        self.state.faults.pop(service, None)
                    else:
                        self.state.faults[service] = str(mode)
                return Answer(200, {"faults": dict(self.state.faults)})
        if method == "GET" and rest == "/ledger":
            with self.state.lock:
                return Answer(
                    200,
                    _copy(
                        {
                            "paymentIntents": list(self.state.intents.values()),
                            "refunds": self.state.refunds,
                            "webhooksDelivered": self.state.webhooks,
                            "mailings": self.state.mailings,
                        }
                    ),
                )
        return _error(404, "invalid_request_error", "No such control endpoint.")


def _copy(value: Any) -> Any:
    """A deep copy, so a stored answer never changes when the intent does later."""
    return json.loads(json.dumps(value))


def serve_standins(config: StandInConfig, host: str = "127.0.0.1", port: int = 0) -> StandIns:
    return StandIns(config, host, port).start()
