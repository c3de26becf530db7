"""Salesforce sync runs with in-memory ports: Contacts in, portal changes out, each run on the books."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from salesportal.integrations.salesforce import Budget
from salesportal.workflows import salesforce_syncing as syncing
from tests.fakes.salesforce import FakeSalesforce, FakeStore, contact

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
T1, T2, T3 = "2026-11-30T10:00:00.000+0000", "2026-11-30T11:00:00.000+0000", "2026-11-30T12:00:00.000+0000"


def _ports(store: FakeStore, salesforce: FakeSalesforce) -> syncing.Ports:
    return syncing.Ports(store=store, salesforce=lambda: salesforce, workers=2)


def _run(store, salesforce, direction="pull", budget=syncing.UNBOUNDED, run_id="r1"):
    return syncing.run(
        _ports(store, salesforce), run_id, direction, trigger="manual", now=NOW, time_budget=budget
    )


def test_a_first_pull_creates_and_links_customers_and_moves_the_watermark_to_the_newest_stamp():
    store = FakeStore()
    salesforce = FakeSalesforce(
        [
            contact("003A", T1, email="Dana@Example.com", Account={"Name": "Acme"}),
            contact("003B", T2, email="lee@example.com", last="Lee"),
            contact("003C", T3, email="kim@example.com", last="Kim"),
        ]
    )
    report = _run(store, salesforce)
    pull = report["pull"]
    assert (report["status"], pull["pages"], pull["records"], pull["created"]) == ("SUCCEEDED", 2, 3, 3)
    dana = store.customers["sf-003A"]
    assert (dana["email"], dana["accountName"], dana["salesforceId"]) == ("dana@example.com", "Acme", "003A")
    assert store.links == {"003A": "sf-003A", "003B": "sf-003B", "003C": "sf-003C"}
    assert store.watermarks["pull"] == "2026-11-30T12:00:00+00:00" == pull["watermarkAfter"]
    assert [status for _, status in store.run_history] == ["RUNNING", "SUCCEEDED"]


def test_a_contact_is_matched_by_email_and_salesforce_fields_are_taken_but_a_later_portal_change_wins():
    store = FakeStore()
    store.add_customer(
        "c1", email="dana@example.com", phone="+15125550100", updatedAt="2026-11-30T23:00:00+00:00"
    )
    salesforce = FakeSalesforce(
        [contact("003A", T1, email="dana@example.com", Phone="+15125550199", LeadSource="Web")]
    )
    report = _run(store, salesforce)
    assert report["pull"]["updated"] == 1 and report["pull"]["created"] == 0
    customer = store.customers["c1"]
    assert (customer["salesforceId"], customer["leadSource"], customer["phone"]) == (
        "003A",
        "Web",
        "+15125550100",
    )
    assert report["pull"]["conflicts"] == [
        {"salesforceId": "003A", "field": "phone", "kept": "portal", "lost": "salesforce"}
    ]
    assert store.links == {"003A": "c1"}


def test_two_contacts_sharing_an_email_on_one_page_make_one_customer():
    store = FakeStore()
    salesforce = FakeSalesforce(
        [contact("003A", T1, email="x@example.com"), contact("003B", T2, email="x@example.com")]
    )
    report = _run(store, salesforce)
    assert report["pull"]["created"] == 1 and list(store.customers) == ["sf-003A"]


def test_a_deleted_contact_marks_its_customer_deleted_and_keeps_it():
    store = FakeStore()
    _run(store, FakeSalesforce([contact("003A", T1, email="dana@example.com")]))
    report = _run(
        store, FakeSalesforce([contact("003A", T2, email="dana@example.com", deleted=True)]), run_id="r2"
    )
    assert report["pull"]["deleted"] == 1
    assert (
        store.customers["sf-003A"]["deleted"] is True
        and store.customers["sf-003A"]["email"] == "dana@example.com"
    )


def test_a_low_api_budget_stops_between_pages_and_the_next_run_goes_on_from_the_watermark():
    store = FakeStore()
    contacts = [contact(f"003{n}", stamp, email=f"{n}@example.com") for n, stamp in enumerate((T1, T2, T3))]
    salesforce = FakeSalesforce(contacts, budget=Budget(used=14_900, total=15_000))
    report = _run(store, salesforce)
    assert report["status"] == "STOPPED_AT_API_LIMIT" and report["pull"]["records"] == 2
    assert store.watermarks["pull"] == "2026-11-30T11:00:00+00:00"
    salesforce.budget = None
    again = _run(store, salesforce, run_id="r2")
    assert again["status"] == "SUCCEEDED" and len(store.customers) == 3


def test_too_little_time_left_stops_between_pages_but_never_before_the_first():
    store = FakeStore()
    contacts = [contact(f"003{n}", stamp, email=f"{n}@example.com") for n, stamp in enumerate((T1, T2, T3))]
    report = _run(store, FakeSalesforce(contacts), budget=syncing.TimeBudget(lambda: 10_000))
    assert report["status"] == "STOPPED_AT_TIME_LIMIT" and report["pull"]["pages"] == 1


def test_a_push_sends_portal_changes_links_new_contacts_back_and_skips_what_salesforce_already_holds():
    store = FakeStore()
    store.add_customer(
        "c1",
        email="ana@example.com",
        givenName="Ana",
        familyName="Lopez",
        updatedAt="2026-11-30T09:00:00+00:00",
    )
    store.add_customer(
        "c2", email="no-name@example.com", updatedAt="2026-11-30T09:30:00+00:00"
    )  # no family name yet
    store.add_customer("c3", familyName="Kim", salesforceId="003K", updatedAt="2026-11-30T10:00:00+00:00")
    salesforce = FakeSalesforce()
    report = _run(store, salesforce, direction="push")
    push = report["push"]
    assert (report["status"], push["sent"], push["created"], push["updated"], push["skipped"]) == (
        "SUCCEEDED",
        2,
        1,
        1,
        1,
    )
    new_id = store.customers["c1"]["salesforceId"]
    assert new_id.startswith("003NEW") and store.links[new_id] == "c1"
    assert (
        store.customers["c1"]["updatedAt"] == "2026-11-30T09:00:00+00:00"
    )  # the link back is no portal change
    assert {r["Portal_Customer_Id__c"] for r in salesforce.saved} == {"c1", "c3"}
    assert next(r for r in salesforce.saved if r["Portal_Customer_Id__c"] == "c3")["Id"] == "003K"


def test_a_refused_record_is_reported_and_the_next_window_sends_it_again():
    store = FakeStore()
    store.add_customer("c1", familyName="Lopez", updatedAt="2026-11-30T09:00:00+00:00")
    salesforce = FakeSalesforce(refuse={"c1"})
    report = _run(store, salesforce, direction="push")
    assert report["status"] == "COMPLETED_WITH_ERRORS"
    assert report["push"]["errors"] == [
        {"customerId": "c1", "errors": [{"statusCode": "REQUIRED_FIELD_MISSING", "message": "nope"}]}
    ]
    salesforce.refuse.clear()
    again = _run(store, salesforce, direction="push", run_id="r2")
    assert again["status"] == "SUCCEEDED" and again["push"]["sent"] == 1


def test_both_pulls_first_and_a_pull_stopped_early_leaves_the_push_for_the_next_run():
    store = FakeStore()
    store.add_customer("c1", familyName="Lopez", updatedAt="2026-11-30T09:00:00+00:00")
    contacts = [contact(f"003{n}", stamp, email=f"{n}@example.com") for n, stamp in enumerate((T1, T2, T3))]
    stopped = _run(store, FakeSalesforce(contacts, budget=Budget(14_900, 15_000)), direction="both")
    assert stopped["status"] == "STOPPED_AT_API_LIMIT" and "push" not in stopped
    done = _run(store, FakeSalesforce(contacts), direction="both", run_id="r2")
    assert done["status"] == "SUCCEEDED" and done["push"]["sent"] >= 1


def test_a_failed_run_is_recorded_failed_and_raised():
    def unreachable():
        raise ConnectionError("salesforce is down")

    store = FakeStore()
    with pytest.raises(ConnectionError):
        syncing.run(syncing.Ports(store, unreachable), "r1", "pull", trigger="schedule", now=NOW)
    assert store.runs["r1"]["status"] == "FAILED"
    assert store.runs["r1"]["error"] == "ConnectionError: salesforce is down"


def test_a_queued_run_retries_until_its_last_delivery_and_a_finished_one_is_left_alone():
    def unreachable():
        raise ConnectionError("down")

    store = FakeStore(
        runs={"r1": {"runId": "r1", "requestedBy": "admin-1", "queuedAt": "2026-12-01T11:59:00+00:00"}}
    )
    ports = syncing.Ports(store, unreachable)
    with pytest.raises(ConnectionError):
        syncing.run_queued(
            syncing.QueuedRun("r1", "pull", 1, last=False), ports, now=NOW, time_budget=syncing.UNBOUNDED
        )
    assert store.runs["r1"]["status"] == "RETRYING" and store.runs["r1"]["requestedBy"] == "admin-1"
    with pytest.raises(ConnectionError):
        syncing.run_queued(
            syncing.QueuedRun("r1", "pull", 3, last=True), ports, now=NOW, time_budget=syncing.UNBOUNDED
        )
    assert store.runs["r1"]["status"] == "FAILED" and store.runs["r1"]["attempts"] == 3
    good = syncing.Ports(store, lambda: FakeSalesforce())
    assert (
        syncing.run_queued(
            syncing.QueuedRun("r1", "pull", 4, last=True), good, now=NOW, time_budget=syncing.UNBOUNDED
        )
        is None
    )


def test_the_links_backfill_writes_every_linked_customer_a_page_at_a_time_and_records_where_it_got():
    store = FakeStore(linked_page_size=2)
    for n in range(5):
        store.add_customer(f"c{n}", salesforceId=f"003{n}")
    assert syncing.backfill_links(store) == 5
    assert store.links == {f"003{n}": f"c{n}" for n in range(5)}
    assert store.backfill == {"done": True, "cursor": None, "linked": 5}
    assert syncing.backfill_links(store) == 0  # done: never again


def test_a_backfill_stopped_halfway_goes_on_from_its_cursor():
    store = FakeStore(linked_page_size=2, backfill={"done": False, "cursor": "2", "linked": 2})
    for n in range(5):
        store.add_customer(f"c{n}", salesforceId=f"003{n}")
    assert syncing.backfill_links(store) == 3  # the first page is not read again
    assert store.links == {"0032": "c2", "0033": "c3", "0034": "c4"}
    assert store.backfill == {"done": True, "cursor": None, "linked": 5}
