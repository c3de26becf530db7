"""Analytics: events counted once into day counters, sign-ins, and the admin's range query."""

from __future__ import annotations

import copy
import dataclasses
import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from infrastructure.local.runners import sqs_record
from infrastructure.local.users import create_user, sign_in
from salesportal.domain.analytics import COUNTED_EVENTS
from tests.integration.test_policies_and_payments import _intents_for, _webhook
from tests.support.api import body_of, claims
from tests.support.funnel import AGENT, Funnel, outbox_message, signed_up
from tests.support.lambdas import invoke, sample_event
from tests.support.outbox import through_stream_processor

ADMIN = claims("7f4e9a1c-3d5b-4c8e-a02f-9b1d4c6e8a03", "customers,admins")
TODAY = datetime.now(UTC).date().isoformat()


@pytest.fixture(autouse=True)
def _nothing_counted(stack):
    """Totals are over every event of a day, and the outbox is read from its streams' start:
    each test starts with no counter and no change in the outbox tables."""
    stack.reset_tables("analytics", "customers", "sales", "ai-queries")


def _analytics(stack, query, who=ADMIN):
    return Funnel(stack).call("analytics", "GET", "/admin/analytics", query=query, caller=who)


def _range(stack, first: str, last: str) -> dict[str, Any]:
    response = _analytics(stack, {"from": first, "to": last})
    assert response["statusCode"] == 200, response
    return body_of(response)  # type: ignore[no-any-return]


def _today(stack):
    return _range(stack, TODAY, TODAY)["totals"]


def _on(message: dict[str, Any], occurred_at: str) -> dict[str, Any]:
    """The same outbox message, its event stamped at another time."""
    body = json.loads(message["Records"][0]["body"])
    body["detail"]["occurredAt"] = occurred_at
    message["Records"][0]["body"] = json.dumps(body)
    return message


def _outbox_to_analytics(stack) -> list[str]:
    """What AWS does between committed writes and the recorder: every record of the outbox
    tables' streams through the stream processor, the bus's rule into the analytics queue,
    and that queue's messages to the recorder. Returns the detail types the queue delivered."""
    through_stream_processor(stack)
    sqs, url = stack.client("sqs"), stack.physical.queue_urls["analytics"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    delivered = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        event = {"Records": [sqs_record(m, queue_arn, "us-east-1") for m in messages]}
        assert stack.invoke("analytics_recorder", event) == {"batchItemFailures": []}
        sqs.delete_message_batch(
            QueueUrl=url,
            Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)],
        )
        delivered += [json.loads(m["Body"])["detail-type"] for m in messages]
    return delivered


def test_a_real_funnel_is_counted_from_the_events_the_outbox_publishes(stack):
    funnel = signed_up(stack, "ana@example.com")
    funnel.quote()  # a quote nobody applies for
    policy = funnel.issued_policy()
    declined = funnel.pay(policy["policyId"], "tok_chargeDeclined", "analytics-0001")
    assert declined["statusCode"] == 402
    paid = funnel.pay(policy["policyId"], "tok_visa", "analytics-0002")
    assert paid["statusCode"] == 201
    asked = funnel.call(
        "ai_queries", "POST", "/ai/queries", body={"question": "How many policies?"}, caller=AGENT
    )
    assert asked["statusCode"] == 202

    delivered = _outbox_to_analytics(stack)

    # The names the queue subscribes to are the ones the outbox really publishes.
    assert set(COUNTED_EVENTS) - set(delivered) == {"PaymentStatusChanged"}  # only a webhook settles
    assert "PolicyStatusChanged" not in delivered and "CustomerUpdated" not in delivered
    expected = {
        "signUps": 1,
        "quotes": 2,
        "applications": 1,
        "applicationsByStatus": {
            "SUBMITTED": 1,
            "UNDER_REVIEW": 0,
            "REFERRED": 0,
            "APPROVED": 1,
            "DECLINED": 0,
            "ACCEPTED": 1,
        },
        "approvalRate": 1.0,
        "policies": 1,
        "quoteToPolicyConversion": 0.5,
        "premiumWrittenCents": body_of(paid)["amount"]["amountCents"],
        "paymentsSucceeded": 1,
        "paymentsFailed": 1,
        "aiQueries": 1,
    }
    totals = _today(stack)
    assert {k: totals[k] for k in expected} == expected and expected["premiumWrittenCents"] > 0

    # The whole stream again (a replayed shard, redelivered messages): nothing counts twice.
    assert sorted(_outbox_to_analytics(stack)) == sorted(delivered)
    assert _today(stack) == totals


