"""Renewing: the daily run over policies near their term's end (reminders 30 and 7 days out,
dunning of unpaid renewals, term roll-over, lapse, expiry). The renewal offer a customer
asks for is ``workflows.renewal_offers``.

The run is safe to repeat on a day (a retried schedule, a manual ``make fire``): reminders
are conditional puts keyed by policy, term and day count; a renewal is charged at most once
a day, through paying's one charge step (``workflows.paying.charge_premium``) under the same
one-charge-in-flight rule as a customer's payment, with its dunning count claimed in the
same write as the attempt; transitions are conditional on the state they leave; a term does
not lapse while its renewal payment is processing. One policy's failure does not stop the
others; the summary counts it, so the caller can fail the run for the schedule to retry.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Literal, Protocol

from salesportal.data.sales import Expect, PolicyChange
from salesportal.domain import billing
from salesportal.domain import policies as lifecycle
from salesportal.domain.sales import Policy, Reminder
from salesportal.errors import Conflict
from salesportal.integrations.http import DependencyError
from salesportal.integrations.payments import PaymentDeclined, PaymentGateway, PaymentRejected
from salesportal.observability import logger
from salesportal.workflows import paying
from salesportal.workflows.sales_ports import SalesStore

LOOKAHEAD = timedelta(days=max(lifecycle.REMINDER_DAYS))
Charged = Literal["charged", "processing", "declined"]


class RenewalStore(SalesStore, Protocol):
    """What renewing needs of the sales repository besides what paying does."""

    def active_policies_ending(self, first_day: date, last_day: date) -> list[Policy]: ...

    def record_reminder_sent(self, reminder: Reminder, *, actor: str) -> bool: ...


@dataclass(frozen=True)
class Ports:
    sales: RenewalStore
    gateway: PaymentGateway
    actor: str
    now: datetime

    def paying(self) -> paying.Ports:
        return paying.Ports(self.sales, self.gateway, self.actor, self.now)


@dataclass
class Summary:
    """What a run did, policy by policy."""

    terms_ended: int = 0
    reminders: int = 0
    charged: int = 0
    declined: int = 0
    processing: int = 0
    errors: int = 0
    failed_policies: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "termsEnded": self.terms_ended,
            "reminders": self.reminders,
            "charged": self.charged,
            "declined": self.declined,
            "processing": self.processing,
            "errors": self.errors,
        }


class _Changed(Exception):
    """The policy moved on while the run was deciding for it: tomorrow's run decides again."""


# -- the daily run --------------------------------------------------------------------------
def run(ports: Ports, today: date) -> Summary:
    summary = Summary()
    ended = ports.sales.active_policies_ending(date.min, today)
    upcoming = ports.sales.active_policies_ending(today + timedelta(days=1), today + LOOKAHEAD)
    for policy in [*ended, *upcoming]:
        where = {"policy_id": policy.policy_id}
        try:
            _daily(ports, policy, today, summary)
        except _Changed:
            logger.info("policy changed during the run", extra=where)
        except Conflict:  # a charge on it is being made right now: its outcome decides tomorrow
            logger.info("payment in progress; left for the next run", extra=where)
        except DependencyError as exc:
            summary.errors += 1
            summary.failed_policies.append(policy.policy_id)
            logger.warning(
                "renewal charge postponed: gateway unavailable", extra={**where, "error": str(exc)}
            )
        except Exception:
            summary.errors += 1
            summary.failed_policies.append(policy.policy_id)
            logger.exception("renewal step failed", extra=where)
    logger.info("renewal run finished", extra=summary.counts())
    return summary


def _daily(ports: Ports, policy: Policy, today: date, summary: Summary) -> None:
    policy = _settle_unanswered(ports, policy)
    actions = lifecycle.daily_actions(policy, today)
    if actions.term_ended:
        _end_term(ports, policy, actions.term_ended)
        summary.terms_ended += 1
        return
    if actions.reminder is not None:
        reminder = Reminder(
            policy.policy_id, policy.customer_id, policy.policy_number, policy.term.end, actions.reminder
        )
        if ports.sales.record_reminder_sent(reminder, actor=ports.actor):
            summary.reminders += 1
    if actions.charge_renewal:
        charged = _charge_renewal(ports, policy, today)
        setattr(summary, charged, getattr(summary, charged) + 1)


def _settle_unanswered(ports: Ports, policy: Policy) -> Policy:
    """A charge on the policy whose answer never came (a timeout, a crash): learn it first,
    by replaying its request, so nothing is charged or lapsed on a guess. The policy after."""
    charge = policy.charge
    if charge is None or charge.payment_id or not paying.abandoned(charge, ports.now):
        return policy  # nothing unanswered, or a customer's payment still being sent
    paying.resolve(ports.paying(), policy, charge)
    return ports.sales.policy(policy.customer_id, policy.policy_id) or policy


def _end_term(ports: Ports, policy: Policy, outcome: lifecycle.TermEnd) -> None:
    if outcome == "ROLL":
        after = lifecycle.next_term(policy, ports.now)
    else:
        after = replace(policy, status="LAPSED" if outcome == "LAPSE" else "EXPIRED", updated_at=ports.now)
    if not ports.sales.record(
        actor=ports.actor, policy=PolicyChange(policy, after, Expect(statuses=("ACTIVE",)))
    ):
        raise _Changed(policy.policy_id)
    logger.info("term ended", extra={"policy_id": policy.policy_id, "outcome": outcome})


def _charge_renewal(ports: Ports, policy: Policy, today: date) -> Charged:
    """One dunning attempt, under the same one-charge-in-flight rule as a customer's payment:
    the attempt (and its count) is claimed on the policy before the gateway is called."""
    renewal = policy.renewal
    if renewal is None or not policy.payment_method:
        raise _Changed(policy.policy_id)
    due = lifecycle.amount_due(policy)
    attempt = renewal.attempts + 1
    charge = billing.charge_in_flight(
        policy,
        due,
        gateway_key=f"renewal:{policy.policy_id}:{due.term_start}:attempt-{attempt}",
        client_key=f"renewal-{due.term_start}-attempt-{attempt}",
        payment_method=policy.payment_method,
        description=f"Policy {policy.policy_number} renewal premium",
        actor=ports.actor,
        now=ports.now,
    )
    counted = replace(renewal, attempts=attempt, last_attempt_on=today)
    # Two runs at once: only the one that read the current count claims the attempt.
    claimed = paying.claim(ports.paying(), policy, charge, renewal=counted)
    if claimed is None:
        raise _Changed(policy.policy_id)
    try:
        outcome = paying.charge_premium(ports.paying(), claimed, charge)
    except (PaymentDeclined, PaymentRejected):
        return "declined"
    return "processing" if outcome.kind == "processing" else "charged"
