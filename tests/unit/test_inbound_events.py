"""The one model of an inbound domain event reads exactly what the outbox publishes.

The detail is built by the outbox's own code (a stream record read by ``committed_change``,
the outbox rules, ``bus.publish``'s serialisation) and delivered in EventBridge's envelope, as
a worker's queue receives it; a body without the envelope's ``detail-type`` or ``detail`` is
refused.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from boto3.dynamodb.types import TypeSerializer
from pydantic import ValidationError

from infrastructure import manifest
from salesportal import aws, bus
from salesportal.domain.analytics import increments
from salesportal.domain.outbox import EVENT_FACTS, audit_record, domain_event
from salesportal.models.events import DomainEventMessage, EventFacts
from salesportal.models.inbound import committed_change
from tests.support.lambdas import ROOT, sample_event

COMMITTED = datetime(2026, 11, 22, 10, 30, tzinfo=UTC)
PAYMENT = {
    "pk": "CUSTOMER#c-1",
    "sk": "PAYMENT#p-1",
    "entityType": "payment",
    "entityId": "p-1",
    "customerId": "c-1",
    "policyId": "pol-1",
    "purpose": "INITIAL",
    "status": "PENDING",
    "amountCents": Decimal(4200),
    "currency": "USD",
    "termStart": "2026-12-01",
    "paymentMethod": "tok_visa",  # personal: never published
    "declineCode": None,
    "version": Decimal(1),
    "lastModifiedBy": "customer:c-1",
}


def _stream_record(operation: str, old: dict[str, Any] | None, new: dict[str, Any] | None) -> DynamoDBRecord:
    """A DynamoDB stream record of one committed change, images as DynamoDB writes them."""
    serialise = TypeSerializer().serialize
    images = {"OldImage": old, "NewImage": new}
    section = {
        "ApproximateCreationDateTime": COMMITTED.timestamp(),
        "SequenceNumber": "1001",
        "StreamViewType": "NEW_AND_OLD_IMAGES",
        **{name: {k: serialise(v) for k, v in image.items()} for name, image in images.items() if image},
    }
    return DynamoDBRecord({"eventID": f"ev-{operation}", "eventName": operation, "dynamodb": section})


def _delivered(record: DynamoDBRecord, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], str]:
    """(the entry the outbox put on the bus, the SQS body a subscribed queue receives)."""
    sent: list[dict[str, Any]] = []

    class Events:
        def put_events(self, Entries: list[dict[str, Any]]) -> dict[str, Any]:
            sent.extend(Entries)
            return {"FailedEntryCount": 0, "Entries": [{"EventId": "e"} for _ in Entries]}

    monkeypatch.setattr(aws, "client", lambda service: Events())
    change = committed_change(record)
    bus.publish([domain_event(audit_record(change), change)], bus_name="domain-events", source="salesportal")
    (entry,) = sent
    # EventBridge's envelope around the entry, the whole event as the rule's SQS target gets it.
    envelope = {
        "version": "0",
        "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": entry["DetailType"],
        "source": entry["Source"],
        "account": "123456789012",
        "time": "2026-11-22T10:30:00Z",
        "region": "us-east-1",
        "resources": [],
        "detail": json.loads(entry["Detail"]),
    }
    return entry, json.dumps(envelope)


SIGN_UP = sample_event("stream_processor", "customer_changes")["Records"][0]
PUBLISHED = {
    "sign-up": DynamoDBRecord(SIGN_UP),
    "payment created": _stream_record("INSERT", None, PAYMENT),
    "payment succeeded": _stream_record(
        "MODIFY",
        PAYMENT,
        {**PAYMENT, "status": "SUCCEEDED", "version": Decimal(2), "lastModifiedBy": "system"},
    ),
    "quote without owner removed": _stream_record(
        "REMOVE", {"pk": "QUOTE#q-1", "sk": "QUOTE", "entityType": "quote", "entityId": "q-1"}, None
    ),
}


@pytest.mark.parametrize("record", PUBLISHED.values(), ids=PUBLISHED.keys())
def test_the_model_reads_every_field_the_outbox_publishes_as_published(record, monkeypatch):
    entry, body = _delivered(record, monkeypatch)
    message = DomainEventMessage.model_validate_json(body)
    published = json.loads(entry["Detail"])
    # Every published key is a field of the model (none dropped as unknown), with its value.
    read = message.detail.model_dump(by_alias=True, exclude_unset=True)
    assert read.pop("occurredAt") == datetime.fromisoformat(published.pop("occurredAt"))
    assert read == published
    assert message.detail_type == entry["DetailType"]


def test_the_facts_are_the_outboxs_event_facts():
    assert {field.alias for field in EventFacts.model_fields.values()} == EVENT_FACTS


def test_what_the_workers_read_comes_through(monkeypatch):
    _, body = _delivered(PUBLISHED["payment succeeded"], monkeypatch)
    message = DomainEventMessage.model_validate_json(body)
    detail = message.detail
    assert (message.detail_type, detail.customer_id, detail.entity_type, detail.entity_id) == (
        "PaymentStatusChanged",
        "c-1",
        "payment",
        "p-1",
    )
    assert (detail.actor, detail.action, detail.previous_status) == ("system", "updated", "PENDING")
    assert (detail.facts.status, detail.facts.amount_cents, detail.facts.policy_id) == (
        "SUCCEEDED",
        4200,
        "pol-1",
    )
    assert "paymentMethod" not in body  # what the outbox keeps out stays out
    received = message.to_entity()
    assert (received.customer_id, received.entity_id, received.occurred_at) == ("c-1", "p-1", COMMITTED)
    assert (received.facts.amount_cents, received.facts.currency) == (4200, "USD")


def test_analytics_counts_a_sign_up_by_its_actor(monkeypatch):
    _, body = _delivered(PUBLISHED["sign-up"], monkeypatch)
    message = DomainEventMessage.model_validate_json(body)
    assert message.detail.actor == "system:post_confirmation"
    counted = increments(message.detail_type, message.detail.model_dump(by_alias=True, mode="json"))
    assert counted is not None and counted.counters == {"signUps": 1}
    assert (
        counted.day == datetime.fromtimestamp(SIGN_UP["dynamodb"]["ApproximateCreationDateTime"], UTC).date()
    )


def test_an_event_without_an_owner_reads_as_none_for_notifying(monkeypatch):
    _, body = _delivered(PUBLISHED["quote without owner removed"], monkeypatch)
    received = DomainEventMessage.model_validate_json(body).to_entity()
    assert received.customer_id is None and received.detail_type == "QuoteDeleted"


DETAIL = {
    "eventId": "e-1",
    "occurredAt": "2026-11-22T10:30:00+00:00",
    "entityType": "policy",
    "entityId": "p-1",
}


@pytest.mark.parametrize(
    "body",
    [
        {"detail": DETAIL},  # no detail-type
        {"detail-type": "", "detail": DETAIL},
        {"detailType": "PolicyCreated", "detail": DETAIL},  # not the envelope's spelling
        {"detail-type": "PolicyCreated"},  # no detail
        {"detail-type": "PolicyCreated", "detail": "PolicyCreated"},
        {"detail-type": "PolicyCreated", "detail": {**DETAIL, "eventId": ""}},
        {"detail-type": "PolicyCreated", "detail": {"entityType": "policy", "entityId": "p-1"}},
        {
            "detail-type": "PolicyCreated",
            "detail": {**DETAIL, "occurredAt": "2026-11-22T10:30:00"},
        },  # no zone
        {"detail-type": "PolicyCreated", "detail": {**DETAIL, "occurredAt": "not-a-time"}},
        {"detail-type": "PolicyCreated", "detail": {**DETAIL, "facts": {"amountCents": "lots"}}},
    ],
)
def test_a_body_of_another_shape_is_refused(body):
    with pytest.raises(ValidationError):
        DomainEventMessage.model_validate_json(json.dumps(body))


def test_a_body_that_is_not_json_is_refused():
    with pytest.raises(ValidationError):
        DomainEventMessage.model_validate_json("PolicyCreated p-1")


def _event_workers() -> list[str]:
    """The functions whose queue an EventBridge rule fills with domain events."""
    fed = {q.name for q in manifest.QUEUES if q.subscribes_to}
    return sorted(
        fn.name
        for fn in manifest.FUNCTIONS
        if isinstance(fn.trigger, manifest.QueueTrigger) and fn.trigger.queue in fed
    )


def test_the_event_workers_are_the_five_the_outbox_feeds():
    assert _event_workers() == [
        "ai_worker",
        "analytics_recorder",
        "notifications",
        "policy_documents",
        "underwriting",
    ]


@pytest.mark.parametrize("worker", _event_workers())
def test_every_sample_event_of_a_worker_parses_with_nothing_left_unread(worker):
    samples = sorted((ROOT / "events" / worker).glob("*.json"))
    assert samples, worker
    for path in samples:
        for record in json.loads(path.read_text())["Records"]:
            body = json.loads(record["body"])
            message = DomainEventMessage.model_validate(body)
            read = message.detail.model_dump(by_alias=True, exclude_unset=True, mode="json")
            assert set(read) == set(body["detail"]), path.name
            assert set(read.get("facts", {})) == set(body["detail"].get("facts", {})), path.name
