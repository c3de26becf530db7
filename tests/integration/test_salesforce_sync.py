"""Manual Salesforce sync: 202 and a run id, a queue worker, push by external id, run reports."""

from __future__ import annotations

import json
import uuid

import pytest

from infrastructure.local.salesforce import generate_contacts
from tests.support.api import body_of, claims, header_of
from tests.support.funnel import AGENT, Funnel, failed_ids, signed_up
from tests.support.lambdas import FakeContext

ADMIN = claims("7f4e9a1c-3d5b-4c8e-a02f-9b1d4c6e8a03", "customers,admins")


@pytest.fixture
def crm(stack, salesforce):
    stack.reset_tables("customers", "control")  # a push sends every customer; one watermark
    salesforce.state.contacts = generate_contacts(30, seed=7)
    salesforce.state.fail_after_pages = None
    salesforce.config.api_limit = 15000
    salesforce.state.api_calls = 0
    salesforce.state.saves_by_portal_id.clear()
    return salesforce


def _start(stack, body, who=ADMIN):
    return Funnel(stack).call("salesforce_sync", "POST", "/salesforce/sync", body=body, caller=who)


def _run(stack, run_id, who=ADMIN):
    return Funnel(stack).call(
        "salesforce_sync",
        "GET",
        f"/salesforce/sync/{run_id}",
        "/salesforce/sync/{runId}",
        {"runId": run_id},
        caller=who,
    )


def _queued_message(stack):
    messages = stack.client("sqs").receive_message(
        QueueUrl=stack.physical.queue_urls["salesforce-sync"], MaxNumberOfMessages=1
    )["Messages"]
    return messages[0]["Body"]


def _work(stack, body, receive_count=1):
    return stack.invoke(
        "salesforce_sync_worker",
        {
            "Records": [
                {
                    "messageId": str(uuid.uuid4()),
                    "receiptHandle": "handle",
                    "body": body,
                    "attributes": {"ApproximateReceiveCount": str(receive_count)},
                    "messageAttributes": {},
                    "eventSource": "aws:sqs",
                    "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:salesportal-salesforce-sync",
                    "awsRegion": "us-east-1",
                }
            ]
        },
    )


def _sync(stack, direction):
    response = _start(stack, {"direction": direction})
    assert response["statusCode"] == 202
    run_id = body_of(response)["runId"]
    assert _work(stack, _queued_message(stack)) == {"batchItemFailures": []}
    return body_of(_run(stack, run_id))


def _customer(stack, customer_id):
    item = stack.client("dynamodb").get_item(
        TableName=stack.physical.tables["customers"],
        Key={"pk": {"S": f"CUSTOMER#{customer_id}"}, "sk": {"S": "PROFILE"}},
    )["Item"]
    return item


def test_an_admin_queues_a_pull_and_reads_its_report(stack, crm):
    response = _start(stack, {"direction": "pull"})
    assert response["statusCode"] == 202
    queued = body_of(response)
    assert queued["status"] == "QUEUED" and queued["trigger"] == "manual" and queued["direction"] == "pull"
    assert header_of(response, "Location") == f"/v1/salesforce/sync/{queued['runId']}"
    assert body_of(_run(stack, queued["runId"]))["status"] == "QUEUED"

    message = _queued_message(stack)
    assert json.loads(message) == {"runId": queued["runId"], "direction": "pull"}
    assert _work(stack, message) == {"batchItemFailures": []}
    run = body_of(_run(stack, queued["runId"]))
    assert run["status"] == "SUCCEEDED" and run["requestedBy"] == ADMIN["sub"] and run["attempts"] == 1
    live = [c for c in crm.state.contacts.values() if not c["IsDeleted"]]
    assert run["pull"]["records"] == 30 and run["pull"]["created"] == len(live) and run.get("push") is None

    assert _work(stack, message) == {"batchItemFailures": []}  # redelivered: the run is not repeated
    assert body_of(_run(stack, queued["runId"]))["finishedAt"] == run["finishedAt"]


