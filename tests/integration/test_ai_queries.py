"""AI queries: 202 then poll; answered with the customer's data; retried on 429/5xx; owner-only."""

from __future__ import annotations

import pytest

from tests.support.api import body_of, claims, header_of
from tests.support.funnel import Funnel, failed_ids, outbox_message, signed_up

AGENT = claims("5d2c7e9a-1b3f-4a6c-8e0d-7f9b2a4c6e81", "agents")
OTHER_AGENT = claims("6e3d8f0b-2c4a-4b7d-9f1e-8a0c3b5d7f92", "agents")
ADMIN = claims("7f4e9a1c-3d5b-4c8e-a02f-9b1d4c6e8a03", "admins")


@pytest.fixture(autouse=True)
def _no_other_questions_or_customers(stack):
    """An asker's list and the customer search read the whole table: each test starts with none."""
    stack.reset_tables("ai-queries", "customers")


@pytest.fixture
def customer(stack):
    funnel = signed_up(stack, "dana@example.com")
    policy = funnel.active_policy()
    return funnel, policy


def _ask(stack, body, who=AGENT):
    return Funnel(stack).call("ai_queries", "POST", "/ai/queries", body=body, caller=who)


def _get(stack, query_id, who=AGENT):
    return Funnel(stack).call(
        "ai_queries",
        "GET",
        f"/ai/queries/{query_id}",
        "/ai/queries/{queryId}",
        {"queryId": query_id},
        caller=who,
    )


def _work(stack, query_id, receive_count=1):
    return stack.invoke(
        "ai_worker", outbox_message("AiQueryCreated", "", "ai_query", query_id, receive_count=receive_count)
    )


def test_a_question_about_a_customer_is_answered_from_their_data(stack, customer):
    funnel, _policy = customer
    response = _ask(stack, {"question": "Which policies does this customer hold?", "customerId": funnel.sub})
    assert response["statusCode"] == 202
    query = body_of(response)
    assert (
        query["status"] == "QUEUED"
        and header_of(response, "Location") == f"/v1/ai/queries/{query['queryId']}"
    )
    assert _work(stack, query["queryId"]) == {"batchItemFailures": []}
    answered = body_of(_get(stack, query["queryId"]))
    assert answered["status"] == "SUCCEEDED"
    assert answered["answer"].startswith("Dana Rivera has 1 policies (status: ACTIVE) and 1 applications.")
    assert answered["usage"]["totalTokens"] > 0 and answered["model"] == "gpt-4o-mini"
    assert answered["latencyMs"] >= 0
    assert _work(stack, query["queryId"]) == {"batchItemFailures": []}  # redelivered: unchanged
    assert body_of(_get(stack, query["queryId"]))["answer"] == answered["answer"]


def test_only_the_asker_or_an_admin_can_read_a_query(stack):
    query_id = body_of(_ask(stack, {"question": "How many policies were issued this week?"}))["queryId"]
    assert _get(stack, query_id, OTHER_AGENT)["statusCode"] == 404
    assert _get(stack, query_id, ADMIN)["statusCode"] == 200
    assert _get(stack, query_id, claims("c1", "customers"))["statusCode"] == 403


def test_a_rate_limit_is_retried_and_then_answered(stack):
    query_id = body_of(_ask(stack, {"question": "Summarise the book of business."}))["queryId"]
    stack.standins.state.faults["openai"] = "ratelimit-once"
    assert len(failed_ids(_work(stack, query_id, receive_count=1))) == 1
    assert body_of(_get(stack, query_id))["status"] == "RUNNING"
    assert _work(stack, query_id, receive_count=2) == {"batchItemFailures": []}
    assert body_of(_get(stack, query_id))["status"] == "SUCCEEDED"


