"""Daily: renewal reminders (30 and 7 days out), dunning of unpaid renewals, term roll-over, lapse.

Safe to run twice on a day (a retried schedule, a manual ``make fire``): reminders are
conditional puts keyed by policy, term and day count; a renewal is charged at most once a
day, with a gateway idempotency key per attempt; transitions are conditional on the state
they leave. Dunning follows the customer's payment rules (``workflows.paying``): no charge
while another for the policy is processing, the attempt claimed on the policy before the
gateway is called, and a term does not lapse while its renewal payment is processing. One policy's failure does not stop the others; the run then fails at the end
so the schedule's retries and alarm see it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal import secrets
from salesportal.config import Settings, load
from salesportal.data.sales import ABSENT, CHARGE, SalesRepository, StateChanged
from salesportal.domain import billing
from salesportal.domain import policies as lifecycle
from salesportal.errors import Conflict
from salesportal.integrations.http import DependencyError
from salesportal.integrations.payments import (
    HttpPaymentGateway,
    PaymentDeclined,
    PaymentGateway,
    PaymentRejected,
)
from salesportal.observability import entrypoint, logger, metrics
from salesportal.workflows import paying

ACTOR = "system:renewals"
LOOKAHEAD = timedelta(days=max(lifecycle.REMINDER_DAYS))


class RenewalSettings(Settings):
    sales_table_name: str
    payments_base_url: str
    payment_gateway_secret_id: str


@cache
def gateway() -> PaymentGateway:
    s = load(RenewalSettings)
    return HttpPaymentGateway(s.payments_base_url, secrets.get_json(s.payment_gateway_secret_id)["apiKey"])


def _end_term(sales: SalesRepository, policy: dict[str, Any], outcome: str, now: str) -> None:
    customer_id, policy_id = policy["customerId"], policy["policyId"]
    if outcome == "ROLL":
        renewal = policy["renewal"]
        fields = {
            "termStart": renewal["termStart"],
            "termEnd": renewal["termEnd"],
            "annualPremium": renewal["annualPremium"],
            "monthlyPremium": renewal.get("monthlyPremium", policy["monthlyPremium"]),
            "paidCents": renewal.get("paidCents", 0),
            "paymentIntentId": renewal.get("paymentIntentId"),
            "updatedAt": now,
        }
        sales.update_policy(
            customer_id,
            policy_id,
            fields,
            expected=("ACTIVE",),
            actor=ACTOR,
            remove=("renewal", "remindersSent"),
        )
    else:
        status = "LAPSED" if outcome == "LAPSE" else "EXPIRED"
        sales.update_policy(
            customer_id, policy_id, {"status": status, "updatedAt": now}, expected=("ACTIVE",), actor=ACTOR
        )
    logger.info("term ended", extra={"policy_id": policy_id, "outcome": outcome})


def _ports(sales: SalesRepository, now: str) -> paying.Ports:
    return paying.Ports(sales, gateway(), ACTOR, now)


def _settle_unanswered(sales: SalesRepository, policy: dict[str, Any], now: str) -> dict[str, Any]:
    """A charge on the policy whose answer never came (a timeout, a crash): learn it first,
    by replaying its request, so nothing is charged or lapsed on a guess. The policy after."""
    charge = policy.get(CHARGE)
    if not charge or charge.get("paymentId") or not paying.abandoned(charge, now):
        return policy  # nothing unanswered, or a customer's payment still being sent
    customer_id, policy_id = policy["customerId"], policy["policyId"]
    paying.resolve(_ports(sales, now), customer_id, policy_id, policy, charge)
    return sales.get_policy(customer_id, policy_id) or policy


def _charge_renewal(sales: SalesRepository, policy: dict[str, Any], today: date, now: str) -> str:
    """One dunning attempt, under the same one-charge-in-flight rule as a customer's payment:
    the attempt (and its count) is claimed on the policy before the gateway is called."""
    customer_id, policy_id = policy["customerId"], policy["policyId"]
    due = lifecycle.amount_due(policy)
    renewal = policy["renewal"]
    attempts = int(renewal.get("attempts", 0))
    attempt = attempts + 1
    charge = billing.charge_in_flight(
        policy,
        due,
        gateway_key=f"renewal:{policy_id}:{due.term_start}:attempt-{attempt}",
        client_key=f"renewal-{due.term_start}-attempt-{attempt}",
        payment_method=policy["paymentMethod"],
        description=f"Policy {policy['policyNumber']} renewal premium",
        actor=ACTOR,
        now=now,
    )
    counted = {
        "renewal": {**renewal, "attempts": attempt, "lastAttemptOn": today.isoformat()},
        "updatedAt": now,
    }
    # Two runs at once: only the one that read the current count claims the attempt.
    if not paying.claim(
        _ports(sales, now), customer_id, policy_id, charge, counted, {"renewal.attempts": attempts}
    ) and not (
        attempts == 0
        and paying.claim(
            _ports(sales, now), customer_id, policy_id, charge, counted, {"renewal.attempts": ABSENT}
        )
    ):
        raise StateChanged(f"POLICY#{policy_id}")
    try:
        outcome = paying.make_charge(_ports(sales, now), customer_id, policy_id, policy, charge)
    except (PaymentDeclined, PaymentRejected):
        return "declined"
    return {"paid": "charged", "processing": "processing"}.get(outcome.kind, "charged")


def run(today: date) -> dict[str, int]:
    sales = SalesRepository(load(RenewalSettings).sales_table_name)
    now = datetime.now(UTC).isoformat()
    summary = {"termsEnded": 0, "reminders": 0, "charged": 0, "declined": 0, "processing": 0, "errors": 0}
    ended = sales.policies_ending("ACTIVE", "0000-01-01", today.isoformat())
    upcoming = sales.policies_ending(
        "ACTIVE", (today + timedelta(days=1)).isoformat(), (today + LOOKAHEAD).isoformat()
    )
    for policy in [*ended, *upcoming]:
        try:
            policy = _settle_unanswered(sales, policy, now)
            actions = lifecycle.daily_actions(policy, today)
            if actions.term_ended:
                _end_term(sales, policy, actions.term_ended, now)
                summary["termsEnded"] += 1
                continue
            if actions.reminder is not None:
                facts = {"policyNumber": policy["policyNumber"], "status": "DUE"}
                if sales.record_reminder(
                    policy["customerId"],
                    policy["policyId"],
                    policy["termEnd"],
                    actions.reminder,
                    facts,
                    actor=ACTOR,
                ):
                    summary["reminders"] += 1
            if actions.charge_renewal:
                summary[_charge_renewal(sales, policy, today, now)] += 1
        except StateChanged:
            logger.info("policy changed during the run", extra={"policy_id": policy.get("policyId")})
        except Conflict:  # a charge on it is being made right now: its outcome decides tomorrow
            logger.info(
                "payment in progress; left for the next run", extra={"policy_id": policy.get("policyId")}
            )
        except DependencyError as exc:
            summary["errors"] += 1
            logger.warning(
                "renewal charge postponed: gateway unavailable",
                extra={"policy_id": policy.get("policyId"), "error": str(exc)},
            )
        except Exception:
            summary["errors"] += 1
            logger.exception("renewal step failed", extra={"policy_id": policy.get("policyId")})
    for name, value in summary.items():
        if value:
            metrics.add_metric(name=f"Renewals{name[0].upper()}{name[1:]}", unit="Count", value=value)
    logger.info("renewal run finished", extra=summary)
    return summary


class RunFailed(RuntimeError):
    """Some policies failed; the schedule retries the run (it is idempotent)."""


@entrypoint()
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # The schedule's own time says which day this run is for (a retried run keeps its day).
    when = event.get("time")
    today = (
        datetime.fromisoformat(when.replace("Z", "+00:00")).date()
        if isinstance(when, str)
        else datetime.now(UTC).date()
    )
    summary = run(today)
    if summary["errors"]:
        raise RunFailed(f"{summary['errors']} policies failed; see the log")
    return {"day": today.isoformat(), **summary}
