"""The sales table: per customer, their policies, payments and refunds (quotes and
applications: salesportal.data.applications).

Access patterns:
- a customer's policy: GetItem pk=CUSTOMER#<sub>, sk=POLICY#<id>
  (the caller's own partition, so a foreign id simply is not found)
- a customer's policies, newest first, paginated:
  Query pk=CUSTOMER#<sub>, begins_with(sk, "POLICY#"), ScanIndexForward=false
- payments and refunds of a policy: sk=PAYMENT#<policyId>#<paymentId>, REFUND#<policyId>#<id>
- the one charge in flight on a policy: its ``chargeInFlight`` attribute, claimed by a
  conditional write before the gateway is called and cleared when the charge settles
- renewal reminders sent: sk=REMINDER#<policyId>#<termEnd>#<daysBefore> (a conditional put
  is the "send once" guard; the stream turns it into a RenewalReminderCreated event)
- active policies by term end (reminders, dunning, lapse): Query index byStatus
  statusKey="POLICY#ACTIVE", statusSort (= termEnd) BETWEEN two dates

Every item carries ``entityType``/``entityId``/``customerId``
and ``lastModifiedBy`` for the outbox. State changes are conditional writes on the state
they leave, so a retry or a race can never apply a transition twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final, Literal

from boto3.dynamodb.types import TypeSerializer

from salesportal.data import sales_items as items
from salesportal.data.dynamo import Page as DataPage
from salesportal.data.dynamo import (
    TableRepository,
    from_item,
    set_expression,
    status_in,
    to_item,
)
from salesportal.domain.sales import (
    Application,
    Payment,
    Policy,
    PolicyStatus,
    Purpose,
    Refund,
    Reminder,
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
CHARGE = "chargeInFlight"


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Final = _Absent()
"""In a guard: the attribute must not exist."""

Guard = Mapping[str, Any]
"""What a write is conditional on: a dotted attribute path -> its value, a tuple of allowed
values, or ABSENT. Built from the state the caller read, so a write applies only if nothing
that matters to it changed in between (optimistic concurrency without a version number)."""

_serializer = TypeSerializer()


def guard_expression(guard: Guard, names: dict[str, str], values: dict[str, Any]) -> str:
    """``attribute_exists(pk) AND ...`` for ``guard``; placeholders ``#g``/``:g`` (apart from
    ``set_expression``'s ``#f``/``#r`` and ``status_in``'s ``#c``)."""
    parts = ["attribute_exists(pk)"]
    for i, (path, want) in enumerate(guard.items()):
        refs = []
        for j, name in enumerate(path.split(".")):
            names[f"#g{i}_{j}"] = name
            refs.append(f"#g{i}_{j}")
        ref = ".".join(refs)
        if want is ABSENT:
            parts.append(f"attribute_not_exists({ref})")
        elif isinstance(want, tuple):
            for k, option in enumerate(want):
                values[f":g{i}_{k}"] = _serializer.serialize(option)
            parts.append(f"{ref} IN ({', '.join(f':g{i}_{k}' for k in range(len(want)))})")
        else:
            values[f":g{i}"] = _serializer.serialize(want)
            parts.append(f"{ref} = :g{i}")
    return " AND ".join(parts)


def due_guard(purpose: str, term_start: str) -> dict[str, Any]:
    """The policy state in which the ``purpose`` premium for the term from ``term_start`` is due."""
    if purpose == "INITIAL":
        return {"status": "PENDING_PAYMENT", "termStart": term_start}
    return {"status": "ACTIVE", "renewal.status": "PENDING_PAYMENT", "renewal.termStart": term_start}


@dataclass(frozen=True)
class PolicyWrite:
    """A conditional change to a policy inside a payment's transaction."""

    fields: Mapping[str, Any]
    guard: Guard
    remove: tuple[str, ...] = field(default=())


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


