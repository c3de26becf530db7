"""Premium payments and cancellations (``workflows.paying``: one charge in flight per policy).

The client's ``Idempotency-Key`` guards the route (Powertools idempotency keyed by caller,
policy and key; the same key with another payment method is refused) and goes on to the
gateway, so a retry after a timeout replays the charge instead of making another.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
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

from salesportal import idempotency
from salesportal.config import Settings, load
from salesportal.data.sales import SalesRepository
from salesportal.errors import Conflict, Unprocessable
from salesportal.http import caller, header, json_response, rest_resolver
from salesportal.integrations.payments import payment_gateway
from salesportal.models.applications import ULID_PATTERN
from salesportal.models.policies import (
    CANCEL_DOCS,
    PAY_DOCS,
    CancellationRequest,
    PaymentRequest,
    Policy,
    idempotency_key,
    payment_of,
    policy_of,
)
from salesportal.observability import count, entrypoint, logger
from salesportal.workflows import paying

app = rest_resolver()
PolicyId = Annotated[str, Path(alias="policyId", pattern=ULID_PATTERN)]
_IDEMPOTENCY = IdempotencyConfig(
    event_key_jmespath="[customerId, policyId, idempotencyKey]",
    payload_validation_jmespath="paymentMethod",
    expires_after_seconds=24 * 3600,
)
REUSED = "This Idempotency-Key was used for a different payment; use a new key."
IN_PROGRESS = "A payment with this Idempotency-Key is in progress."


class PaymentsSettings(Settings):
    sales_table_name: str
    idempotency_table_name: str
    payments_base_url: str
    payment_gateway_secret_id: str


def _ports(actor: str) -> paying.Ports:
    s = load(PaymentsSettings)
    gateway = payment_gateway(s.payments_base_url, s.payment_gateway_secret_id)
    return paying.Ports(SalesRepository(s.sales_table_name), gateway, actor, datetime.now(UTC), count)


@cache
def _idempotent_pay() -> Callable[..., dict[str, Any]]:
    table = load(PaymentsSettings).idempotency_table_name
    return idempotency.guard(_pay, table_name=table, config=_IDEMPOTENCY, data_keyword="request")


def _pay(request: dict[str, Any]) -> dict[str, Any]:
    """One payment attempt; its answer is kept by the idempotency layer (refusals are not)."""
    outcome = paying.pay_premium(
        _ports(request["actor"]),
        request["customerId"],
        request["policyId"],
        client_key=request["idempotencyKey"],
        payment_method=request["paymentMethod"],
    )
    logger.info("payment " + outcome.kind, extra={"payment_id": outcome.payment.payment_id})
    body = payment_of(outcome.payment).model_dump(mode="json", by_alias=True)
    return {"status": 201 if outcome.kind == "paid" else 202, "payment": body}


@app.post("/policies/<policyId>/payments", **PAY_DOCS)
def pay(policy_id: PolicyId, body: PaymentRequest) -> Response[str]:
    principal = caller(app)
    key = idempotency_key(header(app, "Idempotency-Key"))
    request = {"customerId": principal.sub, "policyId": policy_id, "idempotencyKey": key}
    request |= {"paymentMethod": body.payment_method, "actor": principal.actor}
    try:
        result = _idempotent_pay()(request=request)
    except IdempotencyValidationError:
        raise Unprocessable(REUSED, code="idempotency_key_reused") from None
    except IdempotencyAlreadyInProgressError:
        raise Conflict(IN_PROGRESS, code="payment_in_progress") from None
    return json_response(result["status"], result["payment"], {"Location": f"/v1/policies/{policy_id}"})


@app.post("/policies/<policyId>/cancellation", **CANCEL_DOCS)
def cancel(policy_id: PolicyId, body: CancellationRequest) -> Policy:
    principal = caller(app)
    when, reason, note = body.effective_date, body.reason, body.note
    cancelled = paying.cancel(
        _ports(principal.actor), principal.sub, policy_id, effective=when, reason=reason, note=note
    )
    logger.info("policy cancelled", extra={"policy_id": policy_id, "reason": body.reason})
    return policy_of(cancelled)


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    _IDEMPOTENCY.register_lambda_context(context)
    return app.resolve(event, context)
