"""Salesforce sync over the offline stack: the hourly poll fired by hand reads every page,
a Contact deleted in Salesforce is marked deleted, and an admin's push sync sends a
profile changed in the portal to Salesforce."""

from __future__ import annotations

import ssl
import uuid

import httpx
import pytest

from tests.e2e.test_sales_funnel import eventually

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def salesforce(local_stack):
    """The stand-in's control endpoints, over its own TLS certificate."""
    standins = local_stack.info["standins"]
    trust = ssl.create_default_context(cafile=standins["salesforce_ca"])
    with httpx.Client(base_url=standins["salesforce"], verify=trust, timeout=30) as client:
        yield client


def _poll(local_stack):
    fired = local_stack.http.post(f"{local_stack.info['control_url']}/schedules/salesforce-poll", timeout=300)
    assert fired.status_code == 200, fired.text
    return fired.json()["result"]


def _customer(local_stack, customer_id):
    return local_stack.request("GET", f"/customers/{customer_id}", role="agent")


def _forget_the_pull_watermark(local_stack):
    """Whatever pulled before (the stack's own hourly poll at minute 15, another test's sync), the
    next poll then starts from the beginning, as the stack's first ever poll would."""
    local_stack.aws("dynamodb").delete_item(
        TableName=local_stack.info["tables"]["control"],
        Key={"pk": {"S": "SALESFORCE"}, "sk": {"S": "WATERMARK"}},
    )


def test_the_poll_reads_every_page_and_marks_a_deleted_contact(local_stack, salesforce):
    _forget_the_pull_watermark(local_stack)
    first = _poll(local_stack)
    assert first["status"] == "SUCCEEDED", first
    stats = salesforce.get("/_control/stats").json()
    assert first["pull"]["pages"] >= 2 and first["pull"]["records"] >= stats["contacts"] - 5
    last = salesforce.get("/_control/contacts/003000000000002099").json()  # on page 2
    on_page_two = _customer(local_stack, f"sf-{last['Id']}")
    assert on_page_two.status_code == 200 and on_page_two.json()["salesforceId"] == last["Id"]

    victim = next(
        contact
        for n in range(10, 40)
        if not (contact := salesforce.get(f"/_control/contacts/003{n:015d}").json())["IsDeleted"]
    )
    assert _customer(local_stack, f"sf-{victim['Id']}").json()["deleted"] is False
    assert salesforce.post(f"/_control/contacts/{victim['Id']}/delete").status_code == 200
    second = _poll(local_stack)
    # (The local scheduler may fire its own hourly poll meanwhile: the customer's state is the proof.)
    assert second["status"] == "SUCCEEDED"
    assert second["pull"]["records"] < first["pull"]["records"]  # from the watermark, not from the start
    gone = _customer(local_stack, f"sf-{victim['Id']}").json()
    assert gone["deleted"] is True and gone["familyName"] == victim["LastName"]  # history kept


def test_an_admin_pushes_a_profile_changed_in_the_portal(local_stack, salesforce):
    email, password = local_stack.new_customer(f"push-{uuid.uuid4().hex[:6]}@example.com")
    token = local_stack.sign_in(email, password)["IdToken"]
    profile = {"givenName": "Rosa", "familyName": f"Push{uuid.uuid4().hex[:6]}", "phone": "+15125550142"}
    assert local_stack.request("PUT", "/me", token=token, json=profile).status_code == 200
    customer_id = local_stack.request("GET", "/me", token=token).json()["customerId"]

    assert (
        local_stack.request("POST", "/salesforce/sync", role="agent", json={"direction": "push"}).status_code
        == 403
    )
    started = local_stack.request("POST", "/salesforce/sync", role="admin", json={"direction": "push"})
    assert started.status_code == 202, started.text
    location = started.headers["Location"].removeprefix("/v1")

    def finished():
        run = local_stack.request("GET", location, role="admin").json()
        return run if run["status"] not in ("QUEUED", "RUNNING", "RETRYING") else None

    run = eventually(finished, what="the push sync run", timeout=120)
    assert run["status"] == "SUCCEEDED", run
    assert run["push"]["created"] >= 1 and run["push"]["failed"] == 0
    contact = salesforce.get(f"/_control/contacts/by-portal-id/{customer_id}").json()
    assert (contact["FirstName"], contact["LastName"], contact["Phone"]) == (
        "Rosa",
        profile["familyName"],
        "+15125550142",
    )
    assert _customer(local_stack, customer_id).json()["salesforceId"] == contact["Id"]
