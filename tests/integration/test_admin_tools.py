"""Admin tools: users and roles through Cognito's admin APIs (each change recorded for the
audit), and an entity's audit trail, newest first."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest

from tests.support.api import body_of, claims
from tests.support.funnel import AGENT, Funnel, signed_up
from tests.support.lambdas import sample_event
from tests.support.outbox import through_stream_processor

ADMIN = claims("7f4e9a1c-3d5b-4c8e-a02f-9b1d4c6e8a03", "customers,admins")
CUSTOMER = claims("8a1f0c2e-4b6d-4e1a-9c3b-2f5e7d9a1b3c")


def _call(stack, method, path, resource=None, params=None, who=ADMIN, **kwargs):
    function = "audit" if path.startswith("/admin/audit") else "users"
    return Funnel(stack).call(function, method, path, resource, params, caller=who, **kwargs)


def _roles(stack, user_id, groups, who=ADMIN):
    return _call(
        stack,
        "PUT",
        f"/admin/users/{user_id}/roles",
        "/admin/users/{userId}/roles",
        {"userId": user_id},
        who=who,
        body={"groups": groups},
    )


def _toggle(stack, user_id, action, who=ADMIN):
    return _call(
        stack,
        "POST",
        f"/admin/users/{user_id}/{action}",
        f"/admin/users/{{userId}}/{action}",
        {"userId": user_id},
        who=who,
    )


def _access_record(stack, user_id):
    return (
        stack.client("dynamodb")
        .get_item(
            TableName=stack.physical.tables["customers"],
            Key={"pk": {"S": f"CUSTOMER#{user_id}"}, "sk": {"S": "ACCESS"}},
        )
        .get("Item")
    )


def _groups_in_cognito(stack, user_id):
    cognito = stack.client("cognito-idp")
    pool = stack.physical.user_pool_id
    user = cognito.list_users(UserPoolId=pool, Filter=f'sub = "{user_id}"')["Users"][0]
    groups = cognito.admin_list_groups_for_user(UserPoolId=pool, Username=user["Username"])["Groups"]
    return sorted(g["GroupName"] for g in groups), user["Enabled"]


@pytest.fixture
def people(stack):
    return signed_up(stack, "rosa@example.com").sub, signed_up(stack, "lee@example.com").sub


def test_the_user_list_pages_with_next_token(stack, people):
    first = body_of(_call(stack, "GET", "/admin/users", query={"limit": "1"}))
    assert len(first["items"]) == 1 and first["nextToken"]
    second = body_of(
        _call(stack, "GET", "/admin/users", query={"limit": "1", "nextToken": first["nextToken"]})
    )
    assert len(second["items"]) == 1 and second["items"][0]["userId"] != first["items"][0]["userId"]


def test_an_admin_lists_users_by_group_and_status(stack, people):
    rosa, _lee = people
    everyone = body_of(_call(stack, "GET", "/admin/users", query={"limit": "10"}))["items"]
    assert {u["userId"] for u in everyone} >= set(people)
    assert next(u for u in everyone if u["userId"] == rosa)["groups"] == ["customers"]
    assert _roles(stack, rosa, ["customers", "agents"])["statusCode"] == 200
    agents = body_of(_call(stack, "GET", "/admin/users", query={"group": "agents"}))["items"]
    assert [u["userId"] for u in agents] == [rosa]
    assert _toggle(stack, rosa, "disable")["statusCode"] == 200
    disabled = body_of(_call(stack, "GET", "/admin/users", query={"status": "DISABLED"}))["items"]
    assert [u["userId"] for u in disabled] == [rosa]
    assert (
        body_of(_call(stack, "GET", "/admin/users", query={"group": "agents", "status": "ENABLED"}))["items"]
        == []
    )


def test_roles_are_set_in_cognito_and_recorded_with_before_and_after(stack, people):
    rosa, _ = people
    response = _roles(stack, rosa, ["agents", "customers"])
    assert response["statusCode"] == 200 and body_of(response)["groups"] == ["agents", "customers"]
    assert _groups_in_cognito(stack, rosa) == (["agents", "customers"], True)
    record = _access_record(stack, rosa)
    assert record["entityType"] == {"S": "user"} and record["lastModifiedBy"] == {
        "S": f"admin:{ADMIN['sub']}"
    }
    assert record["groups"] == {"L": [{"S": "agents"}, {"S": "customers"}]}

    assert _roles(stack, rosa, ["customers"])["statusCode"] == 200  # demoted again
    assert _groups_in_cognito(stack, rosa)[0] == ["customers"]


def test_granting_the_customer_role_repairs_an_account_whose_confirmation_trigger_failed(stack):
    # Cognito confirms the account even when post-confirmation fails: no group, no profile.
    cognito = stack.client("cognito-idp")
    user = cognito.admin_create_user(UserPoolId=stack.physical.user_pool_id, Username="ines@example.com")
    sub = next(a["Value"] for a in user["User"]["Attributes"] if a["Name"] == "sub")
    stranded = Funnel(stack, sub)
    assert stranded.call("profile", "GET", "/me")["statusCode"] == 404

    assert _roles(stack, sub, ["customers"])["statusCode"] == 200

    assert _groups_in_cognito(stack, sub)[0] == ["customers"]
    profile = body_of(stranded.call("profile", "GET", "/me"))
    assert profile["email"] == "ines@example.com"
    assert _roles(stack, sub, ["customers"])["statusCode"] == 200  # a retry changes nothing


def test_granting_the_customer_role_keeps_an_existing_profile(stack, people):
    rosa, _ = people
    before = body_of(Funnel(stack, rosa).call("profile", "GET", "/me"))
    assert _roles(stack, rosa, ["agents"])["statusCode"] == 200
    assert _roles(stack, rosa, ["agents", "customers"])["statusCode"] == 200
    assert body_of(Funnel(stack, rosa).call("profile", "GET", "/me")) == before


def test_a_request_that_changes_nothing_writes_nothing(stack, people):
    rosa, _ = people
    assert _roles(stack, rosa, ["customers"])["statusCode"] == 200
    assert _access_record(stack, rosa) is None
    assert _toggle(stack, rosa, "enable")["statusCode"] == 200
    assert _access_record(stack, rosa) is None


def test_disable_signs_the_user_out_and_enable_lets_them_back(stack, people):
    _, lee = people
    body = body_of(_toggle(stack, lee, "disable"))
    assert body["enabled"] is False and _groups_in_cognito(stack, lee)[1] is False
    assert _access_record(stack, lee)["enabled"] == {"BOOL": False}
    assert body_of(_toggle(stack, lee, "enable"))["enabled"] is True
    assert _groups_in_cognito(stack, lee)[1] is True


def test_an_admin_cannot_demote_or_disable_themselves(stack):
    me = ADMIN["sub"]
    demote = _roles(stack, me, ["customers"])
    assert demote["statusCode"] == 409 and body_of(demote)["error"]["code"] == "own_admin_role"
    lockout = _toggle(stack, me, "disable")
    assert lockout["statusCode"] == 409 and body_of(lockout)["error"]["code"] == "own_account"


@pytest.mark.parametrize(
    "groups", [["superusers"], [], ["agents", "agents"], "admins", ["customers", "agents", "admins", "x"]]
)
def test_invalid_groups_are_refused(stack, people, groups):
    rosa, _ = people
    response = _roles(stack, rosa, groups)
    assert response["statusCode"] == 422
    assert _groups_in_cognito(stack, rosa)[0] == ["customers"]


def test_unknown_users_and_bad_filters(stack, people):
    unknown = "00000000-0000-4000-8000-000000000000"
    assert body_of(_roles(stack, unknown, ["customers"]))["error"]["code"] == "user_not_found"
    assert _toggle(stack, unknown, "disable")["statusCode"] == 404
    assert (
        _call(stack, "GET", f"/admin/users/{unknown}", "/admin/users/{userId}", {"userId": unknown})[
            "statusCode"
        ]
        == 404
    )
    for query in ({"nextToken": "not-a-token"}, {"group": "agents", "nextToken": "not-a-token"}):
        response = _call(stack, "GET", "/admin/users", query=query)
        assert response["statusCode"] == 400 and body_of(response)["error"]["code"] == "invalid_next_token"
    for query in ({"group": "owners"}, {"status": "SLEEPING"}, {"limit": "500"}):
        response = _call(stack, "GET", "/admin/users", query=query)
        assert response["statusCode"] == 400 and body_of(response)["error"]["code"] == "invalid_parameter"


def test_customers_and_agents_may_not_manage_users_or_read_the_audit(stack, people):
    rosa, _ = people
    for who in (CUSTOMER, AGENT):
        assert _call(stack, "GET", "/admin/users", who=who)["statusCode"] == 403
        assert _roles(stack, rosa, ["admins"], who=who)["statusCode"] == 403
        assert _toggle(stack, rosa, "disable", who=who)["statusCode"] == 403
        assert (
            _call(stack, "GET", "/admin/audit", who=who, query={"entity": f"customer#{rosa}"})["statusCode"]
            == 403
        )
    assert _groups_in_cognito(stack, rosa) == (["customers"], True)


def test_the_audit_trail_of_an_entity_newest_first_paginated_and_masked(stack):
    changes = sample_event("stream_processor", "customer_changes")
    assert stack.invoke("stream_processor", changes) == {"batchItemFailures": []}
    sub = changes["Records"][0]["dynamodb"]["NewImage"]["entityId"]["S"]
    first = body_of(_call(stack, "GET", "/admin/audit", query={"entity": f"customer#{sub}", "limit": "1"}))
    assert [e["action"] for e in first["items"]] == ["updated"] and first["nextToken"]
    updated = first["items"][0]
    assert updated["actor"] == f"customer:{sub}" and updated["entity"] == f"customer#{sub}"
    phone = next(c for c in updated["changes"] if c["field"] == "phone")
    assert phone == {"field": "phone", "before": None, "after": "***"}
    rest = body_of(
        _call(
            stack, "GET", "/admin/audit", query={"entity": f"customer#{sub}", "nextToken": first["nextToken"]}
        )
    )
    assert [e["action"] for e in rest["items"]] == ["created"] and rest.get("nextToken") is None
    foreign = _call(
        stack,
        "GET",
        "/admin/audit",
        query={"entity": "policy#01JD8X3K9Q2M4N6P8R0T2V4W7A", "nextToken": first["nextToken"]},
    )
    assert body_of(foreign)["error"]["code"] == "invalid_next_token"


def _trail(stack, entity):
    response = _call(stack, "GET", "/admin/audit", query={"entity": entity})
    assert response["statusCode"] == 200, response
    return body_of(response)["items"]


def _after(entry):
    return {c["field"]: c["after"] for c in entry["changes"]}


def test_an_admin_reads_the_trail_of_a_payment_a_renewal_reminder_and_a_refund(stack):
    funnel = Funnel(stack)
    policy_id = funnel.issued_policy()["policyId"]
    paid = funnel.pay(policy_id, "tok_visa", "audit-trail-0001")
    assert paid["statusCode"] == 201, paid
    payment_id = body_of(paid)["paymentId"]
    term_end = date.fromisoformat(funnel.policy(policy_id)["termEnd"])
    run = stack.invoke(
        "renewals",
        {"time": f"{(term_end - timedelta(days=6)).isoformat()}T06:00:00Z", "detail-type": "Scheduled Event"},
    )
    assert run["reminders"] == 1
    assert funnel.cancel(policy_id)["statusCode"] == 200
    ledger = httpx.get(f"{stack.standins.control_url}/ledger").json()
    (refund_id,) = [r["id"] for r in ledger["refunds"] if r["metadata"].get("policyId") == policy_id]
    through_stream_processor(stack)

    # Named as the portal names them: the type, '#', then the entity's whole ID.
    payment = f"payment#{policy_id}:{payment_id}"
    (paid_entry,) = _trail(stack, payment)
    assert paid_entry["entity"] == payment and paid_entry["action"] == "created"
    assert paid_entry["actor"] == f"customer:{funnel.sub}"
    assert _after(paid_entry)["status"] == "SUCCEEDED" and _after(paid_entry)["paymentMethod"] == "***"

    reminder = f"renewal_reminder#{policy_id}:{term_end.isoformat()}#7"
    (reminder_entry,) = _trail(stack, reminder)
    assert reminder_entry["entity"] == reminder and reminder_entry["action"] == "created"
    assert _after(reminder_entry)["daysBefore"] == 7

    refund = f"refund#{policy_id}:{refund_id}"
    (refund_entry,) = _trail(stack, refund)
    assert refund_entry["entity"] == refund and refund_entry["action"] == "created"
    assert _after(refund_entry)["paymentIntentId"] == payment_id


_POLICY = "01JD8X3K9Q2M4N6P8R0T2V4W7A"


@pytest.mark.parametrize(
    "entity",
    [
        None,
        "customer",
        "#abc",
        "customer#",
        "Customer#abc",
        "customer#a b",
        "payment#x:y/../",
        f"payment#{_POLICY}:pi_1/../",
        f"payment#{_POLICY}:" + "x" * 500,
        "payment#" + "x" * 500,
        f"payment#{_POLICY}:pi_é",
        f"payment#{_POLICY}:pi_1\n",
        f"payment#{_POLICY.lower()}:pi_1",
        f"payment#{_POLICY}:",
        f"payment#{_POLICY}:2027-01-01#7",
        f"policy#{_POLICY}:pi_1",
        f"renewal_reminder#{_POLICY}:pi_1",
        f"renewal_reminder#{_POLICY}:2027-01-01",  # a reminder's ID cut at its second '#'
        f"renewal_reminder#{_POLICY}:2027-01-01#7#7",
        f"renewal_reminder#{_POLICY}:\uff12\uff10\uff12\uff17-01-01#7",  # full-width digits
        f"renewal_reminder#{_POLICY}:2027-01-01#\u0667",  # Arabic-Indic seven
        f"renewal_reminder#{_POLICY}:2027-01-01#1000",
    ],
)
def test_a_malformed_entity_is_refused(stack, entity):
    query = {"entity": entity} if entity is not None else {}
    response = _call(stack, "GET", "/admin/audit", query=query)
    assert response["statusCode"] == 400 and body_of(response)["error"]["code"] == "invalid_parameter"


def _listed(stack, **query):
    response = stack.request("GET", "/admin/users", caller=ADMIN, query=query)
    assert response["statusCode"] == 200, response
    body = body_of(response)
    return [u["email"] for u in body["items"]], body.get("nextToken")


@pytest.fixture
def namesakes(stack):
    """Three addresses two of which share a start, and one whose local part holds the other's."""
    return {
        e: signed_up(stack, e).sub
        for e in ("rosa@example.com", "rosalind@example.com", "ana.rosa@example.com")
    }


