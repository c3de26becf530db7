"""Portal users as the directory (Cognito) knows them, and the rules for changing their access.

An admin may grant and remove roles and disable and enable accounts, but never take away
their own admin role or disable themselves: the last admin could otherwise lock everyone out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

ADMINS = "admins"
CUSTOMERS = "customers"


@dataclass(frozen=True, slots=True)
class Access:
    """What the audit trail records of a user: their roles and whether they may sign in."""

    groups: tuple[str, ...]
    enabled: bool


@dataclass(frozen=True, slots=True)
class UserAccount:
    user_id: str  # the token's sub: how the portal names a user everywhere
    username: str  # the directory's own name for them
    email: str | None
    status: str | None  # the directory's account state, e.g. CONFIRMED
    enabled: bool
    groups: tuple[str, ...]  # sorted
    created_at: datetime | None

    @property
    def access(self) -> Access:
        return Access(self.groups, self.enabled)

    def with_access(self, access: Access) -> UserAccount:
        return replace(self, groups=access.groups, enabled=access.enabled)


def removes_own_admin_role(admin_id: str, user_id: str, groups: tuple[str, ...]) -> bool:
    return admin_id == user_id and ADMINS not in groups


def disables_self(admin_id: str, user_id: str, enabled: bool) -> bool:
    return admin_id == user_id and not enabled


def gains_customer_role(user: UserAccount, groups: tuple[str, ...]) -> bool:
    """Granting the customers role needs a customer profile (created first, as at sign-up)."""
    return CUSTOMERS in groups and CUSTOMERS not in user.groups
