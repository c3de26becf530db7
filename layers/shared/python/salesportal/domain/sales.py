"""The sales context's entities: what a quote, an application, a policy and its money are.

Frozen values with no storage or wire names: the sales repository (``salesportal.data.sales``)
maps them to and from items, and the API models (``salesportal.models``) are built from them.
Money is integer cents with its currency, instants are aware UTC ``datetime``s and calendar
days are ``date``s; text forms exist only at the edges.

- ``Money``: an amount in cents and an ISO 4217 currency code.
- ``Term``: the days a premium covers, ``start`` inclusive, ``end`` exclusive.
- ``Quote``: a priced offer for a product option, valid until ``expires_at``; it keeps what it
  was priced on (date of birth, risk factors) and, once applied for, the application's id.
- ``Application``: a customer's request for cover from a quote, with who is to be insured,
  their declarations, the checks' result (``Risk``) and the ``Decision`` taken on it.
- ``Decision``: approved (with the premium offered), declined or referred, by whom and why.
- ``Policy``: the cover issued from an accepted application. Its money state is in value
  objects: ``paid`` (the payment that paid the current term), ``renewal`` (the next term
  offered and, once paid, its payment), ``charge`` (the one charge in flight: the gateway
  request claimed on the policy before it is sent) and ``cancellation``.
- ``Renewal``: the next term's offer on a policy, its premium and dunning count.
- ``Payment``: one charge at the gateway and what became of it (SUCCEEDED, PROCESSING,
  FAILED, or REFUNDED when it succeeded after its premium stopped being due).
- ``Refund``: money given back for a payment (a cancellation's unused days, a late charge).
- ``Reminder``: a renewal reminder sent for a policy's term, once per day count.
- ``GatewayNotice``: the payment gateway's signed word on a charge's outcome (its webhook).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

PolicyStatus = Literal["PENDING_PAYMENT", "ACTIVE", "CANCELLED", "LAPSED", "EXPIRED"]
ApplicationStatus = Literal["SUBMITTED", "UNDER_REVIEW", "APPROVED", "DECLINED", "REFERRED", "ACCEPTED"]
Outcome = Literal["APPROVED", "DECLINED", "REFERRED"]
Purpose = Literal["INITIAL", "RENEWAL"]
PaymentStatus = Literal["SUCCEEDED", "PROCESSING", "FAILED", "REFUNDED"]
RefundReason = Literal["already_paid", "policy_cancelled", "policy_lapsed", "policy_expired", "not_due"]
RenewalStatus = Literal["PENDING_PAYMENT", "PAID"]
DocumentStatus = Literal["PENDING", "READY"]


@dataclass(frozen=True, slots=True)
class Money:
    amount_cents: int
    currency: str = "USD"

    def with_cents(self, amount_cents: int) -> Money:
        return Money(amount_cents, self.currency)


@dataclass(frozen=True, slots=True)
class Term:
    """The days ``[start, end)`` a premium pays for."""

    start: date
    end: date


# -- quotes -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class RatingStep:
    name: str
    factor: str  # a decimal as text: never a float
    monthly: Money


@dataclass(frozen=True, slots=True)
class PremiumBreakdown:
    base_monthly: Money
    steps: tuple[RatingStep, ...]
    premium_tax_monthly: Money
    fee_monthly: Money


@dataclass(frozen=True, slots=True)
class Quote:
    quote_id: str
    customer_id: str
    product_id: str
    coverage_option_code: str
    state: str
    monthly_premium: Money
    annual_premium: Money
    breakdown: PremiumBreakdown
    date_of_birth: date  # priced on; needed to apply, never logged
    risk_factors: Mapping[str, str]
    created_at: datetime
    expires_at: datetime
    application_id: str | None = None  # set once applied for: one application per quote

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at


# -- applications -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Address:
    line1: str
    city: str
    state: str
    postal_code: str
    line2: str | None = None


@dataclass(frozen=True, slots=True)
class Identity:
    """Who is to be insured, as the identity check needs it (never the SSN, only its last four)."""

    given_name: str
    family_name: str
    date_of_birth: date
    ssn_last4: str
    address: Address


@dataclass(frozen=True, slots=True)
class Declarations:
    hospitalized_last_5_years: bool
    chronic_condition: bool
    hazardous_activities: bool
    previously_declined: bool


@dataclass(frozen=True, slots=True)
class Risk:
    """What the identity check and the risk bureau said."""

    identity_verified: bool
    identity_check_id: str | None
    assessment_id: str | None
    score: int | None
    band: str | None
    reason_codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Decision:
    """An underwriting decision: the rules' or an agent's. An approval names the premium
    offered (the quoted one, adjusted by ``adjustment_bps``)."""

    outcome: Outcome
    reasons: tuple[str, ...]
    decided_by: str  # "underwriting-rules" or the agent's actor id
    decided_at: datetime
    adjustment_bps: int | None = None
    annual_premium: Money | None = None
    monthly_premium: Money | None = None


@dataclass(frozen=True, slots=True)
class Application:
    application_id: str
    customer_id: str
    quote_id: str
    product_id: str
    coverage_option_code: str
    state: str
    status: ApplicationStatus
    quoted_annual_premium: Money
    quoted_monthly_premium: Money
    date_of_birth: date
    risk_factors: Mapping[str, str]
    identity: Identity
    declarations: Declarations
    submitted_at: datetime
    updated_at: datetime
    decision: Decision | None = None
    risk: Risk | None = None
    review_note: str | None = None
    policy_id: str | None = None


# -- policies ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Paid:
    """The payment that paid a term, and how much it paid."""

    payment_id: str
    cents: int


@dataclass(frozen=True, slots=True)
class Renewal:
    """The next term offered on an ACTIVE policy; PAID once its premium is in."""

    term: Term
    annual_premium: Money
    monthly_premium: Money
    status: RenewalStatus
    requested_at: datetime
    attempts: int = 0  # dunning charges made for it
    last_attempt_on: date | None = None
    paid: Paid | None = None


@dataclass(frozen=True, slots=True)
class PendingRefund:
    """A charge still processing when the policy was cancelled: refunded in full if it succeeds."""

    amount: Money
    payment_id: str


@dataclass(frozen=True, slots=True)
class Cancellation:
    effective_date: date
    reason: str
    refund: Money  # refunded so far
    requested_at: datetime
    note: str | None = None
    pending_refund: PendingRefund | None = None


@dataclass(frozen=True, slots=True)
class ChargeInFlight:
    """The one charge attempt on a policy: the whole gateway request, claimed on the policy
    before it is sent, so anyone who finds it unanswered can replay it under its key."""

    gateway_key: str
    client_key: str
    purpose: Purpose
    term: Term
    amount: Money
    payment_method: str
    description: str
    actor: str
    started_at: datetime
    payment_id: str | None = None  # the gateway's id once it answered "processing"


@dataclass(frozen=True, slots=True)
class Policy:
    policy_id: str
    customer_id: str
    policy_number: str
    application_id: str
    quote_id: str
    product_id: str
    coverage_option_code: str
    state: str
    status: PolicyStatus
    term: Term
    annual_premium: Money
    monthly_premium: Money
    date_of_birth: date  # kept to re-rate at renewal
    risk_factors: Mapping[str, str]
    issued_at: datetime
    updated_at: datetime
    premium_adjustment_bps: int = 0
    document_status: DocumentStatus = "PENDING"
    document_key: str | None = None
    paid: Paid | None = None  # the current term's payment
    payment_method: str | None = None  # the last method that paid: dunning charges it
    renewal: Renewal | None = None
    cancellation: Cancellation | None = None
    charge: ChargeInFlight | None = None
    reminders_sent: frozenset[int] = field(default_factory=frozenset)

    @property
    def currency(self) -> str:
        return self.annual_premium.currency


# -- money records ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Decline:
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class LateRefund:
    """How a charge that succeeded after its premium stopped being due was given back."""

    refund_id: str
    cents: int
    reason: RefundReason


@dataclass(frozen=True, slots=True)
class Payment:
    payment_id: str
    policy_id: str
    customer_id: str
    status: PaymentStatus
    purpose: Purpose
    amount: Money
    policy_number: str
    term: Term
    created_at: datetime
    gateway_key: str | None = None
    payment_method: str | None = None
    decline: Decline | None = None
    settled_at: datetime | None = None
    late_refund: LateRefund | None = None


@dataclass(frozen=True, slots=True)
class Refund:
    refund_id: str
    policy_id: str
    customer_id: str
    payment_id: str  # the charge it gives money back for
    status: str  # the gateway's, upper case (SUCCEEDED, PENDING)
    reason: str  # "cancellation" or a late charge's RefundReason
    amount: Money
    policy_number: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Reminder:
    """A renewal reminder for the term ending on ``term_end``, ``days_before`` it ends."""

    policy_id: str
    customer_id: str
    policy_number: str
    term_end: date
    days_before: int


@dataclass(frozen=True, slots=True)
class GatewayNotice:
    """The payment gateway's signed notice about a charge's outcome, as far as we read it."""

    event_id: str
    type: str  # e.g. "payment_intent.succeeded", "payment_intent.payment_failed"
    intent_id: str
    customer_id: str | None  # from the charge's metadata: ours only if both are there
    policy_id: str | None
    charge_key: str | None  # the attempt's gateway key, from the metadata
    decline: Decline
