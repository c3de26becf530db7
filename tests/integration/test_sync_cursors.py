"""Where a Salesforce sync's scans got to is kept as a page token: the links backfill's cursor
and the push checkpoint's start. Records written before tokens hold DynamoDB's raw
LastEvaluatedKey (as JSON); a run reading one goes on where it was, not from the start."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from salesportal.data.control import ControlRepository
from salesportal.data.crm_sync import SyncStore
from salesportal.data.customers import CustomerRepository
from salesportal.data.dynamo import InvalidCursor, decode_cursor, index_key, to_item
from salesportal.workflows.salesforce_syncing import backfill_links

LINKED = 5
WINDOW = ("2026-01-01T00:00:00+00:00", "2026-12-31T23:59:59+00:00")


@pytest.fixture
def store(stack):
    stack.reset_tables("customers", "control")
    tables = stack.physical.tables
    return SyncStore(CustomerRepository(tables["customers"]), ControlRepository(tables["control"]))


def _linked_customers(stack, count=LINKED):
    """Customers linked to a Contact before link items existed: a salesforceId, no link item."""
    client = stack.client("dynamodb")
    for n in range(count):
        customer_id = f"cust-{n}"
        item = {
            "pk": f"CUSTOMER#{customer_id}",
            "sk": "PROFILE",
            "entityType": "customer",
            "entityId": customer_id,
            "customerId": customer_id,
            "salesforceId": f"003{n:015d}",
            "updatedAt": f"2026-06-0{n + 1}T00:00:00+00:00",
        }
        client.put_item(TableName=stack.physical.tables["customers"], Item=to_item(item))


def _raw(token, attribute):
    """The LastEvaluatedKey behind a token, as the old records stored it."""
    return decode_cursor(token, expected={}, shape=index_key(*attribute))


def _put_control(stack, sk, **values):
    item = {"pk": "SALESFORCE", "sk": sk, **values}
    stack.client("dynamodb").put_item(TableName=stack.physical.tables["control"], Item=to_item(item))


def test_a_backfill_cursor_stored_as_a_raw_key_resumes_where_it_was(stack, store):
    _linked_customers(stack)
    first = store.customers.linked_page(None, limit=2)
    assert len(first.items) == 2 and first.next_token
    old_cursor = json.dumps(_raw(first.next_token, ("salesforceId",)))
    _put_control(stack, "LINKS_BACKFILL", done=False, cursor=old_cursor, linked=2)

    assert store.backfill_state()["cursor"] == first.next_token
    assert backfill_links(store) == LINKED - 2  # the first page is not read again
    done_before = {s for s, _ in first.items}
    linked_now = set(store.links_of([f"003{n:015d}" for n in range(LINKED)]))
    assert linked_now == {f"003{n:015d}" for n in range(LINKED)} - done_before
    state = store.backfill_state()
    assert (state["done"], state["linked"], state["cursor"]) == (True, LINKED, None)


def test_a_backfill_cursor_is_stored_as_the_token_and_read_back_as_it(stack, store):
    _linked_customers(stack)
    page = store.customers.linked_page(None, limit=2)
    store.record_backfill(done=False, cursor=page.next_token, linked=2)
    assert store.backfill_state()["cursor"] == page.next_token
    after = store.linked_page(store.backfill_state()["cursor"])
    assert {link.customer_id for link in after.items}.isdisjoint({c for _, c in page.items})


def test_a_push_checkpoint_stored_with_a_raw_start_key_resumes_after_it(stack, store):
    _linked_customers(stack)
    since, until = WINDOW
    first = store.changed_oldest_first(since=since, until=until, limit=2, token=None)
    assert [c.customer_id for c in first.items] == ["cust-0", "cust-1"] and first.next_token
    old_start = json.dumps(_raw(first.next_token, ("entityType", "updatedAt")))
    _put_control(stack, "PUSH_CHECKPOINT", since=since, until=until, startKey=old_start, seq=4)

    checkpoint = store.push_checkpoint()
    assert checkpoint is not None and checkpoint["startKey"] == first.next_token
    rest = store.changed_oldest_first(since=since, until=until, limit=10, token=checkpoint["startKey"])
    assert [c.customer_id for c in rest.items] == ["cust-2", "cust-3", "cust-4"]
    assert rest.next_token is None


def test_a_moved_checkpoint_keeps_its_token(stack, store):
    _linked_customers(stack)
    since, until = WINDOW
    first = store.changed_oldest_first(since=since, until=until, limit=2, token=None)
    checkpoint = {"since": since, "until": until, "startKey": first.next_token, "recent": []}
    assert store.move_push_checkpoint(checkpoint, expected_seq=0)
    assert not store.move_push_checkpoint(checkpoint, expected_seq=0)  # another push moved it first
    assert store.push_checkpoint() == {**checkpoint, "seq": 1}  # read without the table's keys


def test_a_push_token_from_outside_its_window_is_refused(stack, store):
    _linked_customers(stack)
    since, until = WINDOW
    first = store.changed_oldest_first(since=since, until=until, limit=2, token=None)
    assert first.next_token
    with pytest.raises(InvalidCursor):
        store.changed_oldest_first(
            since=datetime(2026, 7, 1, tzinfo=UTC).isoformat(), until=until, limit=2, token=first.next_token
        )


def test_the_sync_records_are_read_as_their_shapes_without_the_tables_keys(stack, store):
    report = {"runId": "r1", "direction": "pull", "trigger": "manual", "status": "RUNNING", "attempts": 2}
    store.record_run("r1", report)
    assert store.run("r1") == report and store.run("r2") is None
    since = WINDOW[0]
    _put_control(stack, "PUSH_CHECKPOINT", since=since, recent=["c1|t"], seq=3)
    assert store.push_checkpoint() == {
        "since": since,
        "startKey": None,
        "recent": ["c1|t"],
        "seq": 3,
    }
    store.record_backfill(done=False, cursor=None, linked=7)
    assert store.backfill_state() == {"done": False, "cursor": None, "linked": 7}


def test_a_sync_record_of_the_wrong_shape_is_refused_rather_than_followed(stack, store):
    _put_control(stack, "PUSH_CHECKPOINT", since=WINDOW[0], seq="three")
    with pytest.raises(ValidationError):
        store.push_checkpoint()
