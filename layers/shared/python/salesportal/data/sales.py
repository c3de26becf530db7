"""The sales table: per customer, their quotes, applications, policies, payments and refunds.

Access patterns:
- a customer's quote / application / policy: GetItem pk=CUSTOMER#<sub>, sk=<TYPE>#<id>
  (the caller's own partition, so a foreign id simply is not found)
- a customer's applications / policies, newest first, paginated:
  Query pk=CUSTOMER#<sub>, begins_with(sk, "APPLICATION#" | "POLICY#"), ScanIndexForward=false
- payments and refunds of a policy: sk=PAYMENT#<policyId>#<paymentId>, REFUND#<policyId>#<id>
- renewal reminders sent: sk=REMINDER#<policyId>#<termEnd>#<daysBefore> (a conditional put
  is the "send once" guard; the stream turns it into a RenewalReminderCreated event)
- the review queue, oldest first: Query index byStatus statusKey="APPLICATION#REFERRED",
  ordered by statusSort (= submittedAt)
- active policies by term end (reminders, dunning, lapse): Query index byStatus
  statusKey="POLICY#ACTIVE", statusSort (= termEnd) BETWEEN two dates
- an application by id alone (staff): Query index byEntity entityId=<id>, entityType="application"

Quotes carry ``expiresAtEpoch`` for DynamoDB's TTL; readers still check ``expiresAt``,
because TTL deletes lazily. Every item carries ``entityType``/``entityId``/``customerId``
and ``lastModifiedBy`` for the outbox. State changes are conditional writes on the state
they leave, so a retry or a race can never apply a transition twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from salesportal import aws
from salesportal.data.dynamo import (
    decode_cursor,
    encode_cursor,
    from_item,
    is_condition_failure,
    set_expression,
    status_in,
    to_item,
)

QUOTE, APPLICATION, POLICY, PAYMENT, REFUND, REMINDER = (
    "quote",
    "application",
    "policy",
    "payment",
    "refund",
    "renewal_reminder",
)
_INTERNAL = {
    "pk",
    "sk",
    "entityType",
    "entityId",
    "lastModifiedBy",
    "expiresAtEpoch",
    "statusKey",
    "statusSort",
}
MAX_PAGE = 50


def _pk(customer_id: str) -> str:
    return f"CUSTOMER#{customer_id}"


def _key(customer_id: str, sk: str) -> dict[str, Any]:
    return to_item({"pk": _pk(customer_id), "sk": sk})


def public(item: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in _INTERNAL}


def status_key(entity_type: str, status: str) -> str:
    return f"{entity_type.upper()}#{status}"


def _policy_changes(fields: Mapping[str, Any], actor: str) -> dict[str, Any]:
    """A policy update with its index keys kept in step: ``statusKey`` follows ``status``,
    ``statusSort`` follows ``termEnd`` (the byStatus index the daily job reads)."""
    changes = {**fields, "lastModifiedBy": actor}
    if fields.get("status"):
        changes["statusKey"] = status_key(POLICY, fields["status"])
    if "termEnd" in fields:
        changes["statusSort"] = fields["termEnd"]
    return changes


class StateChanged(Exception):
    """A conditional transition found the item no longer in the state it expected."""


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_token: str | None


@dataclass(frozen=True)
class SalesRepository:
    table_name: str

    # -- generic ---------------------------------------------------------------------------
    def _get(self, customer_id: str, sk: str) -> dict[str, Any] | None:
        item = (
            aws.client("dynamodb").get_item(TableName=self.table_name, Key=_key(customer_id, sk)).get("Item")
        )
        return from_item(item) if item else None

    def _put_new(self, item: Mapping[str, Any]) -> bool:
        """Put ``item`` unless its key exists; False when it already did (a replay)."""
        try:
            aws.client("dynamodb").put_item(
                TableName=self.table_name, Item=to_item(item), ConditionExpression="attribute_not_exists(pk)"
            )
        except Exception as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def _list(self, customer_id: str, prefix: str, limit: int, token: str | None) -> Page:
        pk = _pk(customer_id)
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": to_item({":pk": pk, ":prefix": prefix}),
            "ScanIndexForward": False,
            "Limit": min(limit, MAX_PAGE),
        }
        start = decode_cursor(token, expected={"pk": {"S": pk}})
        if start:
            params["ExclusiveStartKey"] = start
        response = aws.client("dynamodb").query(**params)
        return Page(
            [public(from_item(i)) for i in response.get("Items", [])],
            encode_cursor(response.get("LastEvaluatedKey")),
        )

    def _conditional_update(
        self,
        customer_id: str,
        sk: str,
        fields: Mapping[str, Any],
        *,
        expected_status: tuple[str, ...],
        remove: tuple[str, ...] = (),
    ) -> dict[str, Any]:
        update = self._transition_op(customer_id, sk, fields, expected_status, remove=remove)["Update"]
        try:
            response = aws.client("dynamodb").update_item(**update, ReturnValues="ALL_NEW")
        except Exception as exc:
            if is_condition_failure(exc):
                raise StateChanged(sk) from exc
            raise
        return public(from_item(response["Attributes"]))

    def _transition_op(
        self,
        customer_id: str,
        sk: str,
        fields: Mapping[str, Any],
        expected_status: tuple[str, ...],
        *,
        remove: tuple[str, ...] = (),
    ) -> dict[str, Any]:
        """An Update (for a transaction or alone) guarded by the status it leaves."""
        expression, names, values = set_expression(fields, remove=remove)
        return {
            "Update": {
                "TableName": self.table_name,
                "Key": _key(customer_id, sk),
                "UpdateExpression": expression,
                "ConditionExpression": status_in(expected_status, names, values),
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values,
            }
        }

    def _put_op(self, item: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "Put": {
                "TableName": self.table_name,
                "Item": to_item(item),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }

    def _transact(self, operations: list[dict[str, Any]]) -> bool:
        """All or nothing; False when a condition failed (a replay or a lost race)."""
        try:
            aws.client("dynamodb").transact_write_items(TransactItems=operations)
        except Exception as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    # -- quotes ----------------------------------------------------------------------------
    def put_quote(self, customer_id: str, quote: dict[str, Any], *, actor: str, ttl_epoch: int) -> None:
        item = {
            "pk": _pk(customer_id),
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
        item = self._get(customer_id, f"QUOTE#{quote_id}")
        return public(item) if item else None

    # -- applications ----------------------------------------------------------------------
    def submit_application(
        self, customer_id: str, application: Mapping[str, Any], *, actor: str
    ) -> str | None:
        """The application, and its quote marked as applied for, at once.

        Returns None when created; the id of the earlier application when this quote was
        already applied for (a retried POST), so the caller answers with that one.
        """
        app_id = application["applicationId"]
        item = {
            **application,
            "pk": _pk(customer_id),
            "sk": f"APPLICATION#{app_id}",
            "entityType": APPLICATION,
            "entityId": app_id,
            "customerId": customer_id,
            "lastModifiedBy": actor,
            "statusKey": status_key(APPLICATION, application["status"]),
            "statusSort": application["submittedAt"],
        }
        mark_quote = {
            "Update": {
                "TableName": self.table_name,
                "Key": _key(customer_id, f"QUOTE#{application['quoteId']}"),
                "UpdateExpression": "SET #a = :a",
                "ConditionExpression": "attribute_exists(pk) AND attribute_not_exists(#a)",
                "ExpressionAttributeNames": {"#a": "applicationId"},
                "ExpressionAttributeValues": {":a": {"S": app_id}},
            }
        }
        if self._transact([self._put_op(item), mark_quote]):
            return None
        quote = self._get(customer_id, f"QUOTE#{application['quoteId']}") or {}
        existing = quote.get("applicationId")
        if not existing:
            raise StateChanged(f"QUOTE#{application['quoteId']}")
        return str(existing)

    def get_application(self, customer_id: str, application_id: str) -> dict[str, Any] | None:
        item = self._get(customer_id, f"APPLICATION#{application_id}")
        return public(item) if item else None

    def list_applications(self, customer_id: str, *, limit: int, token: str | None) -> Page:
        return self._list(customer_id, "APPLICATION#", limit, token)

    def find_application(self, application_id: str) -> dict[str, Any] | None:
        """Staff only: an application by id, whoever it belongs to."""
        response = aws.client("dynamodb").query(
            TableName=self.table_name,
            IndexName="byEntity",
            KeyConditionExpression="entityId = :id AND entityType = :type",
            ExpressionAttributeValues=to_item({":id": application_id, ":type": APPLICATION}),
            Limit=1,
        )
        items = response.get("Items", [])
        return public(from_item(items[0])) if items else None

    def transition_application(
        self,
        customer_id: str,
        application_id: str,
        status: str,
        fields: Mapping[str, Any],
        *,
        expected: tuple[str, ...],
        actor: str,
        now: str,
    ) -> dict[str, Any]:
        """Move to ``status`` from one of ``expected``; StateChanged if it had moved on."""
        return self._conditional_update(
            customer_id,
            f"APPLICATION#{application_id}",
            {
                **fields,
                "status": status,
                "statusKey": status_key(APPLICATION, status),
                "updatedAt": now,
                "lastModifiedBy": actor,
            },
            expected_status=expected,
        )

    def review_queue(self, status: str, *, limit: int, token: str | None) -> Page:
        key = status_key(APPLICATION, status)
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": "byStatus",
            "KeyConditionExpression": "statusKey = :k",
            "ExpressionAttributeValues": to_item({":k": key}),
            "ScanIndexForward": True,  # oldest first: the longest wait is decided first
            "Limit": min(limit, MAX_PAGE),
        }
        start = decode_cursor(token, expected={"statusKey": {"S": key}})
        if start:
            params["ExclusiveStartKey"] = start
        response = aws.client("dynamodb").query(**params)
        return Page(
            [from_item(i) for i in response.get("Items", [])],
            encode_cursor(response.get("LastEvaluatedKey")),
        )

    # -- policies --------------------------------------------------------------------------
    def issue_policy(
        self, customer_id: str, application_id: str, policy: Mapping[str, Any], *, actor: str, now: str
    ) -> bool:
        """Policy created and application ACCEPTED together; False if it was already accepted."""
        policy_item = {
            **policy,
            "pk": _pk(customer_id),
            "sk": f"POLICY#{policy['policyId']}",
            "entityType": POLICY,
            "entityId": policy["policyId"],
            "customerId": customer_id,
            "lastModifiedBy": actor,
            "statusKey": status_key(POLICY, policy["status"]),
            "statusSort": policy["termEnd"],
        }
        accept = self._transition_op(
            customer_id,
            f"APPLICATION#{application_id}",
            {
                "status": "ACCEPTED",
                "statusKey": status_key(APPLICATION, "ACCEPTED"),
                "policyId": policy["policyId"],
                "updatedAt": now,
                "lastModifiedBy": actor,
            },
            ("APPROVED",),
        )
        return self._transact([self._put_op(policy_item), accept])

    def get_policy(self, customer_id: str, policy_id: str) -> dict[str, Any] | None:
        item = self._get(customer_id, f"POLICY#{policy_id}")
        return public(item) if item else None

    def list_policies(self, customer_id: str, *, limit: int, token: str | None) -> Page:
        return self._list(customer_id, "POLICY#", limit, token)

    def update_policy(
        self,
        customer_id: str,
        policy_id: str,
        fields: Mapping[str, Any],
        *,
        expected: tuple[str, ...],
        actor: str,
        remove: tuple[str, ...] = (),
    ) -> dict[str, Any]:
        """Conditional on the policy's status being one of ``expected``; StateChanged if not."""
        return self._conditional_update(
            customer_id,
            f"POLICY#{policy_id}",
            _policy_changes(fields, actor),
            expected_status=expected,
            remove=remove,
        )

    def policies_ending(self, status: str, first_day: str, last_day: str) -> list[dict[str, Any]]:
        """Every policy in ``status`` whose term ends in [first_day, last_day] (all pages)."""
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": "byStatus",
            "KeyConditionExpression": "statusKey = :k AND statusSort BETWEEN :a AND :b",
            "ExpressionAttributeValues": to_item(
                {":k": status_key(POLICY, status), ":a": first_day, ":b": last_day}
            ),
        }
        items: list[dict[str, Any]] = []
        while True:
            response = aws.client("dynamodb").query(**params)
            items.extend(public(from_item(i)) for i in response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                return items
            params["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    # -- payments, refunds, reminders -------------------------------------------------------
    def _child(
        self,
        customer_id: str,
        kind: str,
        policy_id: str,
        child_id: str,
        values: Mapping[str, Any],
        actor: str,
    ) -> dict[str, Any]:
        entity = {"PAYMENT": PAYMENT, "REFUND": REFUND, "REMINDER": REMINDER}[kind]
        return {
            **values,
            "pk": _pk(customer_id),
            "sk": f"{kind}#{policy_id}#{child_id}",
            "entityType": entity,
            "entityId": f"{policy_id}:{child_id}",
            "customerId": customer_id,
            "policyId": policy_id,
            "lastModifiedBy": actor,
        }

    def record_payment(
        self,
        customer_id: str,
        policy_id: str,
        payment: Mapping[str, Any],
        *,
        policy_fields: Mapping[str, Any] | None,
        expected: tuple[str, ...],
        actor: str,
    ) -> bool:
        """The payment item, and the policy change it causes, at once; False on a replay."""
        item = self._child(customer_id, "PAYMENT", policy_id, payment["paymentId"], payment, actor)
        operations = [self._put_op(item)]
        if policy_fields:
            changes = _policy_changes(policy_fields, actor)
            operations.append(self._transition_op(customer_id, f"POLICY#{policy_id}", changes, expected))
        return self._transact(operations)

    def get_payment(self, customer_id: str, policy_id: str, payment_id: str) -> dict[str, Any] | None:
        item = self._get(customer_id, f"PAYMENT#{policy_id}#{payment_id}")
        return public(item) if item else None

    def settle_payment(
        self,
        customer_id: str,
        policy_id: str,
        payment_id: str,
        payment_fields: Mapping[str, Any],
        *,
        policy_fields: Mapping[str, Any] | None,
        expected_policy: tuple[str, ...],
        actor: str,
    ) -> bool:
        """A PROCESSING payment settles (webhook); the policy moves with it. False if already settled."""
        operations = [
            self._transition_op(
                customer_id,
                f"PAYMENT#{policy_id}#{payment_id}",
                {**payment_fields, "lastModifiedBy": actor},
                ("PROCESSING",),
            )
        ]
        if policy_fields:
            changes = _policy_changes(policy_fields, actor)
            operations.append(
                self._transition_op(customer_id, f"POLICY#{policy_id}", changes, expected_policy)
            )
        return self._transact(operations)

    def payments_of(self, customer_id: str, policy_id: str) -> list[dict[str, Any]]:
        return self._list(customer_id, f"PAYMENT#{policy_id}#", MAX_PAGE, None).items

    def cancel_with_refunds(
        self,
        customer_id: str,
        policy_id: str,
        refunds: list[Mapping[str, Any]],
        policy_fields: Mapping[str, Any],
        *,
        expected: tuple[str, ...],
        actor: str,
    ) -> bool:
        """The policy CANCELLED and its refund records, at once; False if the policy moved on."""
        changes = _policy_changes({**policy_fields, "status": "CANCELLED"}, actor)
        operations = [self._transition_op(customer_id, f"POLICY#{policy_id}", changes, expected)]
        operations += [
            self._put_op(self._child(customer_id, "REFUND", policy_id, r["refundId"], r, actor))
            for r in refunds
        ]
        return self._transact(operations)

    def record_reminder(
        self,
        customer_id: str,
        policy_id: str,
        term_end: str,
        days_before: int,
        facts: Mapping[str, Any],
        *,
        actor: str,
    ) -> bool:
        """The reminder item (once per policy, term and day count) and the policy's note of it."""
        reminder = self._child(
            customer_id,
            "REMINDER",
            policy_id,
            f"{term_end}#{days_before}",
            {**facts, "termEnd": term_end, "daysBefore": days_before},
            actor,
        )
        update = {
            "Update": {
                "TableName": self.table_name,
                "Key": _key(customer_id, f"POLICY#{policy_id}"),
                "UpdateExpression": "ADD #r :d SET #m = :actor",
                "ExpressionAttributeNames": {"#r": "remindersSent", "#m": "lastModifiedBy"},
                "ExpressionAttributeValues": {":d": {"NS": [str(days_before)]}, ":actor": {"S": actor}},
                "ConditionExpression": "attribute_exists(pk)",
            }
        }
        return self._transact([self._put_op(reminder), update])
