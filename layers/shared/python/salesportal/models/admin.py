"""Admin tools: users and their roles, and the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import Field, field_validator

from salesportal.contract import refusals, success
from salesportal.domain.users import UserAccount
from salesportal.models.common import ApiModel, InputModel

USER_ID = r"^[0-9a-fA-F-]{36}$"  # a Cognito sub (also safe inside a ListUsers filter)
Group = Literal["customers", "agents", "admins"]
UserStatus = Literal[
    "ENABLED", "DISABLED", "CONFIRMED", "UNCONFIRMED", "FORCE_CHANGE_PASSWORD", "RESET_REQUIRED"
]
# "<entity type>#<id>", as audit records and domain events name an entity (domain/outbox.py).
# Most IDs are one ULID, UUID or slug. Payments, refunds and renewal reminders are named under
# their policy (data/sales.py): "<policy ULID>:<child>". A payment's or refund's child is the
# gateway's ID (pi_…, re_…) or "declined-<Idempotency-Key>" (9 + 64 characters); a reminder's
# is "<term end>#<days before>", an ISO date and a day count under a year. [0-9], never \d,
# which may take any script's digits. The portal checks the same text (features/admin/audit.ts).
AUDIT_ENTITY = (
    r"^(?:[a-z][a-z_]{0,39}#[A-Za-z0-9._-]{1,64}"
    r"|(?:payment|refund)#[0-9A-HJKMNP-TV-Z]{26}:[A-Za-z0-9_-]{1,73}"
    r"|renewal_reminder#[0-9A-HJKMNP-TV-Z]{26}:[0-9]{4}-[0-9]{2}-[0-9]{2}#[0-9]{1,3})$"
)
AUDIT_ENTITY_EXAMPLES = "<type>#<id>, e.g. policy#01J…, payment#01J…:pi_…, renewal_reminder#01J…:2027-12-02#7"

# The start of an e-mail address, which GET /admin/users finds users by: any character but
# whitespace (no address the portal takes holds one), '"', backslash and control characters. A
# quote or a backslash could close or escape the quotes of Cognito's filter and add a clause to
# it; data/users.py refuses them too. 254 characters is the longest address. The portal checks
# the same text (features/admin/users.ts).
EMAIL_PREFIX = r'^[^\s"\\\x00-\x1f\x7f-\x9f]{1,254}$'
EmailPrefixQuery = Annotated[
    str | None,
    Query(
        max_length=254,
        pattern=EMAIL_PREFIX,
        description="Users whose e-mail starts with this, in any case (e.g. rosa@ or rosa@example.com)",
    ),
]


class User(ApiModel):
    user_id: str
    username: str
    email: str | None = None
    status: str | None = Field(default=None, description="Cognito's account state, e.g. CONFIRMED")
    enabled: bool
    groups: list[str]
    created_at: datetime | None = None

    @classmethod
    def of(cls, account: UserAccount) -> User:
        return cls(
            user_id=account.user_id,
            username=account.username,
            email=account.email,
            status=account.status,
            enabled=account.enabled,
            groups=list(account.groups),
            created_at=account.created_at,
        )


class RolesUpdate(InputModel):
    groups: list[Group] = Field(
        min_length=1,
        max_length=3,
        description="The user's groups, replacing all others",
        json_schema_extra={"uniqueItems": True},  # _distinct refuses repeats
    )

    @field_validator("groups")
    @classmethod
    def _distinct(cls, groups: list[str]) -> list[str]:
        if len(set(groups)) != len(groups):
            raise ValueError("groups must not repeat")
        return sorted(groups)


class FieldChange(ApiModel):
    field: str
    before: Any = Field(default=None, description="*** for personal data")
    after: Any = Field(default=None, description="*** for personal data")


class AuditEntry(ApiModel):
    entity: str
    action: Literal["created", "updated", "deleted"]
    actor: str = Field(description="role:sub of the person, or system:<job>")
    at: datetime
    event_id: str
    changes: list[FieldChange]


# What the user-management routes answer, for the OpenAPI document.
USERS_DOCS: dict[str, Any] = {
    "description": (
        "Users a page at a time, narrowed by any of role (group), account state (status) and the "
        "start of the e-mail address (email, in any case). Cognito lists by one of them and the "
        "others are checked on each user it returns. With email, ListUsers filters by the e-mail "
        "prefix and the role and state are checked on each listed user: an e-mail with a role is "
        "answered, not refused, since it costs no extra reads (each listed user's roles are read "
        "anyway) and ListUsersInGroup cannot filter by e-mail. With a role alone, the group is "
        "listed (ListUsersInGroup) and the state checked on each page; with a state alone, it is "
        "ListUsers' filter. A page checked after reading may hold fewer than limit users, or none, "
        "and still have a nextToken: follow it to see every match. An email holding a quote, a "
        "backslash, whitespace or a control character, or longer than 254 characters, is refused "
        "(invalid_parameter): no address the portal takes holds one, and it could change the filter."
    ),
    "responses": {200: success("A page of users")},
}
_NO_USER = {404: "No such user"}
USER_DOCS: dict[str, Any] = {"responses": {200: success("The user"), **refusals(_NO_USER)}}
ROLES_DOCS: dict[str, Any] = {
    "responses": {
        200: success("The user with the new roles"),
        **refusals({**_NO_USER, 409: "An admin cannot remove their own admin role (own_admin_role)"}),
    }
}
DISABLE_DOCS: dict[str, Any] = {
    "responses": {
        200: success("The disabled user"),
        **refusals({**_NO_USER, 409: "An admin cannot disable their own account (own_account)"}),
    }
}
ENABLE_DOCS: dict[str, Any] = {"responses": {200: success("The enabled user"), **refusals(_NO_USER)}}