def test_a_push_creates_the_contact_by_external_id_then_updates_it_by_id(stack, crm):
    funnel = signed_up(stack, "push.me@example.com")
    run = _sync(stack, "push")
    assert run["status"] == "SUCCEEDED" and run["push"]["created"] == 1 and run["push"]["failed"] == 0
    contact = crm.handle("GET", f"/_control/contacts/by-portal-id/{funnel.sub}", {}, b"")[1]
    assert (contact["FirstName"], contact["LastName"], contact["Phone"]) == ("Dana", "Rivera", "+15125550100")
    assert contact["Portal_Contact_Preferences__c"] == "Email"
    assert _customer(stack, funnel.sub)["salesforceId"]["S"] == contact["Id"]  # linked for the next pull

    profile = {
        "givenName": "Danielle",
        "familyName": "Rivera",
        "phone": "+15125550100",
        "contactPreferences": {"email": True, "sms": True},
    }
    assert funnel.call("profile", "PUT", "/me", body=profile)["statusCode"] == 200
    again = _sync(stack, "push")
    assert again["push"]["created"] == 0 and again["push"]["updated"] == 1
    contact = crm.handle("GET", f"/_control/contacts/{contact['Id']}", {}, b"")[1]
    assert contact["FirstName"] == "Danielle" and contact["Portal_Contact_Preferences__c"] == "Email;SMS"
    assert len([c for c in crm.state.contacts.values() if c.get("Portal_Customer_Id__c") == funnel.sub]) == 1


def test_a_record_salesforce_refuses_is_reported_and_sent_again_next_time(stack, crm):
    funnel = signed_up(stack, "refused@example.com")
    first = _sync(stack, "push")
    contact_id = _customer(stack, funnel.sub)["salesforceId"]["S"]
    crm.handle("POST", f"/_control/contacts/{contact_id}/delete", {}, b"")
    funnel.call("profile", "PUT", "/me", body={"givenName": "Dee", "familyName": "Rivera"})
    run = _sync(stack, "push")
    assert run["status"] == "COMPLETED_WITH_ERRORS" and run["push"]["failed"] == 1
    assert run["push"]["errors"] == [
        {
            "customerId": funnel.sub,
            "errors": [{"statusCode": "ENTITY_IS_DELETED", "message": "entity is deleted"}],
        }
    ]
    assert run["push"]["watermarkAfter"] == first["push"]["watermarkAfter"]  # not moved past the refusal


def test_a_push_short_of_time_stops_between_pages_and_the_next_push_sends_the_rest(stack, crm, monkeypatch):
    from salesportal.workflows import salesforce_syncing as salesforce_sync

    people = [signed_up(stack, f"page{i}@example.com").sub for i in range(3)]
    monkeypatch.setattr(salesforce_sync, "COLLECTION_LIMIT", 2)  # three customers, two pages
    # 20 s left: less than the 30 s kept for recording the run, so no page after the first.
    monkeypatch.setattr(FakeContext, "get_remaining_time_in_millis", lambda self: 20_000)
    stopped = _sync(stack, "push")
    assert stopped["status"] == "STOPPED_AT_TIME_LIMIT" and stopped["push"]["sent"] == 2
    assert stopped["push"]["watermarkAfter"] == stopped["push"]["watermarkBefore"]

    monkeypatch.setattr(FakeContext, "get_remaining_time_in_millis", lambda self: 600_000)
    rest = _sync(stack, "push")
    assert rest["status"] == "SUCCEEDED" and rest["push"]["created"] == 1  # the first two are updates
    linked = [c for c in crm.state.contacts.values() if c.get("Portal_Customer_Id__c") in people]
    assert len(linked) == 3  # each once: the resend matched by external id


def test_both_pulls_first_then_pushes(stack, crm):
    signed_up(stack, "both@example.com")
    run = _sync(stack, "both")
    assert run["status"] == "SUCCEEDED"
    assert run["pull"]["created"] > 0 and run["push"]["created"] == 1
    assert run["push"]["skipped"] == run["pull"]["created"]  # pulled and unchanged: nothing to send back


def test_a_failing_run_retries_then_fails_for_good_into_the_dlq(stack, crm):
    crm.state.fail_after_pages = 0  # every query answers 500
    run_id = body_of(_start(stack, {"direction": "pull"}))["runId"]
    message = _queued_message(stack)
    assert len(failed_ids(_work(stack, message, receive_count=1))) == 1
    retrying = body_of(_run(stack, run_id))
    assert retrying["status"] == "RETRYING" and "500" in retrying["error"]
    assert len(failed_ids(_work(stack, message, receive_count=3))) == 1
    assert body_of(_run(stack, run_id))["status"] == "FAILED"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"direction": "sideways"}, 422, "validation_error"),
        ({}, 422, "validation_error"),
        ({"direction": "pull", "extra": 1}, 422, "validation_error"),
    ],
)
def test_bad_sync_requests_are_refused_and_queue_nothing(stack, body, status, code):
    response = _start(stack, body)
    assert response["statusCode"] == status and body_of(response)["error"]["code"] == code
    queued = stack.client("sqs").receive_message(QueueUrl=stack.physical.queue_urls["salesforce-sync"])
    assert not queued.get("Messages")


