"""In-memory ports of the quoting, applying and deciding workflows.

``FakeApplications`` keeps quotes and applications as the repository does: a quote is
applied for once (a second submission gets the first application's id), a transition
applies only while the stored status is one it expects (else it writes nothing and answers
False), the review queue is oldest first.
``FakePolicies`` issues a policy only from an APPROVED application, both at once. The
outside checks answer what a test sets, or fail as an unreachable service does.
``interfere`` runs just before a conditional write: a test puts another writer there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from salesportal.data.dynamo import Page
from salesportal.domain.sales import (
    Address,
    Application,
    ApplicationStatus,
    Declarations,
    Identity,
    Money,
    Policy,
    PremiumBreakdown,
    Quote,
)
from salesportal.integrations.bureau import RiskAssessment
from salesportal.integrations.http import DependencyError
from salesportal.integrations.kyc import IdentityCheck
from salesportal.models.rating import RateTable

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
CUSTOMER, OTHER, AGENT = "c-1", "c-2", "agent-1"
QUOTE_ID = "01JD8X3K9Q2M4N6P8R0T2V4W6Y"
BIRTH = date(1988, 6, 15)

TABLE = RateTable.model_validate(
    {
        "baseMonthlyCents": {"TL-250K": 2000},
        "ageBands": [{"minAge": 18, "maxAge": 70, "factor": "1.5"}],
        "stateFactors": {"TX": "1.1", "CA": "1.2"},
        "riskFactors": {"smoker": {"false": "1.0", "true": "2.0"}},
        "premiumTaxBps": {"TX": 175},
        "monthlyFeeCents": 100,
        "annualPaymentDiscountBps": 500,
    }
)


class Clock:
    """A clock a test moves by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, by: timedelta) -> None:
        self.now += by


def an_identity(**overrides: Any) -> Identity:
    identity = Identity(
        given_name="Dana",
        family_name="Rivera",
        date_of_birth=BIRTH,
        ssn_last4="1234",
        address=Address(line1="600 Congress Ave", city="Austin", state="TX", postal_code="78701"),
    )
    return replace(identity, **overrides)


NO_DECLARATIONS = Declarations(False, False, False, False)


def a_quote(**overrides: Any) -> Quote:
    quote = Quote(
        quote_id=QUOTE_ID,
        customer_id=CUSTOMER,
        product_id="term-life",
        coverage_option_code="TL-250K",
        state="TX",
        monthly_premium=Money(3500),
        annual_premium=Money(39_900),
        breakdown=PremiumBreakdown(Money(2000), (), Money(0), Money(100)),
        date_of_birth=BIRTH,
        risk_factors={"smoker": "false"},
        created_at=NOW,
        expires_at=NOW + timedelta(days=30),
    )
    return replace(quote, **overrides)


def an_application(**overrides: Any) -> Application:
    application = Application(
        application_id="01JD8X3K9Q2M4N6P8R0T2V4W6Z",
        customer_id=CUSTOMER,
        quote_id=QUOTE_ID,
        product_id="term-life",
        coverage_option_code="TL-250K",
        state="TX",
        status="SUBMITTED",
        quoted_annual_premium=Money(39_900),
        quoted_monthly_premium=Money(3500),
        date_of_birth=BIRTH,
        risk_factors={"smoker": "false"},
        identity=an_identity(),
        declarations=NO_DECLARATIONS,
        submitted_at=NOW,
        updated_at=NOW,
    )
    return replace(application, **overrides)


@dataclass
class FakeCatalog:
    tables: dict[str, RateTable] = field(default_factory=lambda: {"term-life": TABLE})

    def rate_table(self, product_id: str) -> RateTable | None:
        return self.tables.get(product_id)


@dataclass
class Write:
    actor: str
    status: ApplicationStatus


