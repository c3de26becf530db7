"""Applications: applying from a quote, the decision, and the agents' review view."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, model_validator

from salesportal.domain.underwriting import REVIEW_ADJUSTMENT_CEILING_BPS, REVIEW_ADJUSTMENT_FLOOR_BPS
from salesportal.models.common import ApiModel, InputModel, IsoDate, Money, not_blank
from salesportal.models.customers import Address

ULID_PATTERN = r"^[0-9A-HJKMNP-TV-Z]{26}$"
ApplicationStatus = Literal["SUBMITTED", "UNDER_REVIEW", "APPROVED", "DECLINED", "REFERRED", "ACCEPTED"]


class Identity(InputModel):
    """Who is to be insured, as the KYC check needs it. Never logged, masked in audit."""

    given_name: str = Field(min_length=1, max_length=50, pattern=not_blank())
    family_name: str = Field(min_length=1, max_length=50, pattern=not_blank())
    date_of_birth: IsoDate
    ssn_last4: str = Field(pattern=r"^\d{4}$", description="Last four digits of the SSN")
    address: Address


class Declarations(InputModel):
    """The health and history questions every product asks; each must be answered."""

    hospitalized_last_5_years: bool
    chronic_condition: bool
    hazardous_activities: bool
    previously_declined: bool


class ApplicationRequest(InputModel):
    quote_id: str = Field(pattern=ULID_PATTERN)
    identity: Identity
    declarations: Declarations
    consent_to_checks: Literal[True] = Field(
        description="The applicant authorises identity verification and a risk assessment"
    )


class DecisionView(ApiModel):
    outcome: Literal["APPROVED", "DECLINED", "REFERRED"]
    reasons: list[str]
    annual_premium: Money | None = None
    monthly_premium: Money | None = None
    decided_by: str  # "underwriting-rules" or the agent's actor id
    decided_at: datetime


class Application(ApiModel):
    application_id: str
    quote_id: str
    product_id: str
    coverage_option_code: str
    state: str
    status: ApplicationStatus
    quoted_annual_premium: Money
    quoted_monthly_premium: Money
    decision: DecisionView | None = None
    policy_id: str | None = None
    submitted_at: datetime
    updated_at: datetime


class RiskView(ApiModel):
    identity_verified: bool | None = None
    score: int | None = None
    band: str | None = None
    reason_codes: list[str] = []


class ReviewItem(Application):
    """What an agent sees to decide: the answers and the checks, never the SSN digits."""

    customer_id: str
    declarations: Declarations
    risk: RiskView | None = None
    review_note: str | None = None


class DecisionRequest(InputModel):
    outcome: Literal["APPROVE", "DECLINE"]
    # Required on every decision (trimmed, so blanks are no reason): the customer and the
    # audit trail both read it, and an adjusted premium must say why it moved.
    reason: str = Field(
        min_length=3, max_length=500, pattern=not_blank(3), description="Why: kept with the decision"
    )
    premium_adjustment_bps: int = Field(
        default=0,
        ge=REVIEW_ADJUSTMENT_FLOOR_BPS,
        le=REVIEW_ADJUSTMENT_CEILING_BPS,
        description=(
            "Approve only: +1000 = premium +10 %. The API's bounds; a deployment may allow a "
            "narrower range, refused with 422 like these."
        ),
    )

    @model_validator(mode="after")
    def _adjust_only_on_approval(self) -> DecisionRequest:
        if self.outcome == "DECLINE" and self.premium_adjustment_bps:
            raise ValueError("premiumAdjustmentBps applies only to APPROVE")
        return self


class Declined(ApiModel):
    message: str
