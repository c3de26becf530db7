"""The daily renewal run (reminders, dunning, roll-over, lapse) and notifications sent once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.support.api import body_of
from tests.support.funnel import Funnel, outbox_message, signed_up

TODAY = date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _no_other_policies(stack):
    """The daily run reports over every policy in the table: each test counts its own only."""
    stack.reset_tables("sales")


@pytest.fixture
def funnel(stack):
    return Funnel(stack)


def _run(stack, day=TODAY):
    return stack.invoke(
        "renewals", {"time": f"{day.isoformat()}T06:00:00Z", "detail-type": "Scheduled Event"}
    )


def _set_term(stack, funnel, policy_id, start, end):
    stack.client("dynamodb").update_item(
        TableName=stack.physical.tables["sales"],
        Key={"pk": {"S": f"CUSTOMER#{funnel.sub}"}, "sk": {"S": f"POLICY#{policy_id}"}},
        UpdateExpression="SET termStart = :s, termEnd = :e, statusSort = :e",
        ExpressionAttributeValues={":s": {"S": start.isoformat()}, ":e": {"S": end.isoformat()}},
    )


def _children(stack, funnel, prefix):
    items = stack.client("dynamodb").query(
        TableName=stack.physical.tables["sales"],
        KeyConditionExpression="pk = :pk AND begins_with(sk, :p)",
        ExpressionAttributeValues={":pk": {"S": f"CUSTOMER#{funnel.sub}"}, ":p": {"S": prefix}},
    )["Items"]
    return items


def test_a_policy_ending_within_a_week_gets_one_reminder_however_often_the_job_runs(funnel, stack):
    policy = funnel.active_policy()
    _set_term(stack, funnel, policy["policyId"], TODAY - timedelta(days=360), TODAY + timedelta(days=6))
    assert _run(stack)["reminders"] == 1
    assert _run(stack)["reminders"] == 0
    (reminder,) = _children(stack, funnel, f"REMINDER#{policy['policyId']}")
    assert reminder["daysBefore"] == {"N": "7"}  # only the tightest reminder, never a stale 30-day one


def test_an_unpaid_renewal_is_charged_daily_then_lapses_after_the_last_attempt(funnel, stack):
    policy = funnel.issued_policy()
    assert funnel.pay(policy["policyId"], "tok_chargeDeclined", "initial-decline")["statusCode"] == 402
    # Paid by a card that will decline later: the stand-in declines by token, so store that token.
    assert funnel.pay(policy["policyId"], "tok_visa", "initial-good-01")["statusCode"] == 201
    end = TODAY + timedelta(days=40)
    _set_term(stack, funnel, policy["policyId"], end - timedelta(days=365), end)
    renew_path = (
        f"/policies/{policy['policyId']}/renewal",
        "/policies/{policyId}/renewal",
        {"policyId": policy["policyId"]},
    )
    renewed = funnel.call("policies", "POST", *renew_path)
    assert renewed["statusCode"] == 200, renewed
    renewal = body_of(renewed)["renewal"]
    assert renewal["status"] == "PENDING_PAYMENT" and renewal["termStart"] == end.isoformat()
    assert funnel.call("policies", "POST", *renew_path)["statusCode"] == 409  # requested once
    stack.client("dynamodb").update_item(
        TableName=stack.physical.tables["sales"],
        Key={"pk": {"S": f"CUSTOMER#{funnel.sub}"}, "sk": {"S": f"POLICY#{policy['policyId']}"}},
        UpdateExpression="SET paymentMethod = :m",
        ExpressionAttributeValues={":m": {"S": "tok_chargeDeclined"}},
    )
    for days_before in (7, 6, 5):
        summary = _run(stack, end - timedelta(days=days_before))
        assert summary["declined"] == 1, summary
    assert _run(stack, end - timedelta(days=5))["declined"] == 0  # at most one attempt a day
    assert _run(stack, end - timedelta(days=4))["declined"] == 0  # three attempts, then no more
    failed = [
        p for p in _children(stack, funnel, f"PAYMENT#{policy['policyId']}") if p["purpose"]["S"] == "RENEWAL"
    ]
    assert len(failed) == 3 and {p["status"]["S"] for p in failed} == {"FAILED"}
    assert _run(stack, end)["termsEnded"] == 1
    assert funnel.policy(policy["policyId"])["status"] == "LAPSED"


def test_a_paid_renewal_rolls_the_policy_into_its_next_term(funnel, stack):
    policy = funnel.active_policy()
    # Requesting a renewal goes by the function's clock, not the run's day: the term ends
    # ten days after the real today, inside the renewal window whenever the test runs.
    end = datetime.now(UTC).date() + timedelta(days=10)
    _set_term(stack, funnel, policy["policyId"], end - timedelta(days=365), end)
    renewal_path = (
        f"/policies/{policy['policyId']}/renewal",
        "/policies/{policyId}/renewal",
        {"policyId": policy["policyId"]},
    )
    assert funnel.call("policies", "POST", *renewal_path)["statusCode"] == 200
    assert funnel.pay(policy["policyId"], "tok_visa", "renewal-pay-01")["statusCode"] == 201
    assert funnel.policy(policy["policyId"])["renewal"]["status"] == "PAID"
    assert _run(stack, end)["termsEnded"] == 1
    rolled = funnel.policy(policy["policyId"])
    assert (
        rolled["status"] == "ACTIVE" and rolled["termStart"] == end.isoformat() and rolled["renewal"] is None
    )


def test_a_policy_issued_event_is_sent_by_email_and_sms_once_and_listed(stack):
    funnel = signed_up(stack, "dana@example.com", sms=True)
    message = outbox_message(
        "PolicyCreated", funnel.sub, "policy", "01JD8X3K9Q2M4N6P8R0T2V4W6Z", {"policyNumber": "TL-2026-AAAA"}
    )
    assert stack.invoke("notifications", message) == {"batchItemFailures": []}
    assert stack.invoke("notifications", message) == {"batchItemFailures": []}  # redelivered: sent once
    listed = body_of(funnel.call("my_notifications", "GET", "/me/notifications"))["items"]
    assert sorted(n["channel"] for n in listed) == ["email", "sms"]
    assert {n["subject"] for n in listed} == {"Policy TL-2026-AAAA issued"}
    sent = stack.client("sesv2").list_email_identities()  # the sender stays the only identity
    assert [i["IdentityName"] for i in sent["EmailIdentities"]] == [stack.physical.notification_sender]


def test_an_email_provider_failure_fails_the_message_and_records_nothing(stack):
    funnel = signed_up(stack, "dana@example.com")
    stack.client("ses").delete_identity(
        Identity=stack.physical.notification_sender
    )  # SES now refuses to send
    message = outbox_message(
        "PolicyCreated", funnel.sub, "policy", "01JD8X3K9Q2M4N6P8R0T2V4W6Z", {"policyNumber": "TL-2026-AAAA"}
    )
    assert len(stack.invoke("notifications", message)["batchItemFailures"]) == 1
    assert body_of(funnel.call("my_notifications", "GET", "/me/notifications"))["items"] == []


def test_events_a_customer_is_not_told_about_send_nothing(funnel, stack):
    message = outbox_message("QuoteCreated", funnel.sub, "quote", "01JD8X3K9Q2M4N6P8R0T2V4W6Y")
    assert stack.invoke("notifications", message) == {"batchItemFailures": []}
    assert body_of(funnel.call("my_notifications", "GET", "/me/notifications"))["items"] == []


def test_dunning_does_not_charge_beside_a_processing_renewal_payment_and_the_term_waits_for_it(funnel, stack):
    import httpx

    def renewal_intents():
        ledger = httpx.get(f"{stack.standins.control_url}/ledger").json()
        return [
            i
            for i in ledger["paymentIntents"]
            if i["metadata"].get("policyId") == policy["policyId"]
            and i["metadata"].get("purpose") == "RENEWAL"
        ]

    policy = funnel.active_policy()
    end = TODAY + timedelta(days=40)
    _set_term(stack, funnel, policy["policyId"], end - timedelta(days=365), end)
    stack.client("dynamodb").update_item(  # the renewal's own date check uses today: open its window
        TableName=stack.physical.tables["sales"],
        Key={"pk": {"S": f"CUSTOMER#{funnel.sub}"}, "sk": {"S": f"POLICY#{policy['policyId']}"}},
        UpdateExpression="SET renewal = :r",
        ExpressionAttributeValues={
            ":r": {
                "M": {
                    "termStart": {"S": end.isoformat()},
                    "termEnd": {"S": (end + timedelta(days=365)).isoformat()},
                    "annualPremium": {"M": {"amountCents": {"N": "41000"}, "currency": {"S": "USD"}}},
                    "status": {"S": "PENDING_PAYMENT"},
                    "attempts": {"N": "0"},
                }
            }
        },
    )
    stack.standins.config.webhook_url = None
    assert funnel.pay(policy["policyId"], "tok_async", "renewal-async-01")["statusCode"] == 202
    assert len(renewal_intents()) == 1
    summary = _run(stack, end - timedelta(days=5))  # dunning day: a charge is in flight already
    assert summary["charged"] == 0 and summary["declined"] == 0, summary
    assert _run(stack, end)["termsEnded"] == 0  # the term waits for the payment's outcome
    assert funnel.policy(policy["policyId"])["status"] == "ACTIVE"
    assert len(renewal_intents()) == 1  # nothing charged beside it
