"""Deciding an application: by the underwriting rules (KYC and the bureau, from the queue) or,
for a referred or held one, by an agent within a bounded premium adjustment.

Both record the decision the same way (``_record``): the outcome, the reasons a customer
reads, who decided and when and, on an approval, the premium offered — the quoted one moved
by the loading or adjustment, in the quoted currency — written conditionally on the status
the decision was taken in, so a redelivery or a race never decides an application twice.

A dependency failure is not a decision: the message is retried and, on its last attempt, the
application is held UNDER_REVIEW for a person (never lost, never silent).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Literal, Protocol

from salesportal.data.dynamo import Page
from salesportal.domain import underwriting as rules
from salesportal.domain.profile import age_on
from salesportal.domain.sales import Application, ApplicationStatus, Decision, Outcome, Risk
from salesportal.errors import Conflict, Forbidden, NotFound, Unprocessable
from salesportal.integrations.check_documents import facts_document, identity_document

if TYPE_CHECKING:
    from salesportal.integrations.bureau import RiskBureau
    from salesportal.integrations.http import DependencyError
    from salesportal.integrations.kyc import IdentityVerifier

RULES = "underwriting-rules"  # who decided, as the customer reads it
RULES_ACTOR = "system:underwriting-rules"  # who wrote, as the audit trail names it
UNDERWRITABLE: tuple[ApplicationStatus, ...] = ("SUBMITTED", "UNDER_REVIEW")
REVIEWABLE: tuple[ApplicationStatus, ...] = ("REFERRED", "UNDER_REVIEW")
ReviewStatus = Literal["REFERRED", "UNDER_REVIEW"]


class Applications(Protocol):
    def application(self, customer_id: str, application_id: str) -> Application | None: ...

    def find(self, application_id: str) -> Application | None: ...

    def transition(
        self, before: Application, after: Application, *, expected: tuple[ApplicationStatus, ...], actor: str
    ) -> bool:
        """False when the stored status is not one of ``expected`` (nothing is written)."""
        ...

    def review_queue(
        self, status: ApplicationStatus, *, limit: int, token: str | None
    ) -> Page[Application]: ...


@dataclass(frozen=True)
class Checks:
    """The outside services the rules consult."""

    identity: IdentityVerifier
    bureau: RiskBureau


@dataclass(frozen=True)
class Ports:
    applications: Applications
    clock: Callable[[], datetime]  # aware, UTC
    # Built only when there is something to underwrite (the clients read secrets, and their
    # HTTP stack is heavy to import), so a review call or a redelivery never pays for it.
    checks: Callable[[], Checks] | None = None


# -- the one way a decision is recorded -----------------------------------------------------------
def _decision(
    application: Application, outcome: Outcome, reasons: tuple[str, ...], by: str, at: datetime, bps: int
) -> Decision:
    if outcome != "APPROVED":
        return Decision(outcome, reasons, decided_by=by, decided_at=at)
    return Decision(
        outcome,
        reasons,
        decided_by=by,
        decided_at=at,
        adjustment_bps=bps,
        annual_premium=rules.adjusted(application.quoted_annual_premium, bps),
        monthly_premium=rules.adjusted(application.quoted_monthly_premium, bps),
    )


def _record(
    ports: Ports,
    application: Application,
    decision: Decision,
    *,
    expected: tuple[ApplicationStatus, ...],
    actor: str,
    risk: Risk | None = None,
) -> Application | None:
    """The decided application, or None when it had left ``expected`` meanwhile."""
    decided = replace(
        application,
        status=decision.outcome,
        decision=decision,
        risk=risk or application.risk,
        updated_at=decision.decided_at,
    )
    if not ports.applications.transition(application, decided, expected=expected, actor=actor):
        return None
    return decided


# -- by the rules ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class UnderwritingRequest:
    customer_id: str
    application_id: str
    attempt: int  # this delivery's receive count, from 1
    max_attempts: int  # the queue's; after the last one the message goes to the DLQ


UnderwritingKind = Literal["decided", "nothing_to_do", "decided_meanwhile", "unavailable"]


@dataclass(frozen=True)
class Underwritten:
    kind: UnderwritingKind
    application: Application | None = None  # as decided
    score: int | None = None
    service: str | None = None  # unavailable: which one
    error: str | None = None
    retry_later: bool = False  # unavailable before the last attempt: deliver again, later
    held_for_review: bool = False  # unavailable on the last attempt: a person takes over


def _assess(application: Application, checks: Checks, now: datetime) -> tuple[Risk, rules.Decision]:
    reference = application.application_id  # also the idempotency key at both services
    identity = checks.identity.verify(reference=reference, identity=identity_document(application))
    assessment = checks.bureau.assess(
        reference=reference, facts=facts_document(application, age_on(application.date_of_birth, now.date()))
    )
    risk = Risk(
        identity_verified=identity.verified,
        identity_check_id=identity.id,
        assessment_id=assessment.id,
        score=assessment.score,
        band=assessment.band,
        reason_codes=tuple(assessment.reason_codes),
    )
    verdict = rules.decide(
        identity_verified=identity.verified,
        identity_reasons=identity.reasons,
        score=assessment.score,
        band=assessment.band,
        reason_codes=assessment.reason_codes,
        quoted_annual_cents=application.quoted_annual_premium.amount_cents,
        quoted_monthly_cents=application.quoted_monthly_premium.amount_cents,
    )
    return risk, verdict


def _dependency_failure(exc: Exception) -> DependencyError | None:
    # Imported here, not at the top: the error type comes with the HTTP stack, which only a
    # path that called a dependency has loaded (the review function never does).
    from salesportal.integrations.http import DependencyError

    return exc if isinstance(exc, DependencyError) else None


def _hold_for_review(application: Application, service: str, now: datetime, ports: Ports) -> bool:
    held = replace(
        application,
        status="UNDER_REVIEW",
        review_note=f"Automatic underwriting failed: {service} unavailable after every retry.",
        updated_at=now,
    )
    # False: held already, or decided after all; nothing to hold.
    return ports.applications.transition(application, held, expected=("SUBMITTED",), actor=RULES_ACTOR)


def _unavailable(
    request: UnderwritingRequest,
    application: Application,
    failure: DependencyError,
    now: datetime,
    ports: Ports,
) -> Underwritten:
    last = request.attempt >= request.max_attempts
    held = last and _hold_for_review(application, failure.service, now, ports)
    return Underwritten(
        "unavailable",
        service=failure.service,
        error=str(failure),
        retry_later=not last,
        held_for_review=held,
    )


def underwrite(request: UnderwritingRequest, ports: Ports) -> Underwritten:
    """Decide one submitted (or held) application by the rules; anything else is left alone."""
    application = ports.applications.application(request.customer_id, request.application_id)
    if application is None or application.status not in UNDERWRITABLE:
        return Underwritten("nothing_to_do", application)
    if ports.checks is None:
        raise ValueError("underwriting needs its checks")
    now = ports.clock()
    try:
        risk, verdict = _assess(application, ports.checks(), now)
    except Exception as exc:
        failure = _dependency_failure(exc)
        if failure is None:
            raise
        return _unavailable(request, application, failure, now, ports)
    decision = _decision(application, verdict.outcome, verdict.reasons, RULES, now, verdict.adjustment_bps)
    decided = _record(ports, application, decision, expected=UNDERWRITABLE, actor=RULES_ACTOR, risk=risk)
    if decided is None:
        return Underwritten("decided_meanwhile", application)
    return Underwritten("decided", decided, score=risk.score)


# -- by an agent ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class AdjustmentRange:
    """How far this deployment lets a reviewer move a premium (basis points, around zero)."""

    low_bps: int
    high_bps: int


@dataclass(frozen=True)
class Review:
    application_id: str
    reviewer: str  # the agent's subject: nobody decides their own application
    actor: str  # the agent as the decision and the audit trail name them
    approve: bool
    reason: str
    adjustment_bps: int = 0


def review_queue(status: ReviewStatus, ports: Ports, *, limit: int, token: str | None) -> Page[Application]:
    """Referred (or held) applications, the longest waiting first."""
    return ports.applications.review_queue(status, limit=limit, token=token)


def _check_adjustment(bps: int, allowed: AdjustmentRange) -> None:
    if not allowed.low_bps <= bps <= allowed.high_bps:
        message = f"premiumAdjustmentBps must be between {allowed.low_bps} and {allowed.high_bps}."
        raise Unprocessable(
            "Invalid input: premiumAdjustmentBps.",
            details=[
                {
                    "field": "premiumAdjustmentBps",
                    "location": "body",
                    "message": message,
                    "type": "out_of_configured_range",
                }
            ],
        )


def _not_reviewable(status: str) -> Conflict:
    return Conflict(
        f"Only a REFERRED or UNDER_REVIEW application can be decided; this one is {status}.",
        code="invalid_application_state",
        details={"status": status},
    )


def _reviewable(review: Review, ports: Ports) -> Application:
    application = ports.applications.find(review.application_id)
    if application is None:
        raise NotFound("No such application.", code="application_not_found")
    if application.customer_id == review.reviewer:
        # Staff may also be customers; deciding one's own cover is a conflict of interest.
        raise Forbidden("You cannot decide an application you applied for.", code="own_application")
    if application.status not in REVIEWABLE:
        raise _not_reviewable(application.status)
    return application


def decide(review: Review, allowed: AdjustmentRange, ports: Ports) -> Application:
    """An agent's decision on a referred or held application; the decided application."""
    _check_adjustment(review.adjustment_bps, allowed)
    application = _reviewable(review, ports)
    outcome: Outcome = "APPROVED" if review.approve else "DECLINED"
    decision = _decision(
        application, outcome, (review.reason,), review.actor, ports.clock(), review.adjustment_bps
    )
    decided = _record(ports, application, decision, expected=REVIEWABLE, actor=review.actor)
    if decided is None:
        current = ports.applications.find(review.application_id) or application
        raise _not_reviewable(current.status)
    return decided
