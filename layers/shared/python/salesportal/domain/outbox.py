"""The outbox rules: a committed change becomes one audit record and one domain event.

Pure: the stream processor hands in plain item images; nothing here touches AWS.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from salesportal.domain.raw import ItemImage

Action = Literal["created", "updated", "deleted"]

_ACTIONS: Mapping[str, Action] = {"INSERT": "created", "MODIFY": "updated", "REMOVE": "deleted"}

# Bookkeeping attributes: they change on every write and say nothing about the change.
_BOOKKEEPING = frozenset({"pk", "sk", "entityType", "entityId", "version", "updatedAt", "lastModifiedBy"})

# Personal data: an audit record says that it changed, never what it was or became.
PERSONAL_FIELDS = frozenset(
    {
        "email",
        "phone",
        "dateOfBirth",
        "address",
        "givenName",
        "familyName",
        "ssn",
        "ssnLast4",
        "ssnEncrypted",
        "riskFactors",  # smoker, driving record: health and conduct data
        "identity",  # name, date of birth, SSN last four, address given to apply
        "declarations",  # health and history answers
        "paymentMethod",  # a card token: useless outside the gateway, still not for audit
        "question",  # staff questions and AI answers may quote a customer's data
        "answer",
    }
)
# Facts a domain event may carry for its consumers (notifications, analytics): states,
# amounts, dates and references only. Anything personal stays in the table.
EVENT_FACTS = frozenset(
    {
        "status",
        "policyNumber",
        "policyId",
        "applicationId",
        "productId",
        "productName",
        "amountCents",
        "currency",
        "purpose",
        "reasons",
        "declineCode",
        "declineMessage",
        "daysBefore",
        "termStart",
        "termEnd",
        "effectiveDate",
    }
)
MASK = "***"
SYSTEM_ACTOR = "system"


@dataclass(frozen=True)
class CommittedChange:
    """One stream record, reduced to what the outbox needs."""

    event_id: str
    operation: Literal["INSERT", "MODIFY", "REMOVE"]
    committed_at: datetime
    old: ItemImage = field(default_factory=dict)
    new: ItemImage = field(default_factory=dict)
    # The stream's sequence number: increasing per item, it orders two changes of one entity
    # committed within the same second (the commit time's precision).
    sequence: str = ""


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class AuditRecord:
    entity: str  # "<type>#<id>"
    event_id: str
    action: Action
    actor: str
    at: datetime
    changes: tuple[FieldChange, ...]
    sequence: str = ""


@dataclass(frozen=True)
class DomainEvent:
    detail_type: str
    detail: Mapping[str, Any]


class NotAnEntity(ValueError):
    """The item carries no entityType/entityId: it cannot be audited (a poison record)."""


def _masked(name: str, value: Any) -> Any:
    return MASK if name in PERSONAL_FIELDS and value is not None else value


def field_changes(old: ItemImage, new: ItemImage) -> tuple[FieldChange, ...]:
    names = sorted((set(old) | set(new)) - _BOOKKEEPING)
    return tuple(
        FieldChange(name, _masked(name, old.get(name)), _masked(name, new.get(name)))
        for name in names
        if old.get(name) != new.get(name)
    )


def audit_record(change: CommittedChange) -> AuditRecord:
    image = change.new or change.old
    entity_type, entity_id = image.get("entityType"), image.get("entityId")
    if not entity_type or not entity_id:
        raise NotAnEntity(f"stream record {change.event_id} has no entityType/entityId")
    return AuditRecord(
        entity=f"{entity_type}#{entity_id}",
        event_id=change.event_id,
        action=_ACTIONS[change.operation],
        actor=str(image.get("lastModifiedBy") or SYSTEM_ACTOR),
        at=change.committed_at,
        changes=field_changes(change.old, change.new),
        sequence=change.sequence,
    )


def domain_event(record: AuditRecord, change: CommittedChange | None = None) -> DomainEvent:
    """``CustomerCreated``, ``PolicyStatusChanged``, ``PaymentCreated``…

    An update that moves ``status`` is a ``<Entity>StatusChanged`` (consumers subscribe to
    transitions, not to every write). The detail names the owner (``customerId``, an opaque
    id) and carries only the whitelisted ``EVENT_FACTS`` of the new image: no personal data.
    """
    entity_type, entity_id = record.entity.split("#", 1)
    pascal = "".join(part.capitalize() for part in entity_type.replace("-", "_").split("_"))
    changed = [c.field for c in record.changes]
    suffix = (
        "StatusChanged" if record.action == "updated" and "status" in changed else record.action.capitalize()
    )
    detail: dict[str, Any] = {
        "eventId": record.event_id,
        "entityType": entity_type,
        "entityId": entity_id,
        "action": record.action,
        "actor": record.actor,
        "changedFields": changed,
        "occurredAt": record.at.isoformat(),
    }
    if change is not None:
        image = change.new or change.old
        if image.get("customerId"):
            detail["customerId"] = image["customerId"]
        detail["facts"] = {k: v for k, v in image.items() if k in EVENT_FACTS}
        if suffix == "StatusChanged":
            detail["previousStatus"] = change.old.get("status")
    return DomainEvent(detail_type=f"{pascal}{suffix}", detail=detail)
