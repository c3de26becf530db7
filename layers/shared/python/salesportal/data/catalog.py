"""The catalog table: insurance products (and, later, drug plans).

Access patterns:
- all products, in id order, paginated: Query pk=PRODUCT
- one product: GetItem pk=PRODUCT, sk=<productId>
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from salesportal import aws
from salesportal.data.dynamo import decode_cursor, encode_cursor, from_item, to_item

if TYPE_CHECKING:
    from salesportal.models.rating import RateTable

PRODUCT_PK = "PRODUCT"


def product_item(product: dict[str, Any]) -> dict[str, Any]:
    """The stored form of a product document (used by seeding and admin tooling)."""
    return {"pk": PRODUCT_PK, "sk": product["productId"], **product}


def _product(item: dict[str, Any]) -> dict[str, Any]:
    plain = from_item(item)
    return {k: v for k, v in plain.items() if k not in {"pk", "sk"}}


@dataclass(frozen=True)
class CatalogRepository:
    table_name: str

    def list_products(self, limit: int, next_token: str | None) -> tuple[list[dict[str, Any]], str | None]:
        start = decode_cursor(next_token, expected={"pk": {"S": PRODUCT_PK}})
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": PRODUCT_PK}},
            "Limit": limit,
        }
        if start:
            params["ExclusiveStartKey"] = start
        response = aws.client("dynamodb").query(**params)
        return [_product(i) for i in response["Items"]], encode_cursor(response.get("LastEvaluatedKey"))

    def get_product(self, product_id: str) -> dict[str, Any] | None:
        response = aws.client("dynamodb").get_item(
            TableName=self.table_name, Key=to_item({"pk": PRODUCT_PK, "sk": product_id})
        )
        item = response.get("Item")
        return _product(item) if item else None

    def rate_table(self, product_id: str) -> RateTable | None:
        """How the product is priced; None when there is no such product or it is not rated."""
        from salesportal.models.rating import RateTable  # only quoting and renewals price

        product = self.get_product(product_id)
        if product is None or "rating" not in product:
            return None
        return RateTable.model_validate(product["rating"])
