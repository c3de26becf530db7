"""Mail me plan information: queued by the API, mailed once by the worker, never lost."""

from __future__ import annotations

import json

import httpx
import pytest

from infrastructure.local.seed import SEED_DIR, drop_delta
from tests.support.api import body_of
from tests.support.funnel import failed_ids

REGION = "us-east-1"
REQUEST = {
    "name": "Dana Rivera",
    "address": {"line1": "600 Congress Ave", "city": "Austin", "state": "TX", "postalCode": "78701"},
}


@pytest.fixture
def synced(stack):
    drop_delta(None, REGION, stack.physical, SEED_DIR / "plan-delta-demo.jsonl", "0000-demo.jsonl")
    stack.invoke("plan_sync", {})
    return stack


def _request(stack, plan_id="DEMO-PLUS", body=REQUEST):
    return stack.request("POST", f"/plans/{plan_id}/mail-requests", body=body)


def _queued(stack):
    sqs = stack.client("sqs")
    messages = sqs.receive_message(
        QueueUrl=stack.physical.queue_urls["fulfillment"], MaxNumberOfMessages=10, AttributeNames=["All"]
    )
    return [
        {
            "messageId": m["MessageId"],
            "receiptHandle": m["ReceiptHandle"],
            "body": m["Body"],
            "attributes": m["Attributes"],
            "messageAttributes": {},
            "eventSource": "aws:sqs",
            "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q",
            "awsRegion": REGION,
        }
        for m in messages.get("Messages", [])
    ]


def _mailings(stack, request_id):
    ledger = httpx.get(f"{stack.standins.control_url}/ledger").json()
    return [m for m in ledger["mailings"] if m["reference"] == request_id]


def test_the_same_request_twice_is_mailed_once(synced):
    first, second = _request(synced), _request(synced)
    assert first["statusCode"] == 202 and body_of(first) == body_of(second)
    request_id = body_of(first)["requestId"]
    records = _queued(synced)
    assert len(records) == 2  # both accepted; the worker dedupes
    assert failed_ids(synced.invoke("fulfillment", {"Records": records})) == []
    assert len(_mailings(synced, request_id)) == 1
    stored = synced.client("dynamodb").get_item(
        TableName=synced.physical.tables["control"],
        Key={"pk": {"S": f"MAILREQUEST#{request_id}"}, "sk": {"S": "REQUEST"}},
    )["Item"]
    assert stored["status"] == {"S": "SENT"} and "Rivera" not in json.dumps(stored)  # no name or address kept


def test_a_fulfillment_outage_fails_the_message_for_a_retry_and_sends_nothing(synced):
    request_id = body_of(_request(synced, body={**REQUEST, "name": "Sam Okafor"}))["requestId"]
    synced.standins.state.faults["fulfillment"] = "down"
    records = _queued(synced)
    assert len(failed_ids(synced.invoke("fulfillment", {"Records": records}))) == 1
    assert _mailings(synced, request_id) == []
    synced.standins.state.faults.clear()
    assert failed_ids(synced.invoke("fulfillment", {"Records": records})) == []
    assert len(_mailings(synced, request_id)) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**REQUEST, "name": ""}, "name"),
        ({**REQUEST, "address": {**REQUEST["address"], "postalCode": "787"}}, "address.postalCode"),
        ({"name": "X Y"}, "address"),
    ],
)
def test_a_bad_name_or_address_is_422_naming_the_field_and_queues_nothing(synced, body, field):
    response = _request(synced, body=body)
    assert response["statusCode"] == 422
    assert field in {d["field"] for d in body_of(response)["error"]["details"]}
    assert _queued(synced) == []


def test_an_unknown_plan_is_404(synced):
    assert _request(synced, plan_id="NOPE")["statusCode"] == 404
