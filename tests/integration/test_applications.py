"""Applications and underwriting: from an own, unexpired quote to a decision a person can read."""

from __future__ import annotations

import json

import pytest

from salesportal.domain.underwriting import REFERRED_NOTE, declared
from tests.support.api import body_of, claims, header_of
from tests.support.funnel import AGENT, Funnel, failed_ids
from tests.support.lambdas import load_handler

OTHER = "0b7e9d4c-1111-4a2b-8c3d-000000000002"


@pytest.fixture
def funnel(stack):
    return Funnel(stack)


def _stored_application(stack, sub, application_id):
    return stack.client("dynamodb").get_item(
        TableName=stack.physical.tables["sales"],
        Key={"pk": {"S": f"CUSTOMER#{sub}"}, "sk": {"S": f"APPLICATION#{application_id}"}},
    )["Item"]


def test_an_application_from_an_own_quote_is_accepted_for_underwriting(funnel):
    quote = funnel.quote()
    response = funnel.apply(quote["quoteId"])
    assert response["statusCode"] == 202
    application = body_of(response)
    assert application["status"] == "SUBMITTED" and application["quoteId"] == quote["quoteId"]
    assert application["quotedAnnualPremium"] == quote["annualPremium"]
    assert header_of(response, "Location") == f"/v1/applications/{application['applicationId']}"
    assert "identity" not in application and "declarations" not in application  # never echoed back
    listed = body_of(funnel.call("applications", "GET", "/applications"))
    assert [a["applicationId"] for a in listed["items"]] == [application["applicationId"]]


def test_applying_twice_from_one_quote_returns_the_first_application(funnel):
    quote_id = funnel.quote()["quoteId"]
    first, second = body_of(funnel.apply(quote_id)), body_of(funnel.apply(quote_id))
    assert first["applicationId"] == second["applicationId"]
    assert len(body_of(funnel.call("applications", "GET", "/applications"))["items"]) == 1


def test_an_expired_quote_cannot_be_applied_for(funnel, stack):
    quote_id = funnel.quote()["quoteId"]
    stack.client("dynamodb").update_item(
        TableName=stack.physical.tables["sales"],
        Key={"pk": {"S": f"CUSTOMER#{funnel.sub}"}, "sk": {"S": f"QUOTE#{quote_id}"}},
        UpdateExpression="SET expiresAt = :past",
        ExpressionAttributeValues={":past": {"S": "2020-01-01T00:00:00+00:00"}},
    )
    response = funnel.apply(quote_id)
    assert response["statusCode"] == 410
    assert body_of(response)["error"]["code"] == "quote_expired"
    assert body_of(funnel.call("applications", "GET", "/applications"))["items"] == []


def test_another_customers_quote_is_not_found(funnel, stack):
    quote_id = Funnel(stack, OTHER).quote()["quoteId"]
    response = funnel.apply(quote_id)
    assert response["statusCode"] == 404
    assert body_of(response)["error"]["code"] == "quote_not_found"


def test_identity_must_match_the_quoted_date_of_birth(funnel):
    response = funnel.apply(funnel.quote()["quoteId"], identity={"dateOfBirth": "1990-01-01"})
    assert response["statusCode"] == 422
    assert body_of(response)["error"]["details"][0]["field"] == "identity.dateOfBirth"


def test_an_application_without_consent_or_answers_is_refused_naming_the_fields(funnel):
    response = funnel.call(
        "applications", "POST", "/applications", body={"quoteId": funnel.quote()["quoteId"], "identity": {}}
    )
    assert response["statusCode"] == 422
    fields = {d["field"] for d in body_of(response)["error"]["details"]}
    assert {"declarations", "consentToChecks", "identity.givenName"} <= fields


def test_a_clean_applicant_is_approved_by_the_rules(funnel, stack):
    application = body_of(funnel.apply(funnel.quote()["quoteId"]))
    assert funnel.underwrite(application["applicationId"]) == {"batchItemFailures": []}
    decided = funnel.application(application["applicationId"])
    assert decided["status"] == "APPROVED"
    assert decided["decision"]["decidedBy"] == "underwriting-rules"
    assert decided["decision"]["annualPremium"] == application["quotedAnnualPremium"]
    # a redelivered message decides nothing twice
    assert funnel.underwrite(application["applicationId"]) == {"batchItemFailures": []}
    assert funnel.application(application["applicationId"])["decision"] == decided["decision"]