def test_an_admin_finds_users_by_the_start_of_their_email_in_any_case(stack, namesakes):
    for typed in ("rosa", "ROSA", "RoSa"):
        found, more = _listed(stack, email=typed, limit="10")
        assert sorted(found) == ["rosa@example.com", "rosalind@example.com"] and more is None
    assert _listed(stack, email="Rosa@Example.COM")[0] == ["rosa@example.com"]
    assert _listed(stack, email="ana.")[0] == ["ana.rosa@example.com"]
    assert _listed(stack, email="example.com") == ([], None)  # the start, not anywhere inside
    assert _listed(stack, email="rosa@example.com.") == ([], None)


def test_an_email_search_pages_and_keeps_the_role_and_account_state(stack, namesakes):
    first, token = _listed(stack, email="rosa", limit="1")
    assert len(first) == 1 and token
    second, last = _listed(stack, email="rosa", limit="1", nextToken=token)
    assert sorted(first + second) == ["rosa@example.com", "rosalind@example.com"] and last is None

    rosalind = namesakes["rosalind@example.com"]
    assert _roles(stack, rosalind, ["customers", "agents"])["statusCode"] == 200
    assert _listed(stack, email="ROSA", group="agents")[0] == ["rosalind@example.com"]
    assert _listed(stack, email="rosa", group="admins")[0] == []
    assert _toggle(stack, rosalind, "disable")["statusCode"] == 200
    assert _listed(stack, email="rosa", status="DISABLED")[0] == ["rosalind@example.com"]
    assert _listed(stack, email="rosa", group="agents", status="ENABLED")[0] == []
    # Created by an admin and never signed in: the account state the directory gives them.
    assert sorted(_listed(stack, email="rosa", status="FORCE_CHANGE_PASSWORD")[0]) == [
        "rosa@example.com",
        "rosalind@example.com",
    ]
    assert _listed(stack, email="rosa", status="CONFIRMED")[0] == []