def test_only_admins_may_sync_or_read_runs(stack):
    customer = claims("8a1f0c2e-4b6d-4e1a-9c3b-2f5e7d9a1b3c")
    for who in (customer, AGENT):
        assert _start(stack, {"direction": "pull"}, who)["statusCode"] == 403
        assert _run(stack, "01JD8X3K9Q2M4N6P8R0T2V4W7A", who)["statusCode"] == 403


def test_unknown_and_malformed_run_ids(stack):
    assert body_of(_run(stack, "01JD8X3K9Q2M4N6P8R0T2V4W7A"))["error"]["code"] == "sync_run_not_found"
    assert _run(stack, "not%20a%20run")["statusCode"] == 422  # as every malformed path id


def _changed_customers(stack, count):
    """``count`` portal customers with a profile worth sending, written as the API writes them."""
    from datetime import UTC, datetime

    from salesportal.data.customers import CustomerRepository

    customers = CustomerRepository(stack.physical.tables["customers"])
    ids = []
    for n in range(count):
        customer_id = str(uuid.uuid4())
        now = datetime.now(UTC)
        customers.create_if_absent(customer_id, f"backlog{n}@example.com", actor="test", now=now)
        fields = {"givenName": "Back", "familyName": f"Log{n:03d}"}
        customers.replace_profile(customer_id, fields, actor="test", now=now)
        ids.append(customer_id)
    return ids


def _recorded_push(stack, run):
    """The run's push section as recorded (the API shows the counts a client needs; this
    holds the bookkeeping too: whether the run resumed a window, what it did not resend)."""
    from salesportal.data.dynamo import from_item

    item = stack.client("dynamodb").get_item(
        TableName=stack.physical.tables["control"],
        Key={"pk": {"S": f"SFRUN#{run['runId']}"}, "sk": {"S": "RUN"}},
    )["Item"]
    return from_item(item)["push"]


def test_a_push_backlog_larger_than_a_run_completes_over_runs_sending_each_record_once(
    stack, crm, monkeypatch
):
    from salesportal.workflows import salesforce_syncing as salesforce_sync

    backlog = _changed_customers(stack, 23)
    monkeypatch.setattr(salesforce_sync, "COLLECTION_LIMIT", 4)  # pages of four
    # 20 s left: less than the 30 s kept for recording the run, so one page per run.
    monkeypatch.setattr(FakeContext, "get_remaining_time_in_millis", lambda self: 20_000)
    runs = []
    while not runs or runs[-1]["status"] != "SUCCEEDED":
        runs.append(_sync(stack, "push"))
        assert len(runs) <= 10, [r["status"] for r in runs]  # it ends, it does not start over
    assert [r["status"] for r in runs] == ["STOPPED_AT_TIME_LIMIT"] * 5 + ["SUCCEEDED"]
    assert [_recorded_push(stack, r)["resumed"] for r in runs] == [False] + [True] * 5
    assert sum(r["push"]["sent"] for r in runs) == 23
    assert crm.state.saves_by_portal_id == dict.fromkeys(backlog, 1)  # each once

    monkeypatch.setattr(FakeContext, "get_remaining_time_in_millis", lambda self: 600_000)
    quiet = _sync(stack, "push")  # the overlap is read again, and nothing in it sent again
    assert quiet["push"]["sent"] == 0 and _recorded_push(stack, quiet)["alreadySent"] == 23
    edited = _changed_customers(stack, 1)[0]  # a new change after the window
    again = _sync(stack, "push")
    assert again["push"]["sent"] == 1 and crm.state.saves_by_portal_id[edited] == 1
    assert max(crm.state.saves_by_portal_id.values()) == 1


def test_a_customer_pulled_with_salesforce_contact_preferences_reads_as_their_choices(stack, crm):
    """A pull stores the Contact's picklist text ("SMS", "Email;SMS") for a customer who had no
    choices of their own; staff reading that customer get the choices, not a 500."""
    contact = next(c for c in crm.state.contacts.values() if not c["IsDeleted"] and c.get("Email"))
    contact["Portal_Contact_Preferences__c"] = "SMS"
    assert _sync(stack, "pull")["status"] == "SUCCEEDED"
    found = stack.request("GET", "/customers", caller=AGENT, query={"email": contact["Email"]})
    assert found["statusCode"] == 200, found
    (customer,) = body_of(found)["items"]
    read = stack.request("GET", f"/customers/{customer['customerId']}", caller=AGENT)
    assert read["statusCode"] == 200, read
    assert body_of(read)["contactPreferences"] == {"email": False, "sms": True}


