"""Managing users with an in-memory directory and access log: the search by e-mail prefix, the
guards, the repair of a missing profile, and that a change that changes nothing writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from salesportal.domain.users import Access, UserAccount
from salesportal.errors import BadRequest, Conflict, NotFound
from salesportal.workflows import managing_users as users
from tests.fakes.users import FakeDirectory, FakeRecords, account

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
ADMIN = users.Admin("admin-1", "admin:admin-1")


def ports(*accounts: UserAccount) -> tuple[users.Ports, FakeDirectory, FakeRecords]:
    directory = FakeDirectory({a.user_id: a for a in accounts})
    records = FakeRecords()
    return users.Ports(directory, records, clock=lambda: NOW), directory, records


def test_granting_a_role_changes_the_directory_and_records_before_and_after():
    p, directory, records = ports(account("u1", "customers"))
    change = users.set_roles(p, ADMIN, "u1", ("agents", "customers"))
    assert change.changed and change.user.groups == ("agents", "customers")
    assert directory.calls == ["groups u1 agents,customers"]
    assert records.trail == [
        ("u1", Access(("customers",), True), Access(("agents", "customers"), True), "admin:admin-1")
    ]


def test_the_same_roles_in_another_order_change_nothing_and_write_nothing():
    p, directory, records = ports(account("u1", "agents", "customers"))
    change = users.set_roles(p, ADMIN, "u1", ("customers", "agents"))
    assert not change.changed and directory.calls == [] and records.trail == []


def test_an_admin_cannot_remove_their_own_admin_role_and_nothing_is_read_or_written():
    p, directory, records = ports(account("admin-1", "admins"))
    with pytest.raises(Conflict) as refused:
        users.set_roles(p, ADMIN, "admin-1", ("agents",))
    assert refused.value.code == "own_admin_role"
    assert directory.calls == [] and records.trail == []


def test_an_admin_cannot_disable_themselves_but_may_enable_themselves():
    p, _, _ = ports(account("admin-1", "admins"))
    with pytest.raises(Conflict) as refused:
        users.set_enabled(p, ADMIN, "admin-1", False)
    assert refused.value.code == "own_account"
    assert not users.set_enabled(p, ADMIN, "admin-1", True).changed


def test_granting_the_customers_role_creates_a_missing_profile_before_the_group():
    p, directory, records = ports(account("u2"))
    change = users.set_roles(p, ADMIN, "u2", ("customers",))
    assert change.profile_created and records.profiles == {"u2"}
    assert records.order == ["profile"] and directory.calls == ["groups u2 customers"]


def test_a_user_who_already_has_a_profile_gets_none_created():
    p, _, records = ports(account("u3", "agents"))
    records.profiles.add("u3")
    assert not users.set_roles(p, ADMIN, "u3", ("agents", "customers")).profile_created


def test_disabling_records_the_change_once():
    p, directory, records = ports(account("u4", "customers"))
    assert users.set_enabled(p, ADMIN, "u4", False).changed
    assert not users.set_enabled(p, ADMIN, "u4", False).changed
    assert directory.calls == ["enabled u4 False"] and len(records.trail) == 1


def test_an_unknown_user_is_not_found():
    p, _, _ = ports()
    with pytest.raises(NotFound) as missing:
        users.set_enabled(p, ADMIN, "nobody", True)
    assert missing.value.code == "user_not_found"


def _emails(page) -> list[str | None]:
    return [u.email for u in page.items]


def test_a_search_by_email_prefix_finds_the_addresses_that_start_with_it_in_any_case():
    p, directory, _ = ports(
        account("u1", "customers", email="rosa@example.com"),
        account("u2", "customers", email="rosalind@example.com"),
        account("u3", "customers", email="lee@example.com"),
        account("u4", "customers", email="maria.rosa@example.com"),
    )
    for typed in ("rosa", "ROSA", "Rosa"):
        page = users.search(p, users.UserSearch(email=typed), limit=10, token=None)
        assert _emails(page) == ["rosa@example.com", "rosalind@example.com"]
    assert directory.searched[-1]["email_prefix"] == "rosa"  # lowered before the directory sees it
    exact = users.search(p, users.UserSearch(email="Rosa@Example.com"), limit=10, token=None)
    assert _emails(exact) == ["rosa@example.com"]
    assert _emails(users.search(p, users.UserSearch(email="nobody"), limit=10, token=None)) == []


def test_an_email_search_keeps_the_group_and_status_and_pages_with_the_directory_token():
    p, _, _ = ports(
        account("u1", "agents", email="ana@example.com"),
        account("u2", "customers", email="ana.b@example.com"),
        account("u3", "agents", email="ana.c@example.com", enabled=False),
        account("u4", "agents", email="anabel@example.com"),
    )
    agents = users.UserSearch(group="agents", status="ENABLED", email="ANA")
    first = users.search(p, agents, limit=1, token=None)
    assert _emails(first) == ["ana@example.com"] and first.next_token
    second = users.search(p, agents, limit=1, token=first.next_token)
    assert _emails(second) == ["anabel@example.com"] and second.next_token is None


@pytest.mark.parametrize(
    "hostile",
    [
        'a" or email ^= "',
        '"',
        "a\\",
        '\\"',
        "rosa\\@example.com",
        "x" * 255,
        "",
        "rosa\x00",
        "rosa\n@example.com",
        "rosa\t",
        "rosa\x7f",
        "rosa\u0085",
        "rosa example",
    ],
)
def test_a_prefix_that_could_leave_the_filter_is_refused_before_the_directory(hostile):
    p, directory, _ = ports(account("u1", "customers", email="rosa@example.com"))
    with pytest.raises(BadRequest) as refused:
        users.search(p, users.UserSearch(email=hostile), limit=10, token=None)
    assert refused.value.code == "invalid_parameter"
    assert [d["field"] for d in refused.value.details] == ["query.email"]
    assert directory.searched == []


def test_a_prefix_with_the_characters_an_address_may_hold_is_taken_literally():
    odd = "o'brien+sales_1.x-y!#$%&*/=?^`{|}~@example.com"
    p, _, _ = ports(account("u1", "customers", email=odd), account("u2", "customers"))
    assert _emails(users.search(p, users.UserSearch(email=odd), limit=10, token=None)) == [odd]
    assert _emails(users.search(p, users.UserSearch(email="o'brien+"), limit=10, token=None)) == [odd]
    assert _emails(users.search(p, users.UserSearch(email="*"), limit=10, token=None)) == []
    assert _emails(users.search(p, users.UserSearch(email="x" * 254), limit=10, token=None)) == []
