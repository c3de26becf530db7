"""Realistic drug-plan data for the offline stack, the tests and the benchmark.

Deterministic (seeded): a few thousand plans from a dozen insurers, each sold in a cluster
of ZIP codes around a metro (tens of thousands of ZIP mappings), with costs, age bands and
features in the shapes the system of record sends. ``seed_plans`` writes them in the
catalog repository's layout; beneficiaries arrive through the sync, as in production
(``infrastructure/seed/plan-delta-demo.jsonl``).
"""

from __future__ import annotations

import random
from typing import Any

from salesportal.data.plans import batch_write, plan_key, zip_item

INSURERS = (
    "Acme Health",
    "Bluebonnet Mutual",
    "Cascade Care",
    "Evergreen Rx",
    "Harbor Health Plans",
    "Keystone Benefits",
    "Lakeside Life & Health",
    "Magnolia Health",
    "Northstar Rx",
    "Prairie Health Alliance",
    "Summit Medicare Partners",
    "Union Wellness",
)
TIERS = ("Basic", "Value", "Choice", "Plus", "Premier", "Select")
# Metro ZIP prefixes (3 digits) and a demo ZIP each; plans are sold around one metro.
METROS = {
    "787": "78701",
    "941": "94105",
    "100": "10001",
    "606": "60601",
    "331": "33101",
    "981": "98101",
    "303": "30303",
    "802": "80202",
    "021": "02108",
    "850": "85004",
    "752": "75201",
    "191": "19103",
    "482": "48226",
    "554": "55401",
    "972": "97201",
    "891": "89101",
    "631": "63101",
    "432": "43215",
}
FEATURE_VALUES = {
    "mail_order_pharmacy": ("yes", "90-day"),
    "preferred_network": ("yes", "national"),
    "insulin_savings": ("$35 cap", "$25 cap"),
    "gap_coverage": ("full", "generics only"),
    "specialty_pharmacy": ("yes",),
    "ninety_day_supply": ("yes",),
    "vaccines_covered": ("yes",),
    "telehealth": ("yes", "24/7"),
    "generic_tier_zero": ("yes",),
    "brand_name_discount": ("10%", "25%"),
}
DEMO_ZIP = "78701"


def _zips_near(rng: random.Random, prefix: str, count: int) -> set[str]:
    return {f"{prefix}{rng.randint(1, 99):02d}" for _ in range(count)}


def generate(plans: int = 2500, seed: int = 2026) -> list[dict[str, Any]]:
    """Plans in the repository's shape, each with its ``zips`` and ``features``."""
    rng = random.Random(seed)
    out = []
    prefixes = sorted(METROS)
    for number in range(1, plans + 1):
        prefix = prefixes[number % len(prefixes)]
        zips = _zips_near(rng, prefix, rng.randint(6, 18))
        if rng.random() < 0.5:
            zips.add(METROS[prefix])  # the metro's central ZIP carries many plans
        special_needs = rng.random() < 0.08
        monthly = rng.choice((0, 0, *range(1, 130))) * 100 + rng.choice((0, 40, 50, 90))
        features = {key: rng.choice(values) for key, values in FEATURE_VALUES.items() if rng.random() < 0.45}
        out.append(
            {
                "planId": f"S{4000 + number // 100:04d}-{number % 1000:03d}",
                "planName": f"{rng.choice(INSURERS).split()[0]} Rx {rng.choice(TIERS)} {number}",
                "insurerName": rng.choice(INSURERS),
                "status": "ACTIVE" if rng.random() < 0.95 else "INACTIVE",
                "description": "Medicare Part D prescription drug plan.",
                "monthlyCostCents": monthly,
                "copayCents": rng.choice((0, 500, 1000, 1500, 2000, 4700)),
                "deductibleCents": rng.choice((0, 10000, 25000, 48000, 54500)),
                "minAge": 18 if special_needs else 65,
                "maxAge": 64 if special_needs else 120,
                "features": features,
                "zips": sorted(zips),
            }
        )
    return out


def items(plans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every catalog item for ``plans``: the plan items and their ZIP copies."""
    result = []
    for plan in plans:
        result.append({**plan, **plan_key(plan["planId"]), "entityType": "plan", "entityId": plan["planId"]})
        result.extend(zip_item(plan, z) for z in plan["zips"])
    return result


def seed_plans(dynamodb: Any, table_name: str, plans: list[dict[str, Any]]) -> int:
    """Batch-write the plans and their ZIP items; returns the number of items."""
    from salesportal.data.dynamo import to_item

    all_items = items(plans)
    batch_write(table_name, [{"PutRequest": {"Item": to_item(i)}} for i in all_items], client=dynamodb)
    return len(all_items)
