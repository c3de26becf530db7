"""The catalog table: insurance products (drug plans share the table: salesportal.data.plans).

Access patterns:
- all products, in id order, paginated: Query pk=PRODUCT
- one product: GetItem pk=PRODUCT, sk=<productId>
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from salesportal.data.dynamo import Page, TableRepository, decode_cursor, encode_cursor, from_item, to_item
from salesportal.domain.catalog import CoverageOption, Product
from salesportal.domain.sales import Money

if TYPE_CHECKING:
    from salesportal.models.rating import RateTable

PRODUCT_PK = "PRODUCT"


def product_item(product: dict[str, Any]) -> dict[str, Any]:
    """The stored form of a product document (used by seeding and admin tooling)."""
    return {"pk": PRODUCT_PK, "sk": product["productId"], **product}


def _money(value: Mapping[str, Any]) -> Money:
    return Money(int(value["amountCents"]), str(value.get("currency", "USD")))


def _maybe_money(value: Mapping[str, Any] | None) -> Money | None:
    return None if value is None else _money(value)


def _option(option: Mapping[str, Any]) -> CoverageOption:
    return CoverageOption(
        code=option["code"],
        name=option["name"],
        coverage_amount=_maybe_money(option.get("coverageAmount")),
        deductible=_maybe_money(option.get("deductible")),
        term_years=option.get("termYears"),
    )


def _product(item: Mapping[str, Any]) -> Product:
    return Product(
        product_id=item["productId"],
        name=item["name"],
        line=item["line"],
        description=item["description"],
        available_states=tuple(item["availableStates"]),
        starting_monthly_premium=_money(item["startingMonthlyPremium"]),
        coverage_options=tuple(_option(o) for o in item["coverageOptions"]),
    )


@dataclass(frozen=True)
class CatalogRepository(TableRepository):
    def list_products(self, limit: int, next_token: str | None) -> Page[Product]:
        start = decode_cursor(next_token, expected={"pk": {"S": PRODUCT_PK}})
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": PRODUCT_PK}},
            "Limit": limit,
        }
        if start:
            params["ExclusiveStartKey"] = start
        response = self._client().query(**params)
        products = [_product(from_item(i)) for i in response["Items"]]
        return Page(products, encode_cursor(response.get("LastEvaluatedKey")))

    def _item(self, product_id: str) -> dict[str, Any] | None:
        response = self._client().get_item(
            TableName=self.table_name, Key=to_item({"pk": PRODUCT_PK, "sk": product_id})
        )
        item = response.get("Item")
        return from_item(item) if item else None

    def get_product(self, product_id: str) -> Product | None:
        item = self._item(product_id)
        return _product(item) if item else None

    def rate_table(self, product_id: str) -> RateTable | None:
        """How the product is priced; None when there is no such product or it is not rated."""
        from salesportal.models.rating import RateTable  # only quoting and renewals price

        item = self._item(product_id)
        if item is None or "rating" not in item:
            return None
        return RateTable.model_validate(item["rating"])