def test_a_payment_settled_later_by_the_webhook_is_written_when_it_settles(stack):
    funnel = Funnel(stack)
    policy = funnel.issued_policy()
    stack.standins.config.webhook_url = None  # the test delivers the gateway's event itself
    pending = funnel.pay(policy["policyId"], "tok_async", "analytics-async-0001")
    assert pending["statusCode"] == 202
    time.sleep(0.3)  # the gateway settles it
    (intent,) = _intents_for(stack, policy["policyId"])
    settled = {
        "id": "evt_analytics_0001",
        "object": "event",
        "type": "payment_intent.succeeded",
        "created": int(time.time()),
        "data": {"object": intent},
    }
    assert body_of(_webhook(stack, settled))["outcome"] == "settled"

    delivered = _outbox_to_analytics(stack)

    assert delivered.count("PaymentCreated") == 1 and delivered.count("PaymentStatusChanged") == 1
    totals = _today(stack)
    assert totals["paymentsSucceeded"] == 1 and totals["paymentsFailed"] == 0
    assert totals["premiumWrittenCents"] == body_of(pending)["amount"]["amountCents"] > 0


def test_an_event_is_counted_once_even_when_redelivered(stack):
    quote = outbox_message("QuoteCreated", "c-1", "quote", "q-1", {"status": "QUOTED"})
    assert stack.invoke("analytics_recorder", quote) == {"batchItemFailures": []}
    assert stack.invoke("analytics_recorder", copy.deepcopy(quote)) == {"batchItemFailures": []}
    paid = outbox_message(
        "PaymentCreated", "c-1", "payment", "p-1", {"status": "SUCCEEDED", "amountCents": 4200}
    )
    stack.invoke("analytics_recorder", paid)
    stack.invoke("analytics_recorder", copy.deepcopy(paid))
    stack.invoke(
        "analytics_recorder",
        outbox_message("ApplicationStatusChanged", "c-1", "application", "a-1", {"status": "APPROVED"}),
    )
    totals = _today(stack)
    assert (
        totals["quotes"] == 1 and totals["premiumWrittenCents"] == 4200 and totals["paymentsSucceeded"] == 1
    )
    assert totals["applicationsByStatus"]["APPROVED"] == 1 and totals["approvalRate"] == 1.0


def test_a_batch_with_a_failing_record_counts_the_others_and_retries_only_that_one(stack):
    good = outbox_message("QuoteCreated", "c-1", "quote", "q-1", {"status": "QUOTED"})
    bad = _on(outbox_message("QuoteCreated", "c-1", "quote", "q-2", {"status": "QUOTED"}), "not-a-time")
    batch = {"Records": good["Records"] + bad["Records"]}
    result = stack.invoke("analytics_recorder", batch)
    assert result == {"batchItemFailures": [{"itemIdentifier": bad["Records"][0]["messageId"]}]}
    assert _today(stack)["quotes"] == 1


def test_the_range_holds_its_own_days_only_each_reported_even_when_empty(stack):
    for day in ("2026-01-01", "2026-01-02", "2026-01-05", "2026-01-06"):
        quote = outbox_message("QuoteCreated", "c-1", "quote", f"q-{day}", {"status": "QUOTED"})
        stack.invoke("analytics_recorder", _on(quote, f"{day}T12:00:00+00:00"))
    body = _range(stack, "2026-01-02", "2026-01-05")
    assert body["from"] == "2026-01-02" and body["to"] == "2026-01-05"
    assert body["totals"]["quotes"] == 2
    assert [(d["day"], d["quotes"]) for d in body["days"]] == [
        ("2026-01-02", 1),
        ("2026-01-03", 0),
        ("2026-01-04", 0),
        ("2026-01-05", 1),
    ]


