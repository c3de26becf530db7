"""The enrollments table: drug-plan beneficiaries from the system of record, and their plans.

Access patterns:
- a beneficiary: GetItem pk=BENEFICIARY#<id>, sk=PROFILE (SSN as last four + KMS ciphertext)
- a beneficiary's enrollments: Query pk=BENEFICIARY#<id>, begins_with(sk, "ENROLLMENT#")
  (sk = ENROLLMENT#<start_date>#<plan_id>, so they come in start order)
- which account a beneficiary is linked to: GetItem sk=LINK (a conditional put: one account
  per beneficiary)
- failed attempts to link a beneficiary, from any account: UpdateItem sk=LINK_ATTEMPTS (a
  race-safe counter per window: salesportal.data.attempts)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from salesportal.data.attempts import AttemptCounter
from salesportal.data.dynamo import TableRepository, from_item, to_item
from salesportal.domain.beneficiaries import Proof
from salesportal.domain.plans import Beneficiary, Enrollment


def beneficiary_key(beneficiary_id: str) -> dict[str, Any]:
    return {"pk": f"BENEFICIARY#{beneficiary_id}", "sk": "PROFILE"}


def enrollment_key(beneficiary_id: str, start: str, plan_id: str) -> dict[str, Any]:
    return {"pk": f"BENEFICIARY#{beneficiary_id}", "sk": f"ENROLLMENT#{start}#{plan_id}"}


def _enrollment(item: Mapping[str, Any]) -> Enrollment:
    end = item.get("endDate")
    return Enrollment(
        beneficiary_id=item["beneficiaryId"],
        plan_id=item["planId"],
        start=date.fromisoformat(item["startDate"]),
        end=date.fromisoformat(end) if end else None,
    )


@dataclass(frozen=True)
class EnrollmentRepository(TableRepository):
    def _record(self, beneficiary_id: str) -> dict[str, Any] | None:
        item = (
            self._client()
            .get_item(TableName=self.table_name, Key=to_item(beneficiary_key(beneficiary_id)))
            .get("Item")
        )
        return from_item(item) if item else None

    def beneficiary(self, beneficiary_id: str) -> Beneficiary | None:
        record = self._record(beneficiary_id)
        if record is None:
            return None
        return Beneficiary(record["beneficiaryId"], date.fromisoformat(record["birthDate"]))

    def proof(self, beneficiary_id: str) -> Proof | None:
        """The facts on record that prove this beneficiary (never the SSN beyond its last four)."""
        record = self._record(beneficiary_id)
        if record is None:
            return None
        return Proof(
            last_name=str(record.get("lastName", "")),
            birth_date=str(record.get("birthDate", "")),
            ssn_last4=str(record.get("ssnLast4", "")),
        )

    def enrollments(self, beneficiary_id: str) -> list[Enrollment]:
        response = self._client().query(
            TableName=self.table_name,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :p)",
            ExpressionAttributeValues=to_item({":pk": f"BENEFICIARY#{beneficiary_id}", ":p": "ENROLLMENT#"}),
        )
        return [_enrollment(from_item(i)) for i in response.get("Items", [])]

    def link(self, beneficiary_id: str, customer_id: str, now: str) -> bool:
        """Claim the beneficiary for this account; False if another account holds it."""
        written = self._conditionally(
            "put_item",
            TableName=self.table_name,
            Item=to_item(
                {
                    "pk": f"BENEFICIARY#{beneficiary_id}",
                    "sk": "LINK",
                    "customerId": customer_id,
                    "linkedAt": now,
                }
            ),
            ConditionExpression="attribute_not_exists(pk) OR customerId = :me",
            ExpressionAttributeValues={":me": {"S": customer_id}},
        )
        return written is not None

    def link_attempts(self, beneficiary_id: str, *, limit: int, window_s: int) -> AttemptCounter:
        """Attempts to prove this beneficiary, counted across accounts: many accounts each
        guessing a little get no more guesses at one person than one account would."""
        return AttemptCounter(
            self.table_name,
            self.dynamodb,
            key={"pk": f"BENEFICIARY#{beneficiary_id}", "sk": "LINK_ATTEMPTS"},
            limit=limit,
            seconds=window_s,
        )

    # -- writes (the nightly sync) ------------------------------------------------------
    def put(self, key: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
        """A PutRequest for ``write`` (the sync batches its writes)."""
        return {"PutRequest": {"Item": to_item({**values, **key})}}

    def delete(self, key: Mapping[str, Any]) -> dict[str, Any]:
        return {"DeleteRequest": {"Key": to_item(key)}}

    def write(self, requests: list[dict[str, Any]]) -> None:
        """Puts and deletes, 25 to a BatchWriteItem (no key twice in one call: the caller's care)."""
        self._batch_write(requests)
