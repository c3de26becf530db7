"""Applications: applying from a quote, the decision, and the agents' review view."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, TypedDict

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import Field, model_validator

from salesportal.contract import LOCATION, refusals, success
from salesportal.domain import sales
from salesportal.domain.sales import ApplicationStatus
from salesportal.domain.underwriting import REVIEW_ADJUSTMENT_CEILING_BPS, REVIEW_ADJUSTMENT_FLOOR_BPS
from salesportal.models.common import ApiModel, InputModel, IsoDate, Money, not_blank
from salesportal.models.customers import Address

ULID_PATTERN = r"^[0-9A-HJKMNP-TV-Z]{26}$"
ApplicationId = Annotated[str, Path(alias="applicationId", pattern=ULID_PATTERN)]


class Identity(InputModel):
    """Who is to be insured, as the KYC check needs it. Never logged, masked in audit."""

    given_name: str = Field(min_length=1, max_length=50, pattern=not_blank())
    family_name: str = Field(min_length=1, max_length=50, pattern=not_blank())
    date_of_birth: IsoDate
    ssn_last4: str = Field(pattern=r"^\d{4}$", description="Last four digits of the SSN")
    address: Address

    def to_entity(self) -> sales.Identity:
        a = self.address
        return sales.Identity(
            given_name=self.given_name,
            family_name=self.family_name,
            date_of_birth=self.date_of_birth,
            ssn_last4=self.ssn_last4,
            address=sales.Address(
                line1=a.line1, line2=a.line2, city=a.city, state=a.state, postal_code=a.postal_code
            ),
        )


class Declarations(InputModel):
    """The health and history questions every product asks; each must be answered."""

    hospitalized_last_5_years: bool
    chronic_condition: bool
    hazardous_activities: bool
    previously_declined: bool

    def to_entity(self) -> sales.Declarations:
        return sales.Declarations(
            hospitalized_last_5_years=self.hospitalized_last_5_years,
            chronic_condition=self.chronic_condition,
            hazardous_activities=self.hazardous_activities,
            previously_declined=self.previously_declined,
        )

    @classmethod
    def from_entity(cls, declarations: sales.Declarations) -> Declarations:
        return cls(
            hospitalized_last_5_years=declarations.hospitalized_last_5_years,
            chronic_condition=declarations.chronic_condition,
            hazardous_activities=declarations.hazardous_activities,
            previously_declined=declarations.previously_declined,
        )


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

    @classmethod
    def from_entity(cls, decision: sales.Decision) -> DecisionView:
        return cls(
            outcome=decision.outcome,
            reasons=list(decision.reasons),
            annual_premium=Money.of(decision.annual_premium) if decision.annual_premium else None,
            monthly_premium=Money.of(decision.monthly_premium) if decision.monthly_premium else None,
            decided_by=decision.decided_by,
            decided_at=decision.decided_at,
        )


class _Facts(TypedDict):
    application_id: str
    quote_id: str
    product_id: str
    coverage_option_code: str
    state: str
    status: ApplicationStatus
    quoted_annual_premium: Money
    quoted_monthly_premium: Money
    decision: DecisionView | None
    policy_id: str | None
    submitted_at: datetime
    updated_at: datetime


def _application_facts(a: sales.Application) -> _Facts:
    return {
        "application_id": a.application_id,
        "quote_id": a.quote_id,
        "product_id": a.product_id,
        "coverage_option_code": a.coverage_option_code,
        "state": a.state,
        "status": a.status,
        "quoted_annual_premium": Money.of(a.quoted_annual_premium),
        "quoted_monthly_premium": Money.of(a.quoted_monthly_premium),
        "decision": DecisionView.from_entity(a.decision) if a.decision else None,
        "policy_id": a.policy_id,
        "submitted_at": a.submitted_at,
        "updated_at": a.updated_at,
    }


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

    @classmethod
    def from_entity(cls, application: sales.Application) -> Application:
        """What the applicant reads: never the identity or the answers they sent."""
        return cls(**_application_facts(application))


class RiskView(ApiModel):
    identity_verified: bool | None = None
    score: int | None = None
    band: str | None = None
    reason_codes: list[str] = []

    @classmethod
    def from_entity(cls, risk: sales.Risk) -> RiskView:
        return cls(
            identity_verified=risk.identity_verified,
            score=risk.score,
            band=risk.band,
            reason_codes=list(risk.reason_codes),
        )


class ReviewItem(Application):
    """What an agent sees to decide: the answers and the checks, never the SSN digits."""

    customer_id: str
    declarations: Declarations
    risk: RiskView | None = None
    review_note: str | None = None

    @classmethod
    def from_entity(cls, application: sales.Application) -> ReviewItem:
        return cls(
            **_application_facts(application),
            customer_id=application.customer_id,
            declarations=Declarations.from_entity(application.declarations),
            risk=RiskView.from_entity(application.risk) if application.risk else None,
            review_note=application.review_note,
        )


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


# -- what the routes answer (their OpenAPI), beside the models they answer with -------------
SUBMIT_RESPONSES: dict[int, OpenAPIResponse] = {
    202: success("Submitted for underwriting (or already submitted from this quote)", headers=LOCATION),
    **refusals(
        {
            404: "No such quote (quote_not_found)",
            410: "The quote expired; ask for a new one (quote_expired)",
            422: "The identity does not match the quote (validation_error)",
        }
    ),
}
READ_RESPONSES: dict[int, OpenAPIResponse] = {
    200: success("The application"),
    **refusals({404: "No such application"}),
}
ACCEPT_RESPONSES: dict[int, OpenAPIResponse] = {
    201: success("The policy issued from the approved terms", headers=LOCATION),
    200: success("Already accepted: the policy issued then", headers=LOCATION),
    **refusals({404: "No such application", 409: "The application is not APPROVED (or its offer lapsed)"}),
}
DECIDE_RESPONSES: dict[int, OpenAPIResponse] = {
    200: success("The decided application"),
    **refusals(
        {
            403: "Nobody decides an application they applied for (own_application)",
            404: "No such application (application_not_found)",
            409: "Not REFERRED or UNDER_REVIEW, or decided meanwhile (invalid_application_state)",
            422: "The premium adjustment is outside the configured range (validation_error)",
        }
    ),
}
