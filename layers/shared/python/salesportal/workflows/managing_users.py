"""Managing users: list and find them, set their roles, disable and enable them.

The directory (Cognito) holds the truth; every change is also written to the user's access
record, whose stream (the outbox) writes the audit trail with the admin as actor. A request
that changes nothing writes nothing, so a retry is harmless.

Granting the customers role also creates the customer's profile when it is missing: Cognito
confirms a sign-up even when the post-confirmation trigger fails, which leaves an account
with neither group nor profile; this is the repair. The profile comes before the group, as
at sign-up, so a retry after a failure between the two still finds the group missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from salesportal.data.dynamo import Page
from salesportal.domain.users import (
    Access,
    UserAccount,
    disables_self,
    gains_customer_role,
    removes_own_admin_role,
)
from salesportal.errors import BadRequest, Conflict, NotFound

EMAIL_MAX = 254
# Worded as the API's own parameter checks word theirs (salesportal.http), so a form reads both alike.
_PREFIX_REFUSED = {
    "field": "query.email",
    "location": "query",
    "message": "not the start of an e-mail address",
    "type": "string_pattern_mismatch",
}


class Directory(Protocol):
    def search(
        self,
        *,
        group: str | None,
        status: str | None,
        email_prefix: str | None,
        limit: int,
        token: str | None,
    ) -> Page[UserAccount]: ...

    def get(self, user_id: str) -> UserAccount | None: ...

    def set_groups(self, user: UserAccount, groups: tuple[str, ...]) -> None: ...

    def set_enabled(self, user: UserAccount, enabled: bool) -> None: ...


class AccessRecords(Protocol):
    def create_profile_if_absent(self, user: UserAccount, *, actor: str, now: datetime) -> bool: ...

    def record(self, user_id: str, before: Access, after: Access, *, actor: str, now: datetime) -> None: ...


@dataclass(frozen=True)
class Ports:
    directory: Directory
    records: AccessRecords
    clock: Callable[[], datetime]


@dataclass(frozen=True)
class Admin:
    user_id: str
    actor: str  # how the audit trail names them


@dataclass(frozen=True)
class Change:
    user: UserAccount  # as it is now
    changed: bool
    profile_created: bool = False


@dataclass(frozen=True)
class UserSearch:
    """What an admin narrows the user list by; None is "any"."""

    group: str | None = None
    status: str | None = None
    email: str | None = None  # the start of the address, in any case


def search(ports: Ports, query: UserSearch, *, limit: int, token: str | None) -> Page[UserAccount]:
    """A page of the users matching every part of ``query``.

    The e-mail prefix is lowered: the portal's sign-up stores addresses in lower case and
    Cognito's own e-mail search ignores case, so either way the search is case-insensitive. A
    prefix that could be read as more than text inside the directory's filter is refused."""
    if query.email is not None and not _literal_prefix(query.email):
        raise BadRequest(
            "Invalid parameter: email.",
            code="invalid_parameter",
            details=[_PREFIX_REFUSED],
        )
    prefix = None if query.email is None else query.email.lower()
    return ports.directory.search(
        group=query.group, status=query.status, email_prefix=prefix, limit=limit, token=token
    )


def _literal_prefix(text: str) -> bool:
    """1 to 254 characters (the longest address), none a quote, backslash, space or control."""
    return 0 < len(text) <= EMAIL_MAX and not any(
        c in '"\\' or c.isspace() or not c.isprintable() for c in text
    )


def find(ports: Ports, user_id: str) -> UserAccount:
    user = ports.directory.get(user_id)
    if user is None:
        raise NotFound(f"No user {user_id!r}.", code="user_not_found")
    return user


def set_roles(ports: Ports, admin: Admin, user_id: str, groups: tuple[str, ...]) -> Change:
    wanted = tuple(sorted(set(groups)))
    if removes_own_admin_role(admin.user_id, user_id, wanted):
        raise Conflict("You cannot remove your own admin role; ask another admin.", code="own_admin_role")
    user = find(ports, user_id)
    if user.groups == wanted:
        return Change(user, changed=False)
    now = ports.clock()
    created = gains_customer_role(user, wanted) and ports.records.create_profile_if_absent(
        user, actor=admin.actor, now=now
    )
    ports.directory.set_groups(user, wanted)
    after = Access(wanted, user.enabled)
    ports.records.record(user.user_id, user.access, after, actor=admin.actor, now=now)
    return Change(user.with_access(after), changed=True, profile_created=created)


def set_enabled(ports: Ports, admin: Admin, user_id: str, enabled: bool) -> Change:
    if disables_self(admin.user_id, user_id, enabled):
        raise Conflict("You cannot disable your own account.", code="own_account")
    user = find(ports, user_id)
    if user.enabled == enabled:
        return Change(user, changed=False)
    ports.directory.set_enabled(user, enabled)
    after = Access(user.groups, enabled)
    ports.records.record(user.user_id, user.access, after, actor=admin.actor, now=ports.clock())
    return Change(user.with_access(after), changed=True)