@pytest.mark.parametrize(
    "hostile",
    [
        'a" or email ^= "',
        '" or email ^= "',
        'rosa"',
        '"',
        "rosa\\",
        '\\"',
        "\\\\",
        "rosa\\@example.com",
        "r" * 255,
        "r" * 300,
        "",
        " ",
        "rosa example",
        "rosa\x00",
        "rosa\n",
        "\trosa",
        "rosa\x1b[0m",
        "rosa\x7f",
        "rosa\u0085",
        "rosa\u2028",
    ],
)
def test_an_email_that_could_change_the_filter_is_refused(stack, namesakes, hostile):
    response = stack.request("GET", "/admin/users", caller=ADMIN, query={"email": hostile})
    assert response["statusCode"] == 400, response
    error = body_of(response)["error"]
    assert error["code"] == "invalid_parameter" and [d["field"] for d in error["details"]] == ["query.email"]


@pytest.mark.parametrize("literal", ["*", ".*", "%", "_", "'", "rosa'", "rosa*", "rosa%", "^=", "r" * 254])
def test_an_email_with_pattern_or_filter_characters_matches_them_literally(stack, namesakes, literal):
    assert _listed(stack, email=literal, limit="60") == ([], None)


def test_the_directory_never_puts_a_quote_or_backslash_inside_its_filter(stack, namesakes):
    # The API and the workflow refuse these first; the directory, which writes the filter, holds too.
    from salesportal.data.users import UserDirectory

    directory = UserDirectory(stack.physical.user_pool_id)
    for hostile in ('a" or email ^= "', "rosa\\", "rosa\n"):
        with pytest.raises(ValueError, match="literally"):
            directory.search(group=None, status=None, email_prefix=hostile, limit=60, token=None)
    page = directory.search(group=None, status=None, email_prefix="rosa", limit=60, token=None)
    assert sorted(u.email for u in page.items) == ["rosa@example.com", "rosalind@example.com"]
