"""Who may do what: roles from Cognito groups, and the 401/403/404 rules."""

from __future__ import annotations

import pytest

from salesportal.auth import Principal, Role, parse_groups, principal_from_event, require, require_owner
from salesportal.errors import Forbidden, NotFound, Unauthorized


def _event(claims: dict | None) -> dict:
    return {"requestContext": {"authorizer": {"claims": claims}} if claims is not None else {}}


@pytest.mark.parametrize(
    ("raw", "groups"),
    [
        ("customers", {"customers"}),
        ("agents,customers", {"agents", "customers"}),
        ("[admins customers]", {"admins", "customers"}),
        (["agents"], {"agents"}),
        ("", set()),
        (None, set()),
    ],
)
def test_groups_claim_in_every_shape_api_gateway_sends(raw, groups):
    assert parse_groups(raw) == groups


def test_role_is_the_highest_group_and_unknown_groups_grant_nothing():
    assert Principal("s", None, frozenset({"customers", "admins"})).role is Role.ADMIN
    assert Principal("s", None, frozenset({"beta-testers"})).role is None


@pytest.mark.parametrize(
    ("groups", "minimum", "allowed"),
    [
        ("customers", Role.CUSTOMER, True),
        ("customers", Role.AGENT, False),
        ("agents", Role.CUSTOMER, True),
        ("agents", Role.ADMIN, False),
        ("admins", Role.AGENT, True),
        ("", Role.CUSTOMER, False),
    ],
)
def test_levels_are_ordered(groups, minimum, allowed):
    event = _event({"sub": "abc", "cognito:groups": groups})
    if allowed:
        assert require(event, minimum).sub == "abc"
    else:
        with pytest.raises(Forbidden):
            require(event, minimum)


def test_no_authorizer_claims_is_unauthorized():
    assert principal_from_event(_event(None)) is None
    with pytest.raises(Unauthorized):
        require(_event(None), Role.CUSTOMER)
    with pytest.raises(Unauthorized):
        require(_event({"email": "x@example.com"}), Role.CUSTOMER)


def test_a_customer_cannot_reach_another_customers_record_and_learns_nothing():
    alice = Principal("alice", None, frozenset({"customers"}))
    require_owner(alice, "alice")
    with pytest.raises(NotFound):
        require_owner(alice, "bob")


def test_staff_may_read_any_customers_record():
    require_owner(Principal("agent-1", None, frozenset({"agents"})), "bob")


def test_actor_names_role_and_subject_never_email():
    assert Principal("abc", "a@example.com", frozenset({"agents"})).actor == "agent:abc"