def test_an_unverified_identity_is_declined_with_a_readable_reason(funnel):
    application = body_of(funnel.apply(funnel.quote()["quoteId"], identity={"familyName": "Unverified"}))
    funnel.underwrite(application["applicationId"])
    decided = funnel.application(application["applicationId"])
    assert decided["status"] == "DECLINED"
    assert decided["decision"]["reasons"] == ["We could not verify your identity with the details given."]


def test_two_declared_conditions_are_declined_and_one_is_referred(funnel):
    both = body_of(
        funnel.apply(
            funnel.quote()["quoteId"], declarations={"chronicCondition": True, "hazardousActivities": True}
        )
    )
    one = body_of(funnel.apply(funnel.quote()["quoteId"], declarations={"hospitalizedLast5Years": True}))
    funnel.underwrite(both["applicationId"])
    funnel.underwrite(one["applicationId"])
    declined = funnel.application(both["applicationId"])
    assert declined["status"] == "DECLINED"
    # What the customer reads: what they told us, and never that a person will look again.
    assert declined["decision"]["reasons"] == [declared("chronicCondition"), declared("hazardousActivities")]
    referred = funnel.application(one["applicationId"])
    assert referred["status"] == "REFERRED"
    assert referred["decision"]["reasons"] == [
        "You told us you were admitted to hospital in the last five years.",
        REFERRED_NOTE,
    ]


def test_a_kyc_outage_is_retried_and_the_last_attempt_holds_the_application_for_review(funnel, stack):
    application_id = body_of(funnel.apply(funnel.quote()["quoteId"]))["applicationId"]
    stack.standins.state.faults["kyc"] = "down"
    first = funnel.underwrite(application_id, receive_count=1)
    assert len(failed_ids(first)) == 1  # back on the queue, with a backoff
    assert funnel.application(application_id)["status"] == "SUBMITTED"
    last = funnel.underwrite(application_id, receive_count=5)
    assert len(failed_ids(last)) == 1  # to the DLQ (alarmed) ...
    assert funnel.application(application_id)["status"] == "UNDER_REVIEW"  # ... and never silent
    stored = _stored_application(stack, funnel.sub, application_id)
    assert "kyc unavailable" in stored["reviewNote"]["S"]
    # Redriven from the DLQ once KYC is back, the rules decide it after all.
    stack.standins.state.faults.clear()
    assert funnel.underwrite(application_id) == {"batchItemFailures": []}
    assert funnel.application(application_id)["status"] == "APPROVED"


def test_a_bureau_error_is_retried_not_decided(funnel, stack):
    application_id = body_of(funnel.apply(funnel.quote()["quoteId"]))["applicationId"]
    stack.standins.state.faults["bureau"] = "error"
    assert len(failed_ids(funnel.underwrite(application_id))) == 1
    assert funnel.application(application_id)["status"] == "SUBMITTED"


def test_an_agent_approves_a_referred_application_with_an_adjustment_recorded_with_who_and_why(funnel, stack):
    stack.reset_tables("sales")  # the review queue is every customer's: this test reads all of it
    application = body_of(funnel.apply(funnel.quote()["quoteId"], declarations={"chronicCondition": True}))
    funnel.underwrite(application["applicationId"])
    queue = body_of(
        funnel.call("review", "GET", "/admin/applications", caller=AGENT, query={"status": "REFERRED"})
    )
    assert [i["applicationId"] for i in queue["items"]] == [application["applicationId"]]
    assert queue["items"][0]["declarations"]["chronicCondition"] is True
    assert queue["items"][0]["risk"]["score"] == 650
    response = funnel.call(
        "review",
        "PUT",
        f"/admin/applications/{application['applicationId']}/decision",
        "/admin/applications/{applicationId}/decision",
        {"applicationId": application["applicationId"]},
        caller=AGENT,
        body={"outcome": "APPROVE", "reason": "Condition well controlled.", "premiumAdjustmentBps": 1500},
    )
    assert response["statusCode"] == 200, response
    decided = funnel.application(application["applicationId"])
    assert decided["status"] == "APPROVED"
    assert decided["decision"]["decidedBy"] == f"agent:{AGENT['sub']}"
    assert decided["decision"]["reasons"] == ["Condition well controlled."]
    quoted = application["quotedAnnualPremium"]["amountCents"]
    assert decided["decision"]["annualPremium"]["amountCents"] == round(quoted * 1.15)
    assert body_of(funnel.call("review", "GET", "/admin/applications", caller=AGENT))["items"] == []
    again = funnel.call(
        "review",
        "PUT",
        f"/admin/applications/{application['applicationId']}/decision",
        "/admin/applications/{applicationId}/decision",
        {"applicationId": application["applicationId"]},
        caller=AGENT,
        body={"outcome": "DECLINE", "reason": "Changed my mind."},
    )
    assert again["statusCode"] == 409
    assert body_of(again)["error"]["details"] == {"status": "APPROVED"}


