"""Analytics: events counted once into day counters, sign-ins, and the admin's range query."""

from __future__ import annotations

import copy
import dataclasses
from datetime import UTC, datetime

import pytest

from tests.support.api import body_of, claims
from tests.support.funnel import AGENT, Funnel, outbox_message
from tests.support.lambdas import invoke, sample_event

ADMIN = claims("7f4e9a1c-3d5b-4c8e-a02f-9b1d4c6e8a03", "customers,admins")
TODAY = datetime.now(UTC).date().isoformat()


def _analytics(stack, query, who=ADMIN):
    return Funnel(stack).call("analytics", "GET", "/admin/analytics", query=query, caller=who)


def _today(stack):
    return body_of(_analytics(stack, {"from": TODAY, "to": TODAY}))["totals"]


def test_an_event_is_counted_once_even_when_redelivered(stack):
    quote = outbox_message("QuoteCreated", "c-1", "quote", "q-1", {"status": "QUOTED"})
    assert stack.invoke("analytics_recorder", quote) == {"batchItemFailures": []}
    assert stack.invoke("analytics_recorder", copy.deepcopy(quote)) == {"batchItemFailures": []}
    paid = outbox_message(
        "PaymentCreated", "c-1", "payment", "p-1", {"status": "SUCCEEDED", "amountCents": 4200}
    )
    stack.invoke("analytics_recorder", paid)
    stack.invoke(
        "analytics_recorder",
        outbox_message("ApplicationStatusChanged", "c-1", "application", "a-1", {"status": "APPROVED"}),
    )
    totals = _today(stack)
    assert (
        totals["quotes"] == 1 and totals["premiumWrittenCents"] == 4200 and totals["paymentsSucceeded"] == 1
    )
    assert totals["applicationsByStatus"]["APPROVED"] == 1 and totals["approvalRate"] == 1.0


def test_sign_ins_are_counted_with_distinct_users_and_never_block(stack):
    event = sample_event("sign_in_recorder", "sign_in")
    assert stack.invoke("sign_in_recorder", copy.deepcopy(event)) == event  # Cognito needs it back
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


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"from": TODAY},
        {"from": "2026-13-01", "to": TODAY},
        {"from": "yesterday", "to": TODAY},
        {"from": "2026-11-22", "to": "2026-11-01"},
        {"from": "2025-01-01", "to": "2026-11-22"},
    ],
)
def test_malformed_ranges_are_refused(stack, query):
    response = _analytics(stack, query)
    assert response["statusCode"] == 400 and body_of(response)["error"]["code"] == "invalid_parameter"


def test_only_admins_read_analytics(stack):
    for who in (claims("8a1f0c2e-4b6d-4e1a-9c3b-2f5e7d9a1b3c"), AGENT):
        assert _analytics(stack, {"from": TODAY, "to": TODAY}, who)["statusCode"] == 403
