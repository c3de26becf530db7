"""The user directory: Cognito's user pool, through its admin APIs.

A user is named by their ``sub`` everywhere in the portal (customer ids, audit actors); the
admin APIs want the pool's username, so each call first finds the user by ``sub``.

Access patterns:
- users, optionally by status: ListUsers (Filter ``status`` or ``cognito:user_status``)
- users in a group: ListUsersInGroup (the status filter is applied to each page)
- users by the start of their e-mail: ListUsers Filter ``email ^= "<prefix>"`` (ListUsers takes
  one filter and ListUsersInGroup none, so a status and a group are applied to each page)
- a user by sub: ListUsers Filter ``sub = "<sub>"``
- a user's groups: AdminListGroupsForUser
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from salesportal import aws
from salesportal.data.customers import CustomerRepository
from salesportal.data.dynamo import InvalidCursor, Page
from salesportal.domain.users import Access, UserAccount

# Cognito's Enabled/Disabled flag and its account states, as one filter vocabulary.
ENABLED_FILTERS = {"ENABLED": "Enabled", "DISABLED": "Disabled"}
ACCOUNT_STATES = frozenset({"CONFIRMED", "UNCONFIRMED", "FORCE_CHANGE_PASSWORD", "RESET_REQUIRED"})


def _attributes(user: dict[str, Any]) -> dict[str, str]:
    return {a["Name"]: a["Value"] for a in user.get("Attributes") or user.get("UserAttributes") or []}


def _user(raw: dict[str, Any], groups: list[str]) -> UserAccount:
    attributes = _attributes(raw)
    created = raw.get("UserCreateDate")
    return UserAccount(
        user_id=attributes["sub"],
        username=raw["Username"],
        email=attributes.get("email"),
        status=raw.get("UserStatus"),
        enabled=bool(raw.get("Enabled", True)),
        groups=tuple(sorted(groups)),
        created_at=created if isinstance(created, datetime) else None,
    )


def _literal(value: str) -> str:
    """``value`` as it goes between a filter's quotes. Cognito reads a backslash as an escape, so
    a quote or a backslash could end the value and add a clause; control characters have no
    place in an address. Such a value is refused, not escaped: no address the portal takes holds one."""
    if any(c in '"\\' or not c.isprintable() for c in value):
        raise ValueError(f"{value!r} cannot be matched literally in a ListUsers filter")
    return value


def _list_filter(status: str | None, email_prefix: str | None) -> str | None:
    """ListUsers' one filter: the e-mail prefix when there is one (it narrows most), else the status."""
    if email_prefix is not None:
        return f'email ^= "{_literal(email_prefix)}"'
    if status in ENABLED_FILTERS:
        return f'status = "{ENABLED_FILTERS[status]}"'
    if status:
        return f'cognito:user_status = "{status}"'
    return None


def _matches(raw: dict[str, Any], status: str | None) -> bool:
    if status is None:
        return True
    if status in ENABLED_FILTERS:
        return bool(raw.get("Enabled", True)) == (status == "ENABLED")
    return raw.get("UserStatus") == status


@dataclass(frozen=True)
class UserDirectory:
    user_pool_id: str

    def _groups(self, username: str) -> list[str]:
        response = aws.client("cognito-idp").admin_list_groups_for_user(
            UserPoolId=self.user_pool_id, Username=username, Limit=60
        )
        return [g["GroupName"] for g in response.get("Groups", [])]

    def search(
        self,
        *,
        group: str | None,
        status: str | None,
        email_prefix: str | None,
        limit: int,
        token: str | None,
    ) -> Page[UserAccount]:
        """A page of users. Whatever Cognito could not filter on is applied to the page it gave,
        so a page may hold fewer than ``limit`` users (or none) and still have a next one."""
        cognito = aws.client("cognito-idp")
        params: dict[str, Any] = {"UserPoolId": self.user_pool_id, "Limit": limit}
        try:
            if group and email_prefix is None:
                if token:
                    params["NextToken"] = token
                response = cognito.list_users_in_group(GroupName=group, **params)
                next_token = response.get("NextToken")
            else:
                if (found := _list_filter(status, email_prefix)) is not None:
                    params["Filter"] = found
                if token:
                    params["PaginationToken"] = token  # ListUsers' name for it
                response = cognito.list_users(**params)
                next_token = response.get("PaginationToken")
        except ClientError as exc:
            # Cognito's tokens are opaque to us: the one bad parameter a caller can send is the token.
            if token and exc.response["Error"]["Code"] in ("InvalidParameterException", "InvalidToken"):
                raise InvalidCursor("nextToken is not a valid pagination token.") from exc
            raise
        raws = [u for u in response.get("Users", []) if _matches(u, status)]
        users = [_user(u, self._groups(u["Username"])) for u in raws]
        return Page([u for u in users if group is None or group in u.groups], next_token)

    def get(self, sub: str) -> UserAccount | None:
        """The user with this sub, with their groups; None when there is none."""
        response = aws.client("cognito-idp").list_users(
            UserPoolId=self.user_pool_id, Filter=f'sub = "{sub}"', Limit=1
        )
        users = response.get("Users", [])
        if not users:
            return None
        return _user(users[0], self._groups(users[0]["Username"]))

    def set_groups(self, user: UserAccount, wanted: tuple[str, ...]) -> None:
        """Join the wanted groups first, then leave the others: a failure halfway leaves the
        user with more of their intended roles, never locked out of all of them."""
        cognito = aws.client("cognito-idp")
        username = user.username
        for group in sorted(set(wanted) - set(user.groups)):
            cognito.admin_add_user_to_group(UserPoolId=self.user_pool_id, Username=username, GroupName=group)
        for group in sorted(set(user.groups) - set(wanted)):
            cognito.admin_remove_user_from_group(
                UserPoolId=self.user_pool_id, Username=username, GroupName=group
            )

    def set_enabled(self, user: UserAccount, enabled: bool) -> None:
        cognito = aws.client("cognito-idp")
        username = user.username
        if enabled:
            cognito.admin_enable_user(UserPoolId=self.user_pool_id, Username=username)
            return
        cognito.admin_disable_user(UserPoolId=self.user_pool_id, Username=username)
        # A disabled user's refresh tokens are revoked too, not only future sign-ins.
        cognito.admin_user_global_sign_out(UserPoolId=self.user_pool_id, Username=username)


@dataclass(frozen=True)
class AccessRecords:
    """A user's access record and profile in the customers table: the record's stream writes
    the audit trail; the profile is what the customers role needs."""

    customers: CustomerRepository

    def create_profile_if_absent(self, user: UserAccount, *, actor: str, now: datetime) -> bool:
        return self.customers.create_if_absent(user.user_id, user.email, actor=actor, now=now)

    def record(self, user_id: str, before: Access, after: Access, *, actor: str, now: datetime) -> None:
        self.customers.record_access(user_id, _access(before), _access(after), actor=actor, now=now)


def _access(access: Access) -> dict[str, Any]:
    return {"groups": list(access.groups), "enabled": access.enabled}