def test_customers_cannot_use_the_review_queue(funnel):
    response = funnel.call("review", "GET", "/admin/applications", caller=claims(funnel.sub))
    assert response["statusCode"] == 403


def _referred(funnel):
    application = body_of(funnel.apply(funnel.quote()["quoteId"], declarations={"chronicCondition": True}))
    funnel.underwrite(application["applicationId"])
    assert funnel.application(application["applicationId"])["status"] == "REFERRED"
    return application["applicationId"]


def _decide(funnel, application_id, body, caller=AGENT):
    return funnel.call(
        "review",
        "PUT",
        f"/admin/applications/{application_id}/decision",
        "/admin/applications/{applicationId}/decision",
        {"applicationId": application_id},
        caller=caller,
        body=body,
    )


@pytest.mark.parametrize("groups", ["customers,agents", "customers,admins"])
def test_nobody_decides_an_application_they_applied_for(stack, groups):
    staff = Funnel(stack, AGENT["sub"])  # an agent (or admin) who is also a customer
    application_id = _referred(staff)
    response = _decide(
        staff,
        application_id,
        {"outcome": "APPROVE", "reason": "Looks fine to me.", "premiumAdjustmentBps": -2500},
        caller=claims(AGENT["sub"], groups),
    )
    assert response["statusCode"] == 403
    assert body_of(response)["error"]["code"] == "own_application"
    assert staff.application(application_id)["status"] == "REFERRED"  # nothing decided
    # Another agent may.
    other = claims("7e4a1c2b-3d5f-4a6b-9c8d-0e1f2a3b4c5d", "agents")
    assert (
        _decide(staff, application_id, {"outcome": "DECLINE", "reason": "Too risky."}, caller=other)[
            "statusCode"
        ]
        == 200
    )


@pytest.mark.parametrize("bps", [-2501, -5000, 10001])
def test_an_adjustment_outside_the_configured_range_is_422_naming_the_field(funnel, bps):
    application_id = _referred(funnel)
    response = _decide(
        funnel, application_id, {"outcome": "APPROVE", "reason": "Fine.", "premiumAdjustmentBps": bps}
    )
    assert response["statusCode"] == 422, response
    error = body_of(response)["error"]
    assert "premiumAdjustmentBps" in error["message"]
    assert [d["field"] for d in error["details"]] == ["premiumAdjustmentBps"]
    assert funnel.application(application_id)["status"] == "REFERRED"


def test_a_narrower_configured_range_is_enforced(funnel, monkeypatch):
    monkeypatch.setenv("PREMIUM_ADJUSTMENT_MIN_BPS", "-1000")
    monkeypatch.setenv("PREMIUM_ADJUSTMENT_MAX_BPS", "2000")
    application_id = _referred(funnel)
    body = {"outcome": "APPROVE", "reason": "Fine.", "premiumAdjustmentBps": 2500}
    response = _decide(funnel, application_id, body)
    assert response["statusCode"] == 422
    assert body_of(response)["error"]["details"][0]["field"] == "premiumAdjustmentBps"
    assert _decide(funnel, application_id, {**body, "premiumAdjustmentBps": 2000})["statusCode"] == 200


@pytest.mark.parametrize(
    "body",
    [
        {"outcome": "APPROVE", "premiumAdjustmentBps": 1000},
        {"outcome": "APPROVE", "reason": "   ", "premiumAdjustmentBps": 1000},
        {"outcome": "DECLINE", "reason": "  \n "},
    ],
)
def test_a_decision_without_a_reason_is_422_naming_the_field(funnel, body):
    application_id = _referred(funnel)
    response = _decide(funnel, application_id, body)
    assert response["statusCode"] == 422
    assert "reason" in {d["field"] for d in body_of(response)["error"]["details"]}
    assert funnel.application(application_id)["status"] == "REFERRED"


def test_the_openapi_states_the_adjustment_bounds():
    document = json.loads(load_handler("review").app.get_openapi_json_schema())
    schema = document["components"]["schemas"]["DecisionRequest"]["properties"]["premiumAdjustmentBps"]
    assert (schema["minimum"], schema["maximum"]) == (-2500, 10000)
