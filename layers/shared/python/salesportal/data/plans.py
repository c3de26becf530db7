"""Drug plans in the catalog table, laid out so a ZIP search is one Query.

Access patterns:
- one plan with features and costs: GetItem pk=PLAN#<planId>, sk=PLAN
- plans sold in a ZIP, cheapest first, up to a monthly cost: Query pk=ZIP#<zip>,
  sk BETWEEN "COST#0000000000" AND "COST#<max cents>~" — each ZIP item carries the plan's
  summary (status, costs, age band, features), so filtering by status, age and features
  happens in the same Query (FilterExpression) and no second read is needed.

Selective filters (a rare feature, a low cost cap) used to leave pages short of ``limit``,
because one Query reads a bounded number of items and filters them. A search now keeps
reading with the cursor inside the request until the page is full, bounded (MAX_QUERIES),
and answers a nextToken where it stopped. That, rather than a key design with the common
filters in the key, because a ZIP holds tens to a few hundred plans, so a bounded re-read
fills nearly every page for the cost of one or two more Queries; a filter in the key would
need an item (or a GSI) per feature and value per ZIP, which the nightly sync would have to
rewrite with every plan change, and any filter left out of the key would be short again.
The cost cap is in the key already (sk BETWEEN).

The ZIP items are a denormalized copy: whoever changes a plan (the nightly sync) rewrites
the plan's ZIP items too; the plan item's ``zips`` set says which they are. The cost is in
the sort key, so a cost change moves the ZIP item (delete + put).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from salesportal.data.dynamo import Page, TableRepository, decode_cursor, encode_cursor, from_item, to_item

# The offline stack's seeding (infrastructure/local/plan_data.py) writes plans in batches by this name.
from salesportal.data.dynamo import batch_write as batch_write
from salesportal.domain.plans import AgeBand, FeatureFilter, Plan, PlanCosts
from salesportal.domain.sales import Money

SUMMARY_FIELDS = (
    "planId",
    "planName",
    "insurerName",
    "status",
    "monthlyCostCents",
    "copayCents",
    "deductibleCents",
    "minAge",
    "maxAge",
    "features",
)
_COST_DIGITS = 10
# A search keeps reading the ZIP's partition until its page is full, up to this many Query
# calls of max(4 x limit, 50) items each: a bound on the read capacity one request may spend
# (at most ~1,000 summaries of ~0.5 KB, ~65 eventually consistent read units).
MAX_QUERIES = 5


def plan_key(plan_id: str) -> dict[str, Any]:
    return {"pk": f"PLAN#{plan_id}", "sk": "PLAN"}


def zip_sort_key(monthly_cost_cents: int, plan_id: str) -> str:
    return f"COST#{monthly_cost_cents:0{_COST_DIGITS}d}#{plan_id}"


def zip_item(plan: Mapping[str, Any], zip_code: str) -> dict[str, Any]:
    """The copy of a plan's summary under one ZIP (the search's single-Query layout)."""
    return {
        "pk": f"ZIP#{zip_code}",
        "sk": zip_sort_key(int(plan["monthlyCostCents"]), plan["planId"]),
        "zip": zip_code,
        **{k: plan[k] for k in SUMMARY_FIELDS if k in plan},
    }


def _plan(item: Mapping[str, Any]) -> Plan:
    """A stored plan, or its ZIP copy (which has no description), as the entity."""
    return Plan(
        plan_id=item["planId"],
        plan_name=item["planName"],
        insurer_name=item["insurerName"],
        status=item["status"],
        costs=PlanCosts(
            monthly=Money(int(item["monthlyCostCents"])),
            copay=Money(int(item["copayCents"])),
            deductible=Money(int(item["deductibleCents"])),
        ),
        ages=AgeBand(int(item["minAge"]), int(item["maxAge"])),
        features={str(k): str(v) for k, v in (item.get("features") or {}).items()},
        description=item.get("description"),
    )


@dataclass(frozen=True)
class PlanRepository(TableRepository):
    def get(self, plan_id: str) -> Plan | None:
        item = self._client().get_item(TableName=self.table_name, Key=to_item(plan_key(plan_id))).get("Item")
        return _plan(from_item(item)) if item else None

    def get_with_zips(self, plan_id: str) -> dict[str, Any] | None:
        """The stored plan including its ``zips`` set (for the sync, which rewrites ZIP items)."""
        item = (
            self._client()
            .get_item(TableName=self.table_name, Key=to_item(plan_key(plan_id)), ConsistentRead=True)
            .get("Item")
        )
        return from_item(item) if item else None

    def search(
        self,
        zip_code: str,
        *,
        max_monthly_cents: int | None,
        age: int | None,
        features: Sequence[FeatureFilter],
        limit: int,
        token: str | None,
    ) -> Page[Plan]:
        """Plans in the ZIP passing every filter, cheapest first: ``limit`` of them whenever
        that many exist within MAX_QUERIES reads. The token resumes after the last plan
        returned, or after the last plan read when the bound ends a short page."""
        pk = f"ZIP#{zip_code}"
        upper = f"COST#{max_monthly_cents:0{_COST_DIGITS}d}~" if max_monthly_cents is not None else "COST#~"
        names = {"#status": "status"}
        values: dict[str, Any] = {":pk": pk, ":lo": "COST#", ":hi": upper, ":active": "ACTIVE"}
        conditions = ["#status = :active"]
        if age is not None:
            names |= {"#min": "minAge", "#max": "maxAge"}
            values[":age"] = age
            conditions.append("#min <= :age AND #max >= :age")
        if features:
            names["#features"] = "features"
        for i, feature in enumerate(features):
            names[f"#k{i}"] = feature.key
            if feature.value is None:
                conditions.append(f"attribute_exists(#features.#k{i})")
            else:
                values[f":v{i}"] = feature.value
                conditions.append(f"#features.#k{i} = :v{i}")
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :lo AND :hi",
            "FilterExpression": " AND ".join(conditions),
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": to_item(values),
            "Limit": max(limit * 4, 50),
        }
        start = decode_cursor(token, expected={"pk": {"S": pk}}, bounds={"sk": ("COST#", upper)})
        client = self._client()
        found: list[dict[str, Any]] = []
        for _ in range(MAX_QUERIES):
            if start:
                params["ExclusiveStartKey"] = start
            response = client.query(**params)
            found += response.get("Items", [])
            start = response.get("LastEvaluatedKey")
            if len(found) >= limit or not start:
                break
        page = found[:limit]
        if len(found) > limit:
            # Cut inside what was read: the next page starts after the last plan returned.
            next_token = encode_cursor({"pk": page[-1]["pk"], "sk": page[-1]["sk"]})
        else:  # after everything read: the ZIP's end, or the read bound with a short page
            next_token = encode_cursor(start)
        return Page([_plan(from_item(i)) for i in page], next_token)

    # -- writes (the nightly sync) ------------------------------------------------------
    def put_plan(self, plan: Mapping[str, Any]) -> None:
        self._client().put_item(
            TableName=self.table_name,
            Item=to_item(
                {**plan, **plan_key(plan["planId"]), "entityType": "plan", "entityId": plan["planId"]}
            ),
        )

    def delete_plan(self, plan_id: str) -> None:
        self._client().delete_item(TableName=self.table_name, Key=to_item(plan_key(plan_id)))

    def write_zip_items(self, puts: Iterable[Mapping[str, Any]], deletes: Iterable[tuple[str, str]]) -> None:
        """Put and delete ZIP items in batches of 25, retrying what DynamoDB leaves unprocessed."""
        requests: list[dict[str, Any]] = [{"PutRequest": {"Item": to_item(item)}} for item in puts]
        requests += [{"DeleteRequest": {"Key": to_item({"pk": pk, "sk": sk})}} for pk, sk in deletes]
        self._batch_write(requests)
