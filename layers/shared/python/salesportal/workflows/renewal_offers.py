"""Renewal offers: the next term of an ACTIVE policy, re-rated on the catalog's current rate
table (same facts, same loading) and left pending payment; asked for within the window
before the term ends, once."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from salesportal.data.sales import Expect, PolicyChange
from salesportal.domain import policies as lifecycle
from salesportal.domain.rating import RatingFacts, rate_on
from salesportal.domain.sales import Policy
from salesportal.domain.underwriting import adjusted
from salesportal.errors import Conflict, NotFound
from salesportal.models.rating import RateTable
from salesportal.workflows.sales_ports import SalesStore


class RateTables(Protocol):
    def rate_table(self, product_id: str) -> RateTable | None: ...


@dataclass(frozen=True)
class OfferPorts:
    sales: SalesStore
    rates: RateTables
    actor: str
    now: datetime


def offer(ports: OfferPorts, customer_id: str, policy_id: str) -> Policy:
    """Re-rate the policy on the catalog's current rate table for the next term (same facts,
    same loading) and leave that term pending payment."""
    policy = ports.sales.policy(customer_id, policy_id)
    if policy is None:
        raise NotFound("No such policy.", code="policy_not_found")
    lifecycle.check_renewable(policy, ports.now.date())
    table = ports.rates.rate_table(policy.product_id)
    if table is None:
        raise Conflict("This product is no longer offered for renewal.", code="product_withdrawn")
    facts = RatingFacts(policy.date_of_birth, policy.state, policy.risk_factors)
    premium = rate_on(table, policy.coverage_option_code, facts, policy.term.end)
    loading, currency = policy.premium_adjustment_bps, policy.currency
    renewal = lifecycle.renewal_offer(
        policy,
        adjusted(premium.annual(currency), loading),
        adjusted(premium.monthly(currency), loading),
        ports.now,
    )
    after = replace(policy, renewal=renewal, updated_at=ports.now)
    change = PolicyChange(policy, after, Expect(statuses=("ACTIVE",)))
    if not ports.sales.record(actor=ports.actor, policy=change):
        current = ports.sales.policy(customer_id, policy_id)
        if current is None:
            raise NotFound("No such policy.", code="policy_not_found")
        raise lifecycle.transition_error(current, "renew")
    return after
