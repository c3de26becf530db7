"""The sales table's quotes and applications (its policies and money: salesportal.data.sales).

Access patterns:
- a customer's quote / application: GetItem pk=CUSTOMER#<sub>, sk=QUOTE#<id> | APPLICATION#<id>
  (the caller's own partition, so a foreign id simply is not found)
- a customer's applications, newest first, paginated:
  Query pk=CUSTOMER#<sub>, begins_with(sk, "APPLICATION#"), ScanIndexForward=false
- the review queue, oldest first: Query index byStatus statusKey="APPLICATION#<status>",
  ordered by statusSort (= submittedAt)
- an application by id alone (staff): Query index byEntity entityId=<id>, entityType="application"
- applying: one transaction puts the application and marks its quote as applied for, so a
  quote yields one application however often the request is retried

Quotes carry ``expiresAtEpoch`` for DynamoDB's TTL; readers still ask ``Quote.expired``,
because TTL deletes lazily. A conditional write that finds the item no longer as the caller
read it writes nothing and says so (data.dynamo's convention); the caller decides what that means.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from salesportal.data import sales_items as items
from salesportal.data.dynamo import (
    Page,
    TableRepository,
    decode_cursor,
    encode_cursor,
    from_item,
    index_key,
    set_expression,
    status_in,
    to_item,
)
from salesportal.data.sales import APPLICATION, QUOTE, status_key
from salesportal.domain.sales import Application, ApplicationStatus, Quote

MAX_PAGE = 50


def _pk(customer_id: str) -> str:
    return f"CUSTOMER#{customer_id}"


def _key(customer_id: str, sk: str) -> dict[str, Any]:
    return to_item({"pk": _pk(customer_id), "sk": sk})


def _application_sk(application_id: str) -> str:
    return f"APPLICATION#{application_id}"


def _quote_sk(quote_id: str) -> str:
    return f"QUOTE#{quote_id}"


def _application_page(response: Mapping[str, Any]) -> Page[Application]:
    return Page(
        [items.application_from_item(from_item(i)) for i in response.get("Items", [])],
        encode_cursor(response.get("LastEvaluatedKey")),
    )


class ApplicationsRepository(TableRepository):
    # -- quotes ---------------------------------------------------------------------------------
    def put_quote(self, quote: Quote, *, keep_until: datetime, actor: str) -> None:
        """A new quote, deleted by TTL once ``keep_until`` has passed."""
        item = {
            **items.quote_fields(quote),
            "pk": _pk(quote.customer_id),
            "sk": _quote_sk(quote.quote_id),
            "entityType": QUOTE,
            "entityId": quote.quote_id,
            "lastModifiedBy": actor,
            "expiresAtEpoch": int(keep_until.timestamp()),
        }
        self._client().put_item(
            TableName=self.table_name, Item=to_item(item), ConditionExpression="attribute_not_exists(pk)"
        )

    def quote(self, customer_id: str, quote_id: str) -> Quote | None:
        item = self._get(customer_id, _quote_sk(quote_id))
        return items.quote_from_item(item) if item else None

    # -- applications ---------------------------------------------------------------------------
    def submit(self, application: Application, *, actor: str) -> str | None:
        """The application, and its quote marked as applied for, at once.

        Returns the id of the quote's application: this one's when it was created, the
        earlier one's when the quote had been applied for already (a retried POST); None
        when the quote is gone (deleted by TTL since it was read) and nothing was written.
        """
        app_id = application.application_id
        item = {
            **items.application_fields(application),
            "pk": _pk(application.customer_id),
            "sk": _application_sk(app_id),
            "entityType": APPLICATION,
            "entityId": app_id,
            "lastModifiedBy": actor,
            "statusKey": status_key(APPLICATION, application.status),
            "statusSort": application.submitted_at.isoformat(),
        }
        put = {
            "Put": {
                "TableName": self.table_name,
                "Item": to_item(item),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        mark_quote = {
            "Update": {
                "TableName": self.table_name,
                "Key": _key(application.customer_id, _quote_sk(application.quote_id)),
                "UpdateExpression": "SET #a = :a",
                "ConditionExpression": "attribute_exists(pk) AND attribute_not_exists(#a)",
                "ExpressionAttributeNames": {"#a": "applicationId"},
                "ExpressionAttributeValues": {":a": {"S": app_id}},
            }
        }
        if self._conditionally("transact_write_items", TransactItems=[put, mark_quote]) is not None:
            return app_id
        quote = self.quote(application.customer_id, application.quote_id)
        return None if quote is None else quote.application_id

    def application(self, customer_id: str, application_id: str) -> Application | None:
        item = self._get(customer_id, _application_sk(application_id))
        return items.application_from_item(item) if item else None

    def applications(self, customer_id: str, *, limit: int, token: str | None) -> Page[Application]:
        page = self._newest_first(_pk(customer_id), "APPLICATION#", limit=min(limit, MAX_PAGE), token=token)
        return Page([items.application_from_item(i) for i in page.items], page.next_token)

    def find(self, application_id: str) -> Application | None:
        """Staff only: an application by id, whoever it belongs to."""
        response = self._client().query(
            TableName=self.table_name,
            IndexName="byEntity",
            KeyConditionExpression="entityId = :id AND entityType = :type",
            ExpressionAttributeValues=to_item({":id": application_id, ":type": APPLICATION}),
            Limit=1,
        )
        found = response.get("Items", [])
        return items.application_from_item(from_item(found[0])) if found else None

    def transition(
        self,
        before: Application,
        after: Application,
        *,
        expected: tuple[ApplicationStatus, ...],
        actor: str,
    ) -> bool:
        """Write what differs from ``before`` to ``after``, conditional on the stored status
        being one of ``expected``; False when it had moved on (nothing is written)."""
        old, new = items.application_fields(before), items.application_fields(after)
        changes = {k: v for k, v in new.items() if v is not None and v != old.get(k)}
        changes |= {"statusKey": status_key(APPLICATION, after.status), "lastModifiedBy": actor}
        remove = tuple(k for k, v in new.items() if v is None and old.get(k) is not None)
        expression, names, values = set_expression(changes, remove=remove)
        written = self._conditionally(
            "update_item",
            TableName=self.table_name,
            Key=_key(before.customer_id, _application_sk(before.application_id)),
            UpdateExpression=expression,
            ConditionExpression=status_in(expected, names, values),
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )
        return written is not None

    def review_queue(self, status: ApplicationStatus, *, limit: int, token: str | None) -> Page[Application]:
        key = status_key(APPLICATION, status)
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": "byStatus",
            "KeyConditionExpression": "statusKey = :k",
            "ExpressionAttributeValues": to_item({":k": key}),
            "ScanIndexForward": True,  # oldest first: the longest wait is decided first
            "Limit": min(limit, MAX_PAGE),
        }
        start = decode_cursor(
            token, expected={"statusKey": {"S": key}}, shape=index_key("statusKey", "statusSort")
        )
        if start:
            params["ExclusiveStartKey"] = start
        return _application_page(self._client().query(**params))

    def _get(self, customer_id: str, sk: str) -> dict[str, Any] | None:
        item = self._client().get_item(TableName=self.table_name, Key=_key(customer_id, sk)).get("Item")
        return from_item(item) if item else None
