"""Managing users with an in-memory directory and access log: the guards, the repair of a
missing profile, and that a change that changes nothing writes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from salesportal.data.dynamo import Page
from salesportal.domain.users import Access, UserAccount
from salesportal.errors import Conflict, NotFound
from salesportal.workflows import managing_users as users

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
ADMIN = users.Admin("admin-1", "admin:admin-1")


@dataclass
class FakeDirectory:
    accounts: dict[str, UserAccount] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def search(
        self, *, group: str | None, status: str | None, limit: int, token: str | None
    ) -> Page[UserAccount]:
        return Page(list(self.accounts.values())[:limit], None)

    def get(self, user_id: str) -> UserAccount | None:
        return self.accounts.get(user_id)

    def set_groups(self, user: UserAccount, groups: tuple[str, ...]) -> None:
        self.calls.append(f"groups {user.user_id} {','.join(groups)}")
        self.accounts[user.user_id] = user.with_access(Access(groups, user.enabled))

    def set_enabled(self, user: UserAccount, enabled: bool) -> None:
        self.calls.append(f"enabled {user.user_id} {enabled}")
        self.accounts[user.user_id] = user.with_access(Access(user.groups, enabled))


@dataclass
class FakeRecords:
    profiles: set[str] = field(default_factory=set)
    trail: list[tuple[str, Access, Access, str]] = field(default_factory=list)
    order: list[str] = field(default_factory=list)

    def create_profile_if_absent(self, user: UserAccount, *, actor: str, now: datetime) -> bool:
        self.order.append("profile")
        if user.user_id in self.profiles:
            return False
        self.profiles.add(user.user_id)
        return True

    def record(self, user_id: str, before: Access, after: Access, *, actor: str, now: datetime) -> None:
        self.trail.append((user_id, before, after, actor))


def account(user_id: str, *groups: str, enabled: bool = True) -> UserAccount:
    return UserAccount(
        user_id, f"u-{user_id}", f"{user_id}@example.com", "CONFIRMED", enabled, tuple(groups), None
    )


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
