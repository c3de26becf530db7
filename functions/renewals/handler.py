"""Daily (EventBridge schedule): renewal reminders, dunning of unpaid renewals, term
roll-over and lapse (``workflows.renewing.run``). Safe to run twice on a day; when some
policies failed, the run fails at the end so the schedule's retries and alarm see it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from aws_lambda_powertools.utilities.data_classes import EventBridgeEvent
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.data.sales import SalesRepository
from salesportal.integrations.payments import payment_gateway
from salesportal.observability import count, entrypoint
from salesportal.workflows import renewing

ACTOR = "system:renewals"


class RenewalSettings(Settings):
    sales_table_name: str
    payments_base_url: str
    payment_gateway_secret_id: str


class RunFailed(RuntimeError):
    """Some policies failed; the schedule retries the run (it is idempotent)."""


def run_day(event: EventBridgeEvent) -> date:
    """The schedule's own time says which day this run is for (a retried run keeps its day)."""
    when = event.get("time")
    if isinstance(when, str):
        return datetime.fromisoformat(when.replace("Z", "+00:00")).date()
    return datetime.now(UTC).date()


@entrypoint()
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    s = load(RenewalSettings)
    gateway = payment_gateway(s.payments_base_url, s.payment_gateway_secret_id)
    ports = renewing.Ports(SalesRepository(s.sales_table_name), gateway, ACTOR, datetime.now(UTC))
    today = run_day(EventBridgeEvent(event))
    summary = renewing.run(ports, today)
    for name, value in summary.counts().items():
        if value:
            count(f"Renewals{name[0].upper()}{name[1:]}", value)
    if summary.errors:
        raise RunFailed(f"{summary.errors} policies failed; see the log")
    return {"day": today.isoformat(), **summary.counts()}
