"""Seed data for the offline stack and the tests: the product catalog."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3

from infrastructure.manifest import Physical

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"


def products() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = json.loads((SEED_DIR / "products.json").read_text())
    return loaded


def seed_catalog(endpoint_url: str | None, region: str, physical: Physical) -> int:
    """Write the seed products through the catalog repository's item shape."""
    from salesportal.data.catalog import product_item
    from salesportal.data.dynamo import to_item

    dynamodb = boto3.client("dynamodb", endpoint_url=endpoint_url, region_name=region)
    for product in products():
        dynamodb.put_item(TableName=physical.tables["catalog"], Item=to_item(product_item(product)))
    return len(products())


def seed_plan_catalog(endpoint_url: str | None, region: str, physical: Physical, plans: int = 2500) -> int:
    """Generated drug plans and their ZIP mappings (infrastructure.local.plan_data)."""
    from infrastructure.local.plan_data import generate, seed_plans

    dynamodb = boto3.client("dynamodb", endpoint_url=endpoint_url, region_name=region)
    return seed_plans(dynamodb, physical.tables["catalog"], generate(plans))


def drop_delta(endpoint_url: str | None, region: str, physical: Physical, source: Path, key: str) -> str:
    """Put a delta file into the plan inbox, as the system of record would; returns its key."""
    s3 = boto3.client("s3", endpoint_url=endpoint_url, region_name=region)
    object_key = f"incoming/{key}"
    s3.put_object(Bucket=physical.buckets["plan-inbox"], Key=object_key, Body=source.read_bytes())
    return object_key