def test_sign_ins_are_counted_with_distinct_users_and_the_event_returned_unchanged(stack, caplog):
    event = sample_event("sign_in_recorder", "sign_in")
    with caplog.at_level("INFO"):
        assert stack.invoke("sign_in_recorder", copy.deepcopy(event)) == event  # Cognito needs it back
    logged = [str(vars(r)) for r in caplog.records]
    assert any("sign-in counted" in line for line in logged)
    assert not any(event["request"]["userAttributes"]["email"] in line for line in logged)
    stack.invoke("sign_in_recorder", copy.deepcopy(event))
    other = copy.deepcopy(event)
    other["request"]["userAttributes"]["sub"] = "9b2e1d3f-5c7a-4f2b-8d4c-3a6f8e0b2c4d"
    stack.invoke("sign_in_recorder", other)
    totals = _today(stack)
    assert totals["signIns"] == 3 and totals["activeUsers"] == 2 and totals["signInsPerUser"] == 1.5


def test_a_failing_counter_does_not_block_the_sign_in(stack):
    broken = dataclasses.replace(
        stack.physical, tables={**stack.physical.tables, "analytics": "no-such-table"}
    )
    event = sample_event("sign_in_recorder", "sign_in")
    assert invoke("sign_in_recorder", copy.deepcopy(event), broken) == event
    assert _today(stack)["signIns"] == 0  # the failure path ran: nothing was counted


def test_the_offline_sign_in_fires_the_post_authentication_trigger_as_cognito_does(stack):
    cognito, pool = stack.client("cognito-idp"), stack.physical.user_pool_id
    password = f"Pw-{uuid.uuid4().hex[:12]}-9!"
    sub = create_user(
        cognito, pool, stack.user_pool_client_id, "signs.in@example.com", password, [], stack.invoke
    )
    fired: list[dict[str, Any]] = []

    def recorded(function: str, event: dict[str, Any]) -> Any:
        fired.append(copy.deepcopy(event))
        return stack.invoke(function, event)

    tokens = sign_in(cognito, pool, stack.user_pool_client_id, "signs.in@example.com", password, recorded)
    assert tokens["IdToken"] and tokens["AccessToken"]
    ((event),) = fired
    assert event["triggerSource"] == "PostAuthentication_Authentication" and event["userPoolId"] == pool
    assert event["request"]["userAttributes"]["sub"] == sub
    assert event["request"]["userAttributes"]["cognito:user_status"] == "CONFIRMED"
    with pytest.raises(cognito.exceptions.NotAuthorizedException):
        sign_in(cognito, pool, stack.user_pool_client_id, "signs.in@example.com", "Wrong-pass-1!", recorded)
    assert len(fired) == 1  # a refused sign-in fires nothing
    totals = _today(stack)
    assert totals["signIns"] == 1 and totals["activeUsers"] == 1


@pytest.mark.parametrize(
    ("query", "parameters"),
    [
        ({}, {"from", "to"}),
        ({"from": TODAY}, {"to"}),
        ({"from": "2026-13-01", "to": TODAY}, {"from"}),
        ({"from": "yesterday", "to": TODAY}, {"from"}),
        ({"from": TODAY, "to": "2026-02-30"}, {"to"}),
        ({"from": "2026-11-22", "to": "2026-11-01"}, {"from"}),
        ({"from": "2025-01-01", "to": "2026-11-22"}, {"to"}),  # 691 days
    ],
)
def test_malformed_ranges_are_refused_naming_the_parameter(stack, query, parameters):
    response = _analytics(stack, query)
    error = body_of(response)["error"]
    assert response["statusCode"] == 400 and error["code"] == "invalid_parameter"
    assert {d["field"].removeprefix("query.") for d in error["details"]} == parameters


def test_a_full_year_is_served(stack):
    body = _range(stack, "2024-01-01", "2024-12-31")  # a leap year: 366 days
    assert len(body["days"]) == 366 and body["totals"]["quotes"] == 0


def test_only_admins_read_analytics(stack):
    for who in (claims("8a1f0c2e-4b6d-4e1a-9c3b-2f5e7d9a1b3c"), AGENT):
        response = _analytics(stack, {"from": TODAY, "to": TODAY}, who)
        assert response["statusCode"] == 403 and body_of(response)["error"]["code"] == "forbidden"
