"""The analytics an admin reads."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from salesportal.models.common import ApiModel


class Totals(ApiModel):
    sign_ups: int
    sign_ins: int
    active_users: int = Field(description="Distinct users signing in, summed per day")
    sign_ins_per_user: float | None = None
    quotes: int
    applications: int
    applications_by_status: dict[str, int] = Field(description="Decisions and acceptances in the range")
    approval_rate: float | None = Field(default=None, description="Approved / (approved + declined)")
    policies: int
    quote_to_policy_conversion: float | None = Field(default=None, description="Policies issued / quotes")
    premium_written_cents: int
    payments_succeeded: int
    payments_failed: int
    ai_queries: int


class Analytics(ApiModel):
    from_: date = Field(alias="from")
    to: date
    totals: Totals
    days: list[dict[str, Any]] = Field(description="Each day's raw counters, oldest first")
