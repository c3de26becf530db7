"""Browsing the public catalog: insurance products and drug plans, one or a page of them.

No sign-in and nothing written; a missing item is a 404 naming what is missing, and a plan
search refuses a feature it does not know (a 400 naming the parameter).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from salesportal.data.dynamo import Page
from salesportal.domain.catalog import Product
from salesportal.domain.plans import FeatureFilter, Plan, feature_filters
from salesportal.errors import NotFound


class Products(Protocol):
    def get_product(self, product_id: str) -> Product | None: ...


class PlanLookup(Protocol):
    def get(self, plan_id: str) -> Plan | None: ...


class Plans(PlanLookup, Protocol):
    def search(
        self,
        zip_code: str,
        *,
        max_monthly_cents: int | None,
        age: int | None,
        features: Sequence[FeatureFilter],
        limit: int,
        token: str | None,
    ) -> Page[Plan]: ...


@dataclass(frozen=True)
class PlanSearch:
    zip_code: str
    features: tuple[str, ...] = ()  # "key" or "key=value"
    max_monthly_cents: int | None = None
    age: int | None = None
    limit: int = 20
    token: str | None = None


def product(products: Products, product_id: str) -> Product:
    found = products.get_product(product_id)
    if found is None:
        raise NotFound(f"No product with id {product_id!r}.", code="product_not_found")
    return found


def plan(plans: PlanLookup, plan_id: str) -> Plan:
    found = plans.get(plan_id)
    if found is None:
        raise NotFound("No such plan.", code="plan_not_found")
    return found


def search_plans(plans: Plans, search: PlanSearch) -> Page[Plan]:
    """Active plans sold in the ZIP passing every filter, cheapest first."""
    return plans.search(
        search.zip_code,
        max_monthly_cents=search.max_monthly_cents,
        age=search.age,
        features=feature_filters(search.features),
        limit=search.limit,
        token=search.token,
    )
