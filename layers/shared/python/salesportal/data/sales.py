"""The sales table: per customer, their quotes (and later applications, policies, payments).

Access patterns:
- a customer's quote: GetItem pk=CUSTOMER#<sub>, sk=QUOTE#<quoteId> (the caller's own
  partition, so a foreign quote id simply is not found)

Quotes carry ``expiresAtEpoch`` for DynamoDB's TTL; readers still check ``expiresAt``,
because TTL deletes lazily. Items carry ``entityType``/``entityId``/``lastModifiedBy`` for
the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from salesportal import aws
from salesportal.data.dynamo import from_item, to_item

QUOTE = "quote"
_INTERNAL = {"pk", "sk", "entityType", "entityId", "lastModifiedBy", "expiresAtEpoch", "customerId"}


def _key(customer_id: str, quote_id: str) -> dict[str, Any]:
    return to_item({"pk": f"CUSTOMER#{customer_id}", "sk": f"QUOTE#{quote_id}"})


@dataclass(frozen=True)
class SalesRepository:
    table_name: str

    def put_quote(self, customer_id: str, quote: dict[str, Any], *, actor: str, ttl_epoch: int) -> None:
        item = {
            "pk": f"CUSTOMER#{customer_id}",
            "sk": f"QUOTE#{quote['quoteId']}",
            "entityType": QUOTE,
            "entityId": quote["quoteId"],
            "customerId": customer_id,
            "lastModifiedBy": actor,
            "expiresAtEpoch": ttl_epoch,
            **quote,
        }
        aws.client("dynamodb").put_item(
            TableName=self.table_name, Item=to_item(item), ConditionExpression="attribute_not_exists(pk)"
        )

    def get_quote(self, customer_id: str, quote_id: str) -> dict[str, Any] | None:
        item = (
            aws.client("dynamodb")
            .get_item(TableName=self.table_name, Key=_key(customer_id, quote_id))
            .get("Item")
        )
        if not item:
            return None
        return {k: v for k, v in from_item(item).items() if k not in _INTERNAL}