def test_a_customer_stored_with_picklist_text_by_an_earlier_pull_reads_as_their_choices(stack, crm):
    """Pulls used to store the picklist text itself; such a customer still reads (no 500)."""
    contact = next(c for c in crm.state.contacts.values() if not c["IsDeleted"] and c.get("Email"))
    assert _sync(stack, "pull")["status"] == "SUCCEEDED"
    (customer,) = body_of(
        stack.request("GET", "/customers", caller=AGENT, query={"email": contact["Email"]})
    )["items"]
    stack.client("dynamodb").update_item(
        TableName=stack.physical.tables["customers"],
        Key={"pk": {"S": f"CUSTOMER#{customer['customerId']}"}, "sk": {"S": "PROFILE"}},
        UpdateExpression="SET contactPreferences = :text",
        ExpressionAttributeValues={":text": {"S": "Email;SMS"}},
    )
    read = stack.request("GET", f"/customers/{customer['customerId']}", caller=AGENT)
    assert read["statusCode"] == 200, read
    assert body_of(read)["contactPreferences"] == {"email": True, "sms": True}


def _runs(stack, who=ADMIN, **query):
    return stack.request("GET", "/salesforce/sync", caller=who, query=query)


def test_an_admin_lists_runs_newest_first_a_page_at_a_time_each_as_its_own_page_shows_it(stack, crm):
    pulled = _sync(stack, "pull")  # queued, worked, finished
    pushing = body_of(_start(stack, {"direction": "push"}))  # still queued
    both = body_of(_start(stack, {"direction": "both"}))
    first = _runs(stack, limit="2")
    assert first["statusCode"] == 200, first
    page = body_of(first)
    assert [r["runId"] for r in page["items"]] == [both["runId"], pushing["runId"]] and page["nextToken"]
    assert page["items"][1] == body_of(_run(stack, pushing["runId"]))
    rest = body_of(_runs(stack, limit="2", nextToken=page["nextToken"]))
    assert rest["items"] == [pulled] and rest.get("nextToken") is None  # finished, counts and all
    everything = body_of(_runs(stack))["items"]
    assert [(r["direction"], r["status"]) for r in everything] == [
        ("both", "QUEUED"),
        ("push", "QUEUED"),
        ("pull", "SUCCEEDED"),
    ]


def test_an_hourly_pull_is_listed_beside_the_manual_runs(stack, crm):
    manual = body_of(_start(stack, {"direction": "push"}))
    report = stack.invoke("salesforce_poll", {"detail-type": "Scheduled Event"})
    listed = body_of(_runs(stack))["items"]
    assert [(r["runId"], r["trigger"]) for r in listed] == [
        (report["runId"], "schedule"),
        (manual["runId"], "manual"),
    ]
    assert listed[0]["status"] == "SUCCEEDED" and listed[0]["pull"]["records"] == 30


def test_the_run_list_refuses_foreign_tokens_bad_limits_and_anyone_but_an_admin(stack, crm):
    from salesportal.data.dynamo import encode_cursor

    for _ in range(3):
        assert _start(stack, {"direction": "pull"})["statusCode"] == 202
    assert body_of(_runs(stack, limit="1"))["nextToken"]  # there is a next page to ask for
    foreign = [
        "not-a-token",
        # A run's own record, and another listing's (an entity's audit trail).
        encode_cursor({"pk": {"S": "SFRUN#01JD8X3K9Q2M4N6P8R0T2V4W7A"}, "sk": {"S": "RUN"}}),
        encode_cursor({"pk": {"S": "policy#01JD8X3K9Q2M4N6P8R0T2V4W7A"}, "sk": {"S": "2026-12-01"}}),
    ]
    for bad in foreign:
        refused = _runs(stack, nextToken=bad)
        assert refused["statusCode"] == 400 and body_of(refused)["error"]["code"] == "invalid_next_token"
    for limit in ("0", "51", "many"):
        refused = _runs(stack, limit=limit)
        assert refused["statusCode"] == 400 and body_of(refused)["error"]["code"] == "invalid_parameter"
    assert len(body_of(_runs(stack, limit="50"))["items"]) == 3
    for who in (claims("8a1f0c2e-4b6d-4e1a-9c3b-2f5e7d9a1b3c"), AGENT):
        refused = _runs(stack, who)
        assert refused["statusCode"] == 403, refused