@dataclass(frozen=True)
class SalesRepository(TableRepository):
    # -- generic ---------------------------------------------------------------------------
    def _get(self, customer_id: str, sk: str) -> dict[str, Any] | None:
        item = self._client().get_item(TableName=self.table_name, Key=_key(customer_id, sk)).get("Item")
        return from_item(item) if item else None

    def _list(self, customer_id: str, prefix: str, limit: int, token: str | None) -> DataPage[dict[str, Any]]:
        page = self._newest_first(_pk(customer_id), prefix, limit=min(limit, MAX_PAGE), token=token)
        return DataPage([public(i) for i in page.items], page.next_token)

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

    def _guarded_op(self, customer_id: str, sk: str, write: PolicyWrite, actor: str) -> dict[str, Any]:
        expression, names, values = set_expression(_policy_changes(write.fields, actor), remove=write.remove)
        update: dict[str, Any] = {
            "TableName": self.table_name,
            "Key": _key(customer_id, sk),
            "UpdateExpression": expression,
            "ConditionExpression": guard_expression(write.guard, names, values),
            "ExpressionAttributeNames": names,
        }
        if values:
            update["ExpressionAttributeValues"] = values
        return {"Update": update}

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
        return self._conditionally("transact_write_items", TransactItems=operations) is not None

    # -- policies --------------------------------------------------------------------------
    # -- policies, payments, refunds, reminders ----------------------------------------------
    def policy(self, customer_id: str, policy_id: str) -> Policy | None:
        item = self._get(customer_id, f"POLICY#{policy_id}")
        return items.policy_from_item(item) if item else None

    def policies(self, customer_id: str, *, limit: int, token: str | None) -> DataPage[Policy]:
        page = self._list(customer_id, "POLICY#", limit, token)
        return DataPage([items.policy_from_item(i) for i in page.items], page.next_token)

    def list_policies(self, customer_id: str, *, limit: int, token: str | None) -> DataPage[dict[str, Any]]:
        """Policies as stored items: for the customer-facts reader until it reads ``policies``."""
        return self._list(customer_id, "POLICY#", limit, token)

    def active_policies_ending(self, first_day: date, last_day: date) -> list[Policy]:
        """Every ACTIVE policy whose term ends in [first_day, last_day] (all pages)."""
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": "byStatus",
            "KeyConditionExpression": "statusKey = :k AND statusSort BETWEEN :a AND :b",
            "ExpressionAttributeValues": to_item(
                {":k": status_key(POLICY, "ACTIVE"), ":a": first_day.isoformat(), ":b": last_day.isoformat()}
            ),
        }
        found: list[Policy] = []
        while True:
            response = self._client().query(**params)
            found.extend(items.policy_from_item(from_item(i)) for i in response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                return found
            params["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def payment(self, customer_id: str, policy_id: str, payment_id: str) -> Payment | None:
        item = self._get(customer_id, f"PAYMENT#{policy_id}#{payment_id}")
        return items.payment_from_item(item) if item else None

    def payments(self, customer_id: str, policy_id: str) -> list[Payment]:
        page = self._list(customer_id, f"PAYMENT#{policy_id}#", MAX_PAGE, None)
        return [items.payment_from_item(i) for i in page.items]

    def refunds(self, customer_id: str, policy_id: str) -> list[Refund]:
        page = self._list(customer_id, f"REFUND#{policy_id}#", MAX_PAGE, None)
        return [items.refund_from_item(i) for i in page.items]

    def issue_policy(self, accepted: Application, policy: Policy, *, actor: str) -> bool:
        """The policy created and its application ACCEPTED (from APPROVED) together; False
        when the application was no longer APPROVED (accepted already, by a retry or a race)."""
        item = {
            **_entity_item(
                items.policy_fields(policy), POLICY, policy.customer_id, f"POLICY#{policy.policy_id}"
            ),
            "entityId": policy.policy_id,
            "lastModifiedBy": actor,
            "statusKey": status_key(POLICY, policy.status),
            "statusSort": policy.term.end.isoformat(),
        }
        accept = self._transition_op(
            accepted.customer_id,
            f"APPLICATION#{accepted.application_id}",
            {
                "status": accepted.status,
                "statusKey": status_key(APPLICATION, accepted.status),
                "policyId": policy.policy_id,
                "updatedAt": accepted.updated_at.isoformat(),
                "lastModifiedBy": actor,
            },
            ("APPROVED",),
        )
        return self._transact([self._put_op(item), accept])

    def record(
        self,
        *,
        actor: str,
        policy: PolicyChange | None = None,
        payment: Payment | None = None,
        settles: bool = False,
        refunds: Sequence[Refund] = (),
    ) -> bool:
        """A policy change and the money records it goes with, all or nothing. ``payment`` is
        new, or (``settles``) moves on from PROCESSING. False when a condition failed: a
        replay, or a policy no longer as ``policy.expect`` says (nothing was written)."""
        records: list[dict[str, Any]] = []
        if payment is not None:
            records.append(self._payment_op(payment, settles, actor))
        for refund in refunds:
            fields = items.refund_fields(refund)
            records.append(
                self._put_op(
                    self._child(
                        refund.customer_id, "REFUND", refund.policy_id, refund.refund_id, fields, actor
                    )
                )
            )
        for guard in _guards(policy) if policy is not None else [None]:
            operations = list(records)
            if policy is not None and guard is not None:
                write = _policy_write(policy, guard)
                if write is not None:
                    operations.append(
                        self._guarded_op(
                            policy.after.customer_id, f"POLICY#{policy.after.policy_id}", write, actor
                        )
                    )
            if self._apply(operations):
                return True
        return False

    def record_reminder_sent(self, reminder: Reminder, *, actor: str) -> bool:
        """The reminder (once per policy, term end and day count: a conditional put, which the
        stream announces) and the policy's note of it; False when it was sent already."""
        fields = items.reminder_fields(reminder)
        child_id = f"{fields['termEnd']}#{reminder.days_before}"
        put = self._put_op(
            self._child(reminder.customer_id, "REMINDER", reminder.policy_id, child_id, fields, actor)
        )
        note = {
            "Update": {
                "TableName": self.table_name,
                "Key": _key(reminder.customer_id, f"POLICY#{reminder.policy_id}"),
                "UpdateExpression": "ADD #r :d SET #m = :actor",
                "ExpressionAttributeNames": {"#r": "remindersSent", "#m": "lastModifiedBy"},
                "ExpressionAttributeValues": {
                    ":d": {"NS": [str(reminder.days_before)]},
                    ":actor": {"S": actor},
                },
                "ConditionExpression": "attribute_exists(pk)",
            }
        }
        return self._transact([put, note])

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

    def _payment_op(self, payment: Payment, settles: bool, actor: str) -> dict[str, Any]:
        fields = items.payment_fields(payment)
        if not settles:
            return self._put_op(
                self._child(
                    payment.customer_id, "PAYMENT", payment.policy_id, payment.payment_id, fields, actor
                )
            )
        changes = {k: v for k, v in fields.items() if v is not None and k != "paymentId"}
        return self._transition_op(
            payment.customer_id,
            f"PAYMENT#{payment.policy_id}#{payment.payment_id}",
            {**changes, "lastModifiedBy": actor},
            ("PROCESSING",),
        )

    def _apply(self, operations: list[dict[str, Any]]) -> bool:
        """One write alone (cheaper, and no transaction to cancel), several in a transaction."""
        if not operations:
            return True
        if len(operations) > 1:
            return self._transact(operations)
        ((kind, request),) = operations[0].items()
        return self._conditionally("update_item" if kind == "Update" else "put_item", **request) is not None


@dataclass(frozen=True)
class Expect:
    """What a policy write is conditional on, stated against the policy as read (the
    change's ``before``); the write applies only while it still holds."""

    statuses: tuple[PolicyStatus, ...] = ()
    due: tuple[Purpose, date] | None = None  # that premium (purpose, term start) still due
    charge: Literal["any", "none", "as_read"] = "any"  # the charge in flight
    money: bool = False  # everything a cancellation's refunds are computed from, as read
    dunning_count: bool = False  # the renewal's dunning attempts, as read
    pending_refund_of: str | None = None  # the cancellation waits for this payment


@dataclass(frozen=True)
class PolicyChange:
    """A policy as read and as it is to be: what differs is written, conditional on ``expect``."""

    before: Policy
    after: Policy
    expect: Expect = field(default_factory=Expect)


def _entity_item(fields: Mapping[str, Any], entity_type: str, customer_id: str, sk: str) -> dict[str, Any]:
    return {
        **{k: v for k, v in fields.items() if v is not None},
        "pk": _pk(customer_id),
        "sk": sk,
        "entityType": entity_type,
        "customerId": customer_id,
    }


def _charge_read(before: Policy) -> dict[str, Any]:
    if before.charge is None:
        return {CHARGE: ABSENT}
    return {f"{CHARGE}.gatewayKey": before.charge.gateway_key}


def _money_read(before: Policy) -> dict[str, Any]:
    guard: dict[str, Any] = {"status": before.status, "termStart": before.term.start.isoformat()}
    guard["paymentIntentId"] = before.paid.payment_id if before.paid else ABSENT
    renewal = before.renewal
    if renewal is not None:
        guard["renewal.status"] = renewal.status
        guard["renewal.termStart"] = renewal.term.start.isoformat()
        guard["renewal.paymentIntentId"] = renewal.paid.payment_id if renewal.paid else ABSENT
    else:
        guard["renewal"] = ABSENT
    guard.update(_charge_read(before))
    if before.charge is not None:
        guard[f"{CHARGE}.paymentId"] = before.charge.payment_id or ABSENT
    return guard


def _guards(change: PolicyChange) -> list[dict[str, Any]]:
    """The condition(s) ``change.expect`` means; two when a count never written reads as 0
    (either form may be stored), tried in turn."""
    expect, before = change.expect, change.before
    guard: dict[str, Any] = {}
    if expect.statuses:
        guard["status"] = expect.statuses
    if expect.due is not None:
        guard.update(due_guard(expect.due[0], expect.due[1].isoformat()))
    if expect.charge == "none":
        guard[CHARGE] = ABSENT
    elif expect.charge == "as_read":
        guard.update(_charge_read(before))
    if expect.money:
        guard.update(_money_read(before))
    if expect.pending_refund_of is not None:
        guard["cancellation.pendingRefund.paymentId"] = expect.pending_refund_of
    if expect.dunning_count and before.renewal is not None:
        attempts = before.renewal.attempts
        if attempts == 0:
            return [{**guard, "renewal.attempts": 0}, {**guard, "renewal.attempts": ABSENT}]
        guard["renewal.attempts"] = attempts
    return [guard]


def _policy_write(change: PolicyChange, guard: Guard) -> PolicyWrite | None:
    """What differs between ``before`` and ``after`` (set, or removed when gone); None when
    nothing does."""
    before, after = items.policy_fields(change.before), items.policy_fields(change.after)
    sets = {k: v for k, v in after.items() if v is not None and v != before.get(k)}
    remove = tuple(k for k, v in after.items() if v is None and before.get(k) is not None)
    if not sets and not remove:
        return None
    return PolicyWrite(sets, guard, remove)
