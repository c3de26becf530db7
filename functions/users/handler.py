"""User management for admins: list users, set their roles (groups), disable and enable.

The rules (no admin removes their own admin role or disables themselves; granting the
customers role repairs a missing profile; a change that changes nothing writes nothing)
are ``salesportal.workflows.managing_users``'.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.data.customers import CustomerRepository
from salesportal.data.users import AccessRecords, UserDirectory
from salesportal.http import caller, rest_resolver
from salesportal.models.admin import (
    DISABLE_DOCS,
    ENABLE_DOCS,
    ROLES_DOCS,
    USER_DOCS,
    USER_ID,
    USERS_DOCS,
    EmailPrefixQuery,
    Group,
    RolesUpdate,
    User,
    UserStatus,
)
from salesportal.models.common import Page
from salesportal.observability import entrypoint, logger, metrics
from salesportal.workflows import managing_users as users

app = rest_resolver()
UserId = Annotated[str, Path(alias="userId", pattern=USER_ID)]


class UsersSettings(Settings):
    user_pool_id: str
    customers_table_name: str


def _ports() -> users.Ports:
    settings = load(UsersSettings)
    records = AccessRecords(CustomerRepository(settings.customers_table_name))
    return users.Ports(UserDirectory(settings.user_pool_id), records, clock=lambda: datetime.now(UTC))


def _admin() -> users.Admin:
    principal = caller(app)
    return users.Admin(principal.sub, principal.actor)


def _answer(change: users.Change, metric: str) -> User:
    if change.changed:
        metrics.add_metric(name=metric, unit="Count", value=1)
        logger.info("user access changed", extra={"user_id": change.user.user_id, "metric": metric})
    if change.profile_created:
        logger.warning(
            "customer profile was missing; created with the role", extra={"user_id": change.user.user_id}
        )
    return User.of(change.user)


@app.get("/admin/users", **USERS_DOCS)
def list_users(
    group: Annotated[Group | None, Query()] = None,
    status: Annotated[UserStatus | None, Query()] = None,
    email: EmailPrefixQuery = None,
    limit: Annotated[int, Query(ge=1, le=60)] = 20,
    next_token: Annotated[str | None, Query(alias="nextToken", max_length=4096)] = None,
) -> Page[User]:
    page = users.search(_ports(), users.UserSearch(group, status, email), limit=limit, token=next_token)
    return Page[User](items=[User.of(u) for u in page.items], next_token=page.next_token)


@app.get("/admin/users/<userId>", **USER_DOCS)
def get_user(user_id: UserId) -> User:
    return User.of(users.find(_ports(), user_id))


@app.put("/admin/users/<userId>/roles", **ROLES_DOCS)
def set_roles(user_id: UserId, body: RolesUpdate) -> User:
    return _answer(users.set_roles(_ports(), _admin(), user_id, tuple(body.groups)), "UserRolesChanged")


@app.post("/admin/users/<userId>/disable", **DISABLE_DOCS)
def disable(user_id: UserId) -> User:
    return _answer(users.set_enabled(_ports(), _admin(), user_id, False), "UsersDisabled")


@app.post("/admin/users/<userId>/enable", **ENABLE_DOCS)
def enable(user_id: UserId) -> User:
    return _answer(users.set_enabled(_ports(), _admin(), user_id, True), "UsersEnabled")


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
