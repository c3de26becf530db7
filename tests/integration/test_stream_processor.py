"""The outbox: stream records become masked audit records and domain events, exactly once."""

from __future__ import annotations

import copy
import json

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from tests.support.lambdas import sample_event

SAMPLE = sample_event("stream_processor", "customer_changes")


@pytest.fixture(autouse=True)
def _unaudited(stack):
    """Every test replays the same sample changes: each starts with none of them audited."""
    stack.reset_tables("audit")


@pytest.fixture
def bus_tap(stack):
    """A queue receiving every event on the domain bus, as a consumer would."""
    sqs, events = stack.client("sqs"), stack.client("events")
    url = sqs.create_queue(QueueName="bus-tap")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(
        Name="tap",
        EventBusName=stack.physical.event_bus,
        EventPattern=json.dumps({"source": ["salesportal"]}),
    )
    events.put_targets(Rule="tap", EventBusName=stack.physical.event_bus, Targets=[{"Id": "q", "Arn": arn}])

    def drain() -> list[dict]:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(m["Body"]) for m in messages]

    return drain


def _history(stack, entity: str) -> list[dict]:
    items = stack.client("dynamodb").query(
        TableName=stack.physical.tables["audit"],
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": entity}},
    )["Items"]
    return items


def test_each_change_is_audited_with_actor_and_masked_personal_fields(stack, bus_tap):
    response = stack.invoke("stream_processor", SAMPLE)
    assert response == {"batchItemFailures": []}

    sub = SAMPLE["Records"][0]["dynamodb"]["NewImage"]["entityId"]["S"]
    history = _history(stack, f"customer#{sub}")
    assert [h["action"]["S"] for h in history] == ["created", "updated"]
    updated = history[1]
    assert updated["actor"]["S"] == f"customer:{sub}"
    changes = {c["M"]["field"]["S"]: c["M"] for c in updated["changes"]["L"]}
    assert set(changes) == {"contactPreferences", "familyName", "givenName", "phone"}
    assert changes["phone"]["after"] == {"S": "***"} and changes["phone"]["before"] == {"NULL": True}
    assert changes["contactPreferences"]["after"]["M"]["sms"] == {"BOOL": True}  # not personal: kept
    assert "+15125550123" not in json.dumps(history)


def test_each_change_is_announced_once_on_the_bus(stack, bus_tap):
    stack.invoke("stream_processor", SAMPLE)
    events = bus_tap()
    assert sorted(e["detail-type"] for e in events) == ["CustomerCreated", "CustomerUpdated"]
    updated = next(e for e in events if e["detail-type"] == "CustomerUpdated")
    assert updated["source"] == "salesportal"
    assert updated["detail"]["changedFields"] == ["contactPreferences", "familyName", "givenName", "phone"]
    assert "+15125550123" not in json.dumps(events)


def test_a_replayed_batch_writes_no_second_audit_record(stack, bus_tap):
    stack.invoke("stream_processor", SAMPLE)
    stack.invoke("stream_processor", SAMPLE)
    sub = SAMPLE["Records"][0]["dynamodb"]["NewImage"]["entityId"]["S"]
    assert len(_history(stack, f"customer#{sub}")) == 2


def test_a_poison_record_fails_alone(stack, bus_tap):
    event = copy.deepcopy(SAMPLE)
    poison = copy.deepcopy(event["Records"][0])
    poison["eventID"] = "poison"
    poison["dynamodb"]["SequenceNumber"] = "111100000000000000000"
    del poison["dynamodb"]["NewImage"]["entityType"]
    event["Records"].insert(0, poison)

    response = stack.invoke("stream_processor", event)

    assert response == {"batchItemFailures": [{"itemIdentifier": "111100000000000000000"}]}
    sub = SAMPLE["Records"][0]["dynamodb"]["NewImage"]["entityId"]["S"]
    assert len(_history(stack, f"customer#{sub}")) == 2


def test_a_bus_outage_fails_the_record_for_retry_without_duplicating_the_audit(stack, bus_tap, monkeypatch):
    from salesportal import bus

    def refuse(*args, **kwargs):
        raise bus.PublishFailed("EventBridge rejected 1 entries: ['InternalFailure']")

    monkeypatch.setattr(bus, "publish", refuse)
    # Every record failed: the invocation fails and Lambda retries the whole batch.
    with pytest.raises(BatchProcessingError):
        stack.invoke("stream_processor", SAMPLE)
    monkeypatch.undo()

    assert stack.invoke("stream_processor", SAMPLE) == {"batchItemFailures": []}
    sub = SAMPLE["Records"][0]["dynamodb"]["NewImage"]["entityId"]["S"]
    assert len(_history(stack, f"customer#{sub}")) == 2
    assert len(bus_tap()) == 2


def test_changes_in_the_same_second_keep_their_commit_order(stack, bus_tap):
    changes = copy.deepcopy(SAMPLE)
    first, second = changes["Records"][:2]
    second["dynamodb"]["ApproximateCreationDateTime"] = first["dynamodb"]["ApproximateCreationDateTime"]
    # Event ids sort the wrong way round, and sequence numbers grow in length: order must come from the sequence.
    first["eventID"], first["dynamodb"]["SequenceNumber"] = "z-first", "9"
    second["eventID"], second["dynamodb"]["SequenceNumber"] = "a-second", "10"
    assert stack.invoke("stream_processor", changes) == {"batchItemFailures": []}
    sub = first["dynamodb"]["NewImage"]["entityId"]["S"]
    assert [h["action"]["S"] for h in _history(stack, f"customer#{sub}")] == ["created", "updated"]
