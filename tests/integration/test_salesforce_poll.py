"""The Salesforce pull: every page, ties on SystemModstamp, deletions, Decimal, a safe watermark."""

from __future__ import annotations

import pytest

from infrastructure.local.salesforce import generate_contacts
from salesportal.domain.crm import parse_stamp
from tests.support.lambdas import FakeContext

CONTACTS = 260  # three pages of 100 (Salesforce pages by 2,000; moto's GSI queries are O(n))


@pytest.fixture
def crm(stack, salesforce):
    stack.reset_tables("customers", "control")  # a pull reads every customer and one watermark
    salesforce.state.contacts = generate_contacts(CONTACTS, seed=5)
    salesforce.state.fail_after_pages = None
    salesforce.state.api_calls = 0
    salesforce.config.api_limit = 15000
    salesforce.config.page_size = 100
    yield salesforce
    salesforce.config.page_size = 2000


def _poll(stack):
    report = stack.invoke("salesforce_poll", {"detail-type": "Scheduled Event"})
    assert report["trigger"] == "schedule" and report["direction"] == "pull"
    return {**report["pull"], "status": report["status"]}


def _customers(stack):
    items = stack.client("dynamodb").scan(TableName=stack.physical.tables["customers"])["Items"]
    return {i["salesforceId"]["S"]: i for i in items if "salesforceId" in i}


def _watermark(stack):
    item = (
        stack.client("dynamodb")
        .get_item(
            TableName=stack.physical.tables["control"],
            Key={"pk": {"S": "SALESFORCE"}, "sk": {"S": "WATERMARK"}},
        )
        .get("Item")
    )
    return item["value"]["S"] if item else None


def test_a_pull_reads_every_page_including_ties_and_marks_deletions(stack, crm):
    report = _poll(stack)
    live = [c for c in crm.state.contacts.values() if not c["IsDeleted"]]
    assert report["status"] == "SUCCEEDED" and report["pages"] == 3 and report["records"] == CONTACTS
    customers = _customers(stack)
    assert set(customers) == {c["Id"] for c in live}  # nothing lost on page 2 or on a shared stamp
    stamps = [c["SystemModstamp"] for c in crm.state.contacts.values()]
    assert len(set(stamps)) < len(stamps)  # the data has ties
    sample = next(iter(customers.values()))
    assert sample["lifetimeValue"]["N"]  # a float from Salesforce stored as a DynamoDB number
    assert _watermark(stack) is not None


def test_a_second_pull_changes_nothing_and_a_deletion_marks_the_customer(stack, crm):
    _poll(stack)
    again = _poll(stack)
    assert again["created"] == 0 and again["updated"] == 0
    victim = next(c for c in crm.state.contacts.values() if not c["IsDeleted"])
    crm.handle("POST", f"/_control/contacts/{victim['Id']}/delete", {}, b"")
    after = _poll(stack)
    assert after["deleted"] == 1
    assert _customers(stack)[victim["Id"]]["deleted"] == {"BOOL": True}  # kept, with its history


def _page_stamps(crm):
    """The newest SystemModstamp of each page of 100, as the stand-in orders them."""
    ordered = sorted(crm.state.contacts.values(), key=lambda c: (c["SystemModstamp"], c["Id"]))
    return [ordered[i : i + 100][-1]["SystemModstamp"] for i in range(0, len(ordered), 100)]


def _at(stamp):
    return parse_stamp(stamp).isoformat()  # as the pull writes its watermark


def _live(crm):
    return [c for c in crm.state.contacts.values() if not c["IsDeleted"]]


def test_a_run_that_dies_halfway_keeps_its_applied_page_and_the_rerun_goes_on_from_there(stack, crm):
    crm.state.fail_after_pages = 1
    with pytest.raises(Exception, match="500"):
        _poll(stack)
    assert _watermark(stack) == _at(_page_stamps(crm)[0])  # page 1 was applied, page 2 never came
    partial = len(_customers(stack))
    assert 0 < partial < CONTACTS
    crm.state.fail_after_pages = None
    report = _poll(stack)
    assert report["status"] == "SUCCEEDED"
    assert report["records"] < CONTACTS  # resumed: page 1 is not read again
    assert len(_customers(stack)) == len(_live(crm))


