"""Browsing the public catalog with in-memory plans and products: what a search passes on,
what it refuses, and the 404s that name what is missing."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from salesportal.domain.catalog import CoverageOption, Product
from salesportal.domain.plans import AgeBand, PlanCosts
from salesportal.domain.sales import Money
from salesportal.errors import BadRequest, NotFound
from salesportal.workflows import browsing
from tests.fakes.plans import FakePlans, a_plan

CHEAP = a_plan("CHEAP")
DEAR = a_plan(
    "DEAR", costs=PlanCosts(Money(9900), Money(0), Money(0)), features={"insulin_savings": "$35 cap"}
)
YOUNG = a_plan("YOUNG", ages=AgeBand(18, 64))
RETIRED = a_plan("RETIRED", status="INACTIVE")


def _plans() -> FakePlans:
    plans = FakePlans({p.plan_id: p for p in (CHEAP, DEAR, YOUNG, RETIRED)})
    plans.zips["78701"] = ["DEAR", "CHEAP", "YOUNG", "RETIRED"]
    return plans


def _ids(search: browsing.PlanSearch) -> list[str]:
    return [p.plan_id for p in browsing.search_plans(_plans(), search).items]


def test_a_search_passes_its_filters_and_pages_on():
    assert _ids(browsing.PlanSearch("78701")) == ["CHEAP", "YOUNG", "DEAR"]
    assert _ids(browsing.PlanSearch("78701", age=70)) == ["CHEAP", "DEAR"]
    assert _ids(browsing.PlanSearch("78701", max_monthly_cents=2000, age=30)) == ["YOUNG"]
    assert _ids(browsing.PlanSearch("78701", features=("insulin_savings",))) == ["DEAR"]
    assert _ids(browsing.PlanSearch("78701", features=("gap_coverage=full",))) == []
    first = browsing.search_plans(_plans(), browsing.PlanSearch("78701", limit=2))
    rest = browsing.search_plans(_plans(), browsing.PlanSearch("78701", limit=2, token=first.next_token))
    assert [p.plan_id for p in first.items + rest.items] == ["CHEAP", "YOUNG", "DEAR"]
    assert rest.next_token is None


def test_a_search_for_an_unknown_feature_is_a_400_naming_the_parameter():
    with pytest.raises(BadRequest) as refused:
        browsing.search_plans(_plans(), browsing.PlanSearch("78701", features=("free_parking",)))
    assert refused.value.details[0]["field"] == "feature"


@dataclass
class FakeProducts:
    products: dict[str, Product] = field(default_factory=dict)

    def get_product(self, product_id: str) -> Product | None:
        return self.products.get(product_id)


def test_a_product_or_a_404_naming_it():
    life = Product(
        "term-life",
        "Term Life",
        "life",
        "Level premiums.",
        ("TX",),
        Money(1450),
        (CoverageOption("TL-250K-10", "$250,000 for 10 years", Money(25_000_000), term_years=10),),
    )
    products = FakeProducts({"term-life": life})
    assert browsing.product(products, "term-life") == life
    with pytest.raises(NotFound) as refused:
        browsing.product(products, "no-such")
    assert refused.value.code == "product_not_found" and "'no-such'" in refused.value.message


def test_an_unknown_plan_is_plan_not_found():
    with pytest.raises(NotFound) as refused:
        browsing.plan(_plans(), "NOPE")
    assert refused.value.code == "plan_not_found"
