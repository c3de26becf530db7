"""Applying: from an own, unexpired quote to an application; accepting approved terms.

Submitting commits the application; the table's stream (the outbox) delivers
ApplicationCreated to the underwriting queue, so nothing submitted is lost if underwriting
is slow or down. A quote is applied for once: a retried submission answers with the first
application. Accepting an approved application issues the policy in the same transaction
that marks the application ACCEPTED, so accepting twice (or racing) yields one policy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from ulid import ULID

from salesportal.data.dynamo import Page
from salesportal.domain import policies as lifecycle
from salesportal.domain.sales import Application, Declarations, Identity, Money, Policy, Quote, Term
from salesportal.domain.underwriting import adjusted
from salesportal.errors import Conflict, Gone, NotFound, Unprocessable


class Applications(Protocol):
    def quote(self, customer_id: str, quote_id: str) -> Quote | None: ...

    def submit(self, application: Application, *, actor: str) -> str | None:
        """The id of the quote's application: this one's, or the one made before (a retry).
        None when the quote is gone (nothing is written)."""
        ...

    def application(self, customer_id: str, application_id: str) -> Application | None: ...

    def applications(self, customer_id: str, *, limit: int, token: str | None) -> Page[Application]: ...


class Policies(Protocol):
    def issue_policy(self, accepted: Application, policy: Policy, *, actor: str) -> bool:
        """The policy created and the application ACCEPTED (from APPROVED) at once; False
        when the application was no longer APPROVED."""
        ...

    def policy(self, customer_id: str, policy_id: str) -> Policy | None: ...


@dataclass(frozen=True)
class Ports:
    applications: Applications
    policies: Policies
    clock: Callable[[], datetime]  # aware, UTC


@dataclass(frozen=True)
class Submission:
    customer_id: str
    actor: str
    quote_id: str
    identity: Identity
    declarations: Declarations


@dataclass(frozen=True)
class Submitted:
    application: Application
    created: bool  # False: this quote had been applied for already (a retry)


@dataclass(frozen=True)
class Accepted:
    policy: Policy
    created: bool  # False: accepted before; this is the policy issued then


def _invalid(field: str, message: str) -> Unprocessable:
    return Unprocessable(message, details=[{"field": field, "message": message, "type": "value_error"}])


def _quote_to_apply_for(submission: Submission, ports: Ports, now: datetime) -> Quote:
    quote = ports.applications.quote(submission.customer_id, submission.quote_id)
    if quote is None:
        raise NotFound("No such quote.", code="quote_not_found")
    if quote.expired(now):
        raise Gone(
            f"Quote {quote.quote_id} expired on {quote.expires_at.isoformat()}; ask for a new quote.",
            code="quote_expired",
        )
    if submission.identity.date_of_birth != quote.date_of_birth:
        raise _invalid("identity.dateOfBirth", "The date of birth must be the one the quote was priced on.")
    if submission.identity.address.state != quote.state:
        raise _invalid("identity.address.state", f"The address must be in {quote.state}, the quoted state.")
    return quote


def submit(submission: Submission, ports: Ports) -> Submitted:
    now = ports.clock()
    quote = _quote_to_apply_for(submission, ports, now)
    application = Application(
        application_id=str(ULID()),
        customer_id=submission.customer_id,
        quote_id=quote.quote_id,
        product_id=quote.product_id,
        coverage_option_code=quote.coverage_option_code,
        state=quote.state,
        status="SUBMITTED",
        quoted_annual_premium=quote.annual_premium,
        quoted_monthly_premium=quote.monthly_premium,
        date_of_birth=quote.date_of_birth,
        risk_factors=quote.risk_factors,
        identity=submission.identity,
        declarations=submission.declarations,
        submitted_at=now,
        updated_at=now,
    )
    applied = ports.applications.submit(application, actor=submission.actor)
    if applied is None:  # the quote went (TTL) between reading and applying: it had expired
        raise NotFound("No such quote.", code="quote_not_found")
    if applied == application.application_id:
        return Submitted(application, created=True)
    return Submitted(read(submission.customer_id, applied, ports), created=False)


def read(customer_id: str, application_id: str, ports: Ports) -> Application:
    """The caller's own application: another customer's id is simply not found."""
    application = ports.applications.application(customer_id, application_id)
    if application is None:
        raise NotFound("No such application.", code="application_not_found")
    return application


def listing(customer_id: str, ports: Ports, *, limit: int, token: str | None) -> Page[Application]:
    return ports.applications.applications(customer_id, limit=limit, token=token)


def _not_approved(status: str) -> Conflict:
    return Conflict(
        f"Only an APPROVED application can be accepted; this one is {status}.",
        code="invalid_application_state",
        details={"status": status},
    )


def _offered(application: Application) -> tuple[Money, Money, int]:
    """The approved annual and monthly premium and the adjustment they carry."""
    decision = application.decision
    bps = (decision.adjustment_bps if decision else None) or 0
    annual = decision.annual_premium if decision and decision.annual_premium else None
    monthly = decision.monthly_premium if decision and decision.monthly_premium else None
    return (
        annual or adjusted(application.quoted_annual_premium, bps),
        monthly or adjusted(application.quoted_monthly_premium, bps),
        bps,
    )


def policy_for(application: Application, now: datetime) -> Policy:
    """The policy an approved application becomes: one per application (its id is the
    application's, so issuing is idempotent by key), awaiting its first premium."""
    annual, monthly, bps = _offered(application)
    policy_id = application.application_id
    start = now.date()
    return Policy(
        policy_id=policy_id,
        customer_id=application.customer_id,
        policy_number=lifecycle.policy_number(application.product_id, policy_id, now),
        application_id=application.application_id,
        quote_id=application.quote_id,
        product_id=application.product_id,
        coverage_option_code=application.coverage_option_code,
        state=application.state,
        status="PENDING_PAYMENT",
        term=Term(start, lifecycle.term_end(start)),
        annual_premium=annual,
        monthly_premium=monthly,
        date_of_birth=application.date_of_birth,  # kept to re-rate at renewal
        risk_factors=application.risk_factors,
        issued_at=now,
        updated_at=now,
        premium_adjustment_bps=bps,
        document_status="PENDING",
    )


def _issued(application: Application, ports: Ports) -> Accepted:
    policy = ports.policies.policy(application.customer_id, application.policy_id or "")
    if policy is None:  # an accepted application names a policy that must exist: a data fault
        raise NotFound("No such policy.", code="policy_not_found")
    return Accepted(policy, created=False)


def accept(customer_id: str, application_id: str, actor: str, ports: Ports) -> Accepted:
    application = read(customer_id, application_id, ports)
    if application.status == "ACCEPTED":
        return _issued(application, ports)
    if application.status != "APPROVED":
        raise _not_approved(application.status)
    now = ports.clock()
    policy = policy_for(application, now)
    accepted = replace(application, status="ACCEPTED", policy_id=policy.policy_id, updated_at=now)
    if ports.policies.issue_policy(accepted, policy, actor=actor):
        return Accepted(policy, created=True)
    # Lost a race with a concurrent acceptance (or the state moved): answer with the truth.
    current = read(customer_id, application_id, ports)
    if current.status == "ACCEPTED":
        return _issued(current, ports)
    raise _not_approved(current.status)