def test_after_the_last_attempt_the_query_fails_with_a_reason(stack):
    query_id = body_of(_ask(stack, {"question": "Anything?"}))["queryId"]
    stack.standins.state.faults["openai"] = "error"
    assert len(failed_ids(_work(stack, query_id, receive_count=4))) == 1  # to the DLQ
    failed = body_of(_get(stack, query_id))
    assert failed["status"] == "FAILED" and "InternalServerError" in failed["failureReason"]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"question": ""}, 422, "validation_error"),
        ({"question": "x" * 2001}, 422, "validation_error"),
        ({"question": "Who?", "customerId": "no-such-customer"}, 404, "customer_not_found"),
        ({"question": "Who?", "extra": 1}, 422, "validation_error"),
    ],
)
def test_bad_questions_are_refused_and_nothing_is_queued(stack, body, status, code):
    response = _ask(stack, body)
    assert response["statusCode"] == status and body_of(response)["error"]["code"] == code


def test_customers_are_listed_by_last_change_and_found_by_email(stack, customer):
    funnel, _ = customer
    other = signed_up(stack, "sam@example.com")
    listed = body_of(Funnel(stack).call("customers", "GET", "/customers", caller=AGENT))["items"]
    assert [c["customerId"] for c in listed][:2] == [other.sub, funnel.sub]  # newest change first
    by_email = body_of(
        Funnel(stack).call(
            "customers", "GET", "/customers", caller=AGENT, query={"email": "dana@example.com"}
        )
    )
    assert [c["customerId"] for c in by_email["items"]] == [funnel.sub]
    one = Funnel(stack).call(
        "customers",
        "GET",
        f"/customers/{funnel.sub}",
        "/customers/{customerId}",
        {"customerId": funnel.sub},
        caller=AGENT,
    )
    assert body_of(one)["givenName"] == "Dana"
    assert (
        Funnel(stack).call("customers", "GET", "/customers", caller=claims(funnel.sub))["statusCode"] == 403
    )


def _list(stack, who=AGENT, **query):
    return Funnel(stack).call("ai_queries", "GET", "/ai/queries", caller=who, query=query or None)


def test_an_agent_reads_their_own_past_questions_newest_first_page_by_page(stack):
    asked = [body_of(_ask(stack, {"question": f"Question number {n}?"}))["queryId"] for n in range(3)]
    theirs = body_of(_ask(stack, {"question": "Someone else's question?"}, OTHER_AGENT))["queryId"]
    assert _work(stack, asked[2]) == {"batchItemFailures": []}

    first = body_of(_list(stack, limit="2"))
    assert [q["queryId"] for q in first["items"]] == [asked[2], asked[1]]
    assert first["items"][0]["status"] == "SUCCEEDED" and first["items"][0]["answer"]
    assert first["items"][1]["status"] == "QUEUED" and first["items"][1]["question"] == "Question number 1?"
    second = body_of(_list(stack, limit="2", nextToken=first["nextToken"]))
    assert [q["queryId"] for q in second["items"]] == [asked[0]] and second.get("nextToken") is None

    assert [q["queryId"] for q in body_of(_list(stack, OTHER_AGENT))["items"]] == [theirs]
    assert body_of(_list(stack, ADMIN))["items"] == []  # an admin's list is their own too


def test_an_expired_question_is_no_longer_listed(stack):
    kept = body_of(_ask(stack, {"question": "Still here?"}))["queryId"]
    gone = body_of(_ask(stack, {"question": "Expired already?"}))["queryId"]
    # TTL deletes lazily (up to days later): the item can outlive its expiry.
    stack.client("dynamodb").update_item(
        TableName=stack.physical.tables["ai-queries"],
        Key={"pk": {"S": f"QUERY#{gone}"}, "sk": {"S": "QUERY"}},
        UpdateExpression="SET expiresAtEpoch = :past",
        ExpressionAttributeValues={":past": {"N": "1000"}},
    )
    assert [q["queryId"] for q in body_of(_list(stack))["items"]] == [kept]


def test_another_askers_page_token_and_customers_are_refused(stack):
    for n in range(2):
        _ask(stack, {"question": f"Question number {n}?"})
    token = body_of(_list(stack, limit="1"))["nextToken"]
    refused = _list(stack, OTHER_AGENT, nextToken=token)
    assert refused["statusCode"] == 400 and body_of(refused)["error"]["code"] == "invalid_next_token"
    assert _list(stack, claims("c1", "customers"))["statusCode"] == 403
    assert _list(stack, limit="0")["statusCode"] == 400  # a bad query parameter names it
