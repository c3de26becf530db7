"""An in-memory user directory: accounts by user ID, listed and changed as the workflows ask."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from salesportal.data.dynamo import Page
from salesportal.domain.users import Access, UserAccount


def account(
    user_id: str, *groups: str, email: str | None = None, enabled: bool = True, status: str = "CONFIRMED"
) -> UserAccount:
    address = email if email is not None else f"{user_id}@example.com"
    return UserAccount(user_id, f"u-{user_id}", address, status, enabled, tuple(sorted(groups)), None)


def _in_state(user: UserAccount, status: str | None) -> bool:
    if status in ("ENABLED", "DISABLED"):
        return user.enabled == (status == "ENABLED")
    return status is None or user.status == status


@dataclass
class FakeDirectory:
    """Matches an e-mail prefix as written, case and all, as the offline directory does: any
    case-folding is the caller's to do. The token is the position of the next account."""

    accounts: dict[str, UserAccount] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    searched: list[dict[str, object]] = field(default_factory=list)

    def search(
        self,
        *,
        group: str | None,
        status: str | None,
        email_prefix: str | None,
        limit: int,
        token: str | None,
    ) -> Page[UserAccount]:
        self.searched.append({"group": group, "status": status, "email_prefix": email_prefix})
        matching = [
            u
            for u in self.accounts.values()
            if (group is None or group in u.groups)
            and _in_state(u, status)
            and (email_prefix is None or (u.email or "").startswith(email_prefix))
        ]
        start = int(token or 0)
        more = start + limit < len(matching)
        return Page(matching[start : start + limit], str(start + limit) if more else None)

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
