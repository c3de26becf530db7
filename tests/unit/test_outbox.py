"""The outbox rules: which fields changed, what is masked, which event is announced."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesportal.domain.outbox import (
    MASK,
    PERSONAL_FIELDS,
    CommittedChange,
    NotAnEntity,
    audit_record,
    domain_event,
    field_changes,
)

AT = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
BASE = {"pk": "CUSTOMER#c1", "sk": "PROFILE", "entityType": "customer", "entityId": "c1", "version": 1}


def test_bookkeeping_attributes_are_not_changes():
    old = {**BASE, "updatedAt": "a", "lastModifiedBy": "x"}
    new = {**BASE, "version": 2, "updatedAt": "b", "lastModifiedBy": "y"}
    assert field_changes(old, new) == ()


def test_personal_fields_are_masked_but_their_change_is_recorded():
    changes = field_changes({"phone": "+15550000001"}, {"phone": "+15550000002", "givenName": "Dana"})
    assert [(c.field, c.before, c.after) for c in changes] == [
        ("givenName", None, MASK),
        ("phone", MASK, MASK),
    ]


def test_other_fields_keep_their_values():
    (change,) = field_changes({"status": "PENDING"}, {"status": "ACTIVE"})
    assert (change.before, change.after) == ("PENDING", "ACTIVE")


@given(
    st.dictionaries(st.sampled_from(sorted(PERSONAL_FIELDS)), st.text(min_size=1), min_size=1),
    st.dictionaries(st.sampled_from(sorted(PERSONAL_FIELDS)), st.text(min_size=1)),
)
def test_no_personal_value_ever_survives_into_an_audit_record(old, new):
    for change in field_changes(old, new):
        assert change.before in (None, MASK) and change.after in (None, MASK)


@pytest.mark.parametrize(
    ("operation", "action", "event"),
    [
        ("INSERT", "created", "CustomerCreated"),
        ("MODIFY", "updated", "CustomerUpdated"),
        ("REMOVE", "deleted", "CustomerDeleted"),
    ],
)
def test_each_operation_maps_to_an_action_and_event(operation, action, event):
    old = {} if operation == "INSERT" else {**BASE, "lastModifiedBy": "customer:c1"}
    new = {} if operation == "REMOVE" else {**BASE, "note": "x", "lastModifiedBy": "customer:c1"}
    record = audit_record(CommittedChange("e1", operation, AT, old, new))
    assert (record.entity, record.action, record.actor) == ("customer#c1", action, "customer:c1")
    announced = domain_event(record)
    assert announced.detail_type == event
    assert announced.detail["entityId"] == "c1" and announced.detail["eventId"] == "e1"


def test_change_without_actor_is_attributed_to_the_system():
    record = audit_record(CommittedChange("e1", "INSERT", AT, {}, BASE))
    assert record.actor == "system"


def test_an_item_that_is_not_an_entity_is_refused():
    with pytest.raises(NotAnEntity):
        audit_record(CommittedChange("e1", "INSERT", AT, {}, {"pk": "x"}))


def test_event_names_are_pascal_case_for_compound_entity_types():
    record = audit_record(
        CommittedChange("e1", "INSERT", AT, {}, {"entityType": "ai_query", "entityId": "q1"})
    )
    assert domain_event(record).detail_type == "AiQueryCreated"


def test_a_status_transition_is_announced_as_status_changed_with_both_states():
    old = {"entityType": "policy", "entityId": "p1", "customerId": "c1", "status": "PENDING_PAYMENT"}
    new = {**old, "status": "ACTIVE", "policyNumber": "TL-2026-X"}
    change = CommittedChange("e1", "MODIFY", AT, old, new)
    announced = domain_event(audit_record(change), change)
    assert announced.detail_type == "PolicyStatusChanged"
    assert announced.detail["previousStatus"] == "PENDING_PAYMENT"
    assert announced.detail["customerId"] == "c1"
    assert announced.detail["facts"] == {"status": "ACTIVE", "policyNumber": "TL-2026-X"}


def test_event_facts_never_carry_personal_fields():
    image = {"entityType": "application", "entityId": "a1", **dict.fromkeys(PERSONAL_FIELDS, "secret")}
    change = CommittedChange("e1", "INSERT", AT, {}, image)
    facts = domain_event(audit_record(change), change).detail["facts"]
    assert not set(facts) & PERSONAL_FIELDS