@dataclass
class FakeApplications:
    quotes: dict[tuple[str, str], Quote] = field(default_factory=dict)
    kept_until: dict[str, datetime] = field(default_factory=dict)
    stored: dict[str, Application] = field(default_factory=dict)
    writes: list[Write] = field(default_factory=list)
    interfere: Callable[[], object] | None = None

    def _interfere(self) -> None:
        hook, self.interfere = self.interfere, None  # once, like a single racing writer
        if hook is not None:
            hook()

    # -- quotes
    def put_quote(self, quote: Quote, *, keep_until: datetime, actor: str) -> None:
        assert (quote.customer_id, quote.quote_id) not in self.quotes, "a quote id is never reused"
        self.quotes[(quote.customer_id, quote.quote_id)] = quote
        self.kept_until[quote.quote_id] = keep_until

    def quote(self, customer_id: str, quote_id: str) -> Quote | None:
        return self.quotes.get((customer_id, quote_id))

    # -- applications
    def add(self, *applications: Application) -> None:
        for application in applications:
            self.stored[application.application_id] = application

    def submit(self, application: Application, *, actor: str) -> str | None:
        self._interfere()
        key = (application.customer_id, application.quote_id)
        quote = self.quotes.get(key)
        if quote is None:
            return None
        if quote.application_id is not None:
            return quote.application_id
        self.quotes[key] = replace(quote, application_id=application.application_id)
        self.stored[application.application_id] = application
        self.writes.append(Write(actor, application.status))
        return application.application_id

    def application(self, customer_id: str, application_id: str) -> Application | None:
        found = self.stored.get(application_id)
        return found if found is not None and found.customer_id == customer_id else None

    def applications(self, customer_id: str, *, limit: int, token: str | None) -> Page[Application]:
        own = sorted(
            (a for a in self.stored.values() if a.customer_id == customer_id),
            key=lambda a: a.application_id,
            reverse=True,
        )
        return _page(own, limit, token)

    def find(self, application_id: str) -> Application | None:
        return self.stored.get(application_id)

    def transition(
        self, before: Application, after: Application, *, expected: tuple[ApplicationStatus, ...], actor: str
    ) -> bool:
        self._interfere()
        current = self.stored.get(before.application_id)
        if current is None or current.status not in expected:
            return False
        self.stored[before.application_id] = after
        self.writes.append(Write(actor, after.status))
        return True

    def review_queue(self, status: ApplicationStatus, *, limit: int, token: str | None) -> Page[Application]:
        waiting = sorted(
            (a for a in self.stored.values() if a.status == status), key=lambda a: a.submitted_at
        )
        return _page(waiting, limit, token)


def _page(items: Sequence[Application], limit: int, token: str | None) -> Page[Application]:
    start = int(token or 0)
    end = start + limit
    return Page(list(items[start:end]), str(end) if end < len(items) else None)


@dataclass
class FakePolicies:
    applications: FakeApplications
    policies: dict[str, Policy] = field(default_factory=dict)

    def issue_policy(self, accepted: Application, policy: Policy, *, actor: str) -> bool:
        self.applications._interfere()
        current = self.applications.stored.get(accepted.application_id)
        if current is None or current.status != "APPROVED" or policy.policy_id in self.policies:
            return False
        self.applications.stored[accepted.application_id] = accepted
        self.policies[policy.policy_id] = policy
        return True

    def policy(self, customer_id: str, policy_id: str) -> Policy | None:
        found = self.policies.get(policy_id)
        return found if found is not None and found.customer_id == customer_id else None


@dataclass
class FakeVerifier:
    """KYC: verified unless ``reasons`` says otherwise; ``down`` fails like an outage."""

    reasons: tuple[str, ...] = ()
    down: bool = False
    seen: list[Mapping[str, Any]] = field(default_factory=list)

    def verify(self, *, reference: str, identity: Mapping[str, Any]) -> IdentityCheck:
        if self.down:
            raise DependencyError("kyc", "connection refused")
        self.seen.append({"reference": reference, **identity})
        return IdentityCheck(id="kyc-1", verified=not self.reasons, reasons=self.reasons)


@dataclass
class FakeBureau:
    score: int = 850
    band: str = "A"
    reason_codes: tuple[str, ...] = ()
    down: bool = False
    seen: list[Mapping[str, Any]] = field(default_factory=list)

    def assess(self, *, reference: str, facts: Mapping[str, Any]) -> RiskAssessment:
        if self.down:
            raise DependencyError("bureau", "503 after retries", status=503)
        self.seen.append({"reference": reference, **facts})
        return RiskAssessment(id="ra-1", score=self.score, band=self.band, reason_codes=self.reason_codes)