def test_a_low_api_budget_stops_the_run_cleanly_and_the_next_run_goes_on(stack, crm):
    crm.config.api_limit = 200  # after one page fewer than the 200-call reserve are left
    report = _poll(stack)
    assert report["status"] == "STOPPED_AT_API_LIMIT" and report["pages"] == 1
    assert _watermark(stack) == report["watermarkAfter"] == _at(_page_stamps(crm)[0])
    crm.config.api_limit = 15000
    crm.state.api_calls = 0
    rest = _poll(stack)
    assert rest["status"] == "SUCCEEDED" and report["records"] + rest["records"] >= CONTACTS
    assert len(_customers(stack)) == len(_live(crm))


def test_a_run_short_of_time_stops_between_pages_and_the_next_run_goes_on(stack, crm, monkeypatch):
    # 20 s left: less than the 30 s kept for recording the run, so no page after the first.
    monkeypatch.setattr(FakeContext, "get_remaining_time_in_millis", lambda self: 20_000)
    report = _poll(stack)
    assert report["status"] == "STOPPED_AT_TIME_LIMIT" and report["pages"] == 1
    assert _watermark(stack) == _at(_page_stamps(crm)[0])
    monkeypatch.undo()
    rest = _poll(stack)
    assert rest["status"] == "SUCCEEDED" and rest["records"] < CONTACTS
    assert len(_customers(stack)) == len(_live(crm))


def test_the_last_page_ends_the_run_even_with_no_time_to_spare(stack, crm, monkeypatch):
    crm.config.page_size = 2000  # one page: nothing follows it
    monkeypatch.setattr(FakeContext, "get_remaining_time_in_millis", lambda self: 1_000)
    assert _poll(stack)["status"] == "SUCCEEDED"


class _AwsCalls:
    """AWS operations made while counting, through botocore's ``before-call`` (once per call)."""

    def __init__(self) -> None:
        from salesportal import aws

        self.events = aws._session().events  # clients are made per invocation, after this
        self.count = 0

    def __enter__(self) -> _AwsCalls:
        self.events.register("before-call", self._count, unique_id="test-aws-calls")
        return self

    def __exit__(self, *exc: object) -> None:
        self.events.unregister("before-call", unique_id="test-aws-calls")

    def _count(self, **_: object) -> None:
        self.count += 1


def test_a_pull_costs_at_most_1_3_aws_calls_per_contact_first_and_after(stack, crm):
    with _AwsCalls() as first:
        assert _poll(stack)["records"] == CONTACTS
    assert first.count / CONTACTS <= 1.3, first.count  # lookups and writes batched per page
    for contact in crm.state.contacts.values():  # every Contact changed in Salesforce since
        contact["Phone"] = "+19995550100"
        contact["SystemModstamp"] = contact["LastModifiedDate"] = "2026-12-31T00:00:00.000+0000"
    with _AwsCalls() as second:
        again = _poll(stack)
    assert again["updated"] == len(_live(crm)) and again["created"] == 0
    assert second.count / CONTACTS <= 1.3, second.count  # one UpdateItem each, lookups batched


def test_contacts_sharing_an_email_on_one_page_are_applied_in_page_order(stack, crm):
    first, second = sorted(_live(crm), key=lambda c: (c["SystemModstamp"], c["Id"]))[:2]
    second["Email"] = first["Email"]
    report = _poll(stack)
    # As one Contact at a time: the second finds the customer the first created, by e-mail.
    assert report["created"] == len(_live(crm)) - 1
    items = stack.client("dynamodb").scan(TableName=stack.physical.tables["customers"])["Items"]
    shared = [i for i in items if i.get("email", {}).get("S") == first["Email"].lower()]
    assert len(shared) == 1 and shared[0]["salesforceId"]["S"] == second["Id"]


def test_a_customer_linked_before_links_existed_is_still_matched_by_salesforce_id(stack, crm):
    from salesportal.data.customers import CustomerRepository

    contact = _live(crm)[0]
    customers = CustomerRepository(stack.physical.tables["customers"])
    fields = {"salesforceId": contact["Id"], "email": "old.address@example.com", "familyName": "Before"}
    customers.create_from_crm(
        "linked-long-ago", fields, modified="2025-06-01T00:00:00+00:00", actor="test", now="2025-06-01"
    )
    report = _poll(stack)
    assert report["linksBackfilled"] == 1  # its link written once, before the first page
    assert report["created"] == len(_live(crm)) - 1  # matched by id although the e-mail differs
    linked = _customers(stack)[contact["Id"]]
    assert linked["customerId"]["S"] == "linked-long-ago"
    assert linked["email"]["S"] == contact["Email"].lower()  # Salesforce's later change won
    assert "linksBackfilled" not in _poll(stack)  # once
