"""The analytics an admin reads: a range's totals and each of its days, in one shape."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from salesportal.models.common import ApiModel


class Totals(ApiModel):
    sign_ups: int
    sign_ins: int
    active_users: int = Field(description="Distinct users signing in, counted per day and summed")
    sign_ins_per_user: float | None = Field(default=None, description="Sign-ins / active users")
    quotes: int
    applications: int
    applications_by_status: dict[str, int] = Field(
        description="SUBMITTED: applications made; other statuses: applications moved into it"
    )
    approval_rate: float | None = Field(default=None, description="Approved / (approved + declined)")
    policies: int
    quote_to_policy_conversion: float | None = Field(default=None, description="Policies issued / quotes")
    premium_written_cents: int = Field(description="Premium paid (succeeded payments), integer cents")
    payments_succeeded: int
    payments_failed: int
    ai_queries: int


class Day(Totals):
    day: date


class Analytics(ApiModel):
    from_: date = Field(alias="from")
    to: date
    totals: Totals
    days: list[Day] = Field(description="Every day of the range (UTC), oldest first")
