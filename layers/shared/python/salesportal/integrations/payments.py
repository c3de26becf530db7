"""The payment gateway: Stripe-style payment intents and refunds over HTTPS (httpx).

The caller's idempotency key goes to the gateway on every attempt, so a charge that timed
out is replayed by the gateway, not made again. A 402 is a decline the customer can act on
(``PaymentDeclined``); any other 4xx is our request being refused (``PaymentRejected``);
5xx, timeouts and connection failures are retried and then raise ``DependencyError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from salesportal import secrets
from salesportal.integrations.http import BearerApi, DependencyError


@dataclass(frozen=True)
class PaymentIntent:
    id: str
    status: str  # "succeeded" | "processing" | "requires_payment_method"
    amount_cents: int
    currency: str
    metadata: Mapping[str, str]


@dataclass(frozen=True)
class Refund:
    id: str
    status: str
    amount_cents: int
    payment_intent_id: str


class PaymentDeclined(Exception):
    """The card was declined (HTTP 402): the customer can try another payment method."""

    def __init__(
        self, code: str, decline_code: str | None, message: str, payment_intent_id: str | None
    ) -> None:
        super().__init__(message)
        self.code, self.decline_code, self.message = code, decline_code, message
        self.payment_intent_id = payment_intent_id


class PaymentRejected(Exception):
    """Our request was refused (a 4xx other than 402): bad parameters, key reuse, auth.

    ``status`` 409 means the same idempotency key is being processed right now: the request
    was not refused, its answer is just not known yet."""

    def __init__(self, code: str | None, message: str, param: str | None, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.param, self.status = code, message, param, status

    @property
    def in_progress(self) -> bool:
        return self.status == 409


class PaymentGateway(Protocol):
    def charge(
        self,
        *,
        amount_cents: int,
        currency: str,
        payment_method: str,
        idempotency_key: str,
        description: str,
        metadata: Mapping[str, str],
    ) -> PaymentIntent: ...

    def refund(
        self, *, payment_intent_id: str, amount_cents: int, idempotency_key: str, metadata: Mapping[str, str]
    ) -> Refund: ...


def _intent(body: Mapping[str, Any]) -> PaymentIntent:
    return PaymentIntent(
        id=str(body["id"]),
        status=str(body["status"]),
        amount_cents=int(body["amount"]),
        currency=str(body.get("currency", "usd")).upper(),
        metadata=dict(body.get("metadata") or {}),
    )


def _error(response: httpx.Response) -> dict[str, Any]:
    try:
        error = response.json().get("error") or {}
    except ValueError:
        error = {}
    return error if isinstance(error, dict) else {}


class HttpPaymentGateway(BearerApi):
    service = "payments"

    def _body(self, response: httpx.Response) -> dict[str, Any]:
        """The JSON object of a 2xx; anything else is the gateway misbehaving, not an answer."""
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise DependencyError(self.service, "HTTP 2xx without a JSON object", status=response.status_code)
        return body

    def _refused(self, response: httpx.Response) -> Exception:
        error = _error(response)
        message = str(error.get("message") or f"HTTP {response.status_code}")
        if response.status_code == 402:
            intent = error.get("payment_intent")
            return PaymentDeclined(
                str(error.get("code") or "card_declined"),
                error.get("decline_code"),
                message,
                intent.get("id") if isinstance(intent, dict) else None,
            )
        return PaymentRejected(
            error.get("code") or error.get("type"), message, error.get("param"), response.status_code
        )

    def charge(
        self,
        *,
        amount_cents: int,
        currency: str,
        payment_method: str,
        idempotency_key: str,
        description: str,
        metadata: Mapping[str, str],
    ) -> PaymentIntent:
        response = self._http.request(
            "POST",
            "/v1/payment_intents",
            json={
                "amount": amount_cents,
                "currency": currency.lower(),
                "payment_method": payment_method,
                "confirm": True,
                "description": description,
                "metadata": dict(metadata),
            },
            idempotency_key=idempotency_key,
        )
        if response.status_code >= 400:
            raise self._refused(response)
        return _intent(self._body(response))

    def retrieve(self, payment_intent_id: str) -> PaymentIntent:
        """The intent as the gateway knows it now (to reconcile a "processing" one)."""
        response = self._http.request("GET", f"/v1/payment_intents/{payment_intent_id}")
        if response.status_code >= 400:
            raise self._refused(response)
        return _intent(self._body(response))

    def refund(
        self, *, payment_intent_id: str, amount_cents: int, idempotency_key: str, metadata: Mapping[str, str]
    ) -> Refund:
        response = self._http.request(
            "POST",
            "/v1/refunds",
            json={"payment_intent": payment_intent_id, "amount": amount_cents, "metadata": dict(metadata)},
            idempotency_key=idempotency_key,
        )
        if response.status_code >= 400:
            raise self._refused(response)
        body = self._body(response)
        return Refund(
            id=str(body["id"]),
            status=str(body["status"]),
            amount_cents=int(body["amount"]),
            payment_intent_id=str(body["payment_intent"]),
        )


def payment_gateway(base_url: str, secret_id: str) -> PaymentGateway:
    """A gateway client for the API key the secret holds now, built per invocation (cheap):
    ``secrets`` re-reads the secret after its TTL, so a rotated key is used from then on."""
    return HttpPaymentGateway(base_url, secrets.get_json(secret_id, "apiKey")["apiKey"])
