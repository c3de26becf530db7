"""User management for admins: list users, set their roles (groups), disable and enable.

Cognito holds the truth; every change is also written to the user's access record in the
customers table, whose stream (the outbox) writes the audit trail with the admin as actor.
An admin cannot take away their own admin role or disable themselves: the last admin could
otherwise lock everyone out. A repeated request that changes nothing writes nothing.

Granting the customers role also creates the customer's profile if it is missing. Cognito
confirms a sign-up even when the post-confirmation trigger fails (its errors alarm), which
leaves an account with neither group nor profile; this is the repair.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.auth import Principal
from salesportal.config import Settings, load
from salesportal.contract import refusals, success
from salesportal.data.customers import CustomerRepository
from salesportal.data.users import UserDirectory
from salesportal.errors import Conflict
from salesportal.http import caller, rest_resolver
from salesportal.models.admin import USER_ID, Group, RolesUpdate, User, UserStatus
from salesportal.models.common import Page
from salesportal.observability import entrypoint, logger, metrics

app = rest_resolver()
ADMINS = "admins"
CUSTOMERS = "customers"
UserId = Annotated[str, Path(alias="userId", pattern=USER_ID)]


class UsersSettings(Settings):
    user_pool_id: str
    customers_table_name: str


def _directory() -> UserDirectory:
    return UserDirectory(load(UsersSettings).user_pool_id)


def _customers() -> CustomerRepository:
    return CustomerRepository(load(UsersSettings).customers_table_name)


def _record(admin: Principal, user: dict[str, Any], after: dict[str, Any]) -> None:
    before = {"groups": user["groups"], "enabled": user["enabled"]}
    _customers().record_access(
        user["userId"], before, {**before, **after}, actor=admin.actor, now=datetime.now(UTC)
    )


@app.get("/admin/users")
def list_users(
    group: Annotated[Group | None, Query()] = None,
    status: Annotated[UserStatus | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=60)] = 20,
    next_token: Annotated[str | None, Query(alias="nextToken", max_length=4096)] = None,
) -> Page[User]:
    caller(app)
    users, token = _directory().search(group=group, status=status, limit=limit, token=next_token)
    return Page[User](items=[User.model_validate(u) for u in users], next_token=token)


@app.get(
    "/admin/users/<userId>",
    responses={200: success("The user"), **refusals({404: "No such user"})},
)
def get_user(user_id: UserId) -> User:
    caller(app)
    return User.model_validate(_directory().get(user_id))


@app.put(
    "/admin/users/<userId>/roles",
    responses={
        200: success("The user with the new roles"),
        **refusals(
            {404: "No such user", 409: "An admin cannot remove their own admin role (own_admin_role)"}
        ),
    },
)
def set_roles(user_id: UserId, body: RolesUpdate) -> User:
    admin = caller(app)
    if user_id == admin.sub and ADMINS not in body.groups:
        raise Conflict("You cannot remove your own admin role; ask another admin.", code="own_admin_role")
    directory = _directory()
    user = directory.get(user_id)
    wanted = list(body.groups)
    if sorted(user["groups"]) != wanted:
        if CUSTOMERS in wanted and CUSTOMERS not in user["groups"]:
            # The profile before the group, as at sign-up: a retry after a failure between
            # the two still finds the group missing and completes both.
            created = _customers().create_if_absent(
                user_id, user["email"], actor=admin.actor, now=datetime.now(UTC)
            )
            if created:
                logger.warning(
                    "customer profile was missing; created with the role", extra={"user_id": user_id}
                )
        directory.set_groups(user["username"], user["groups"], wanted)
        _record(admin, user, {"groups": wanted})
        metrics.add_metric(name="UserRolesChanged", unit="Count", value=1)
        logger.info(
            "user roles changed", extra={"user_id": user_id, "before": user["groups"], "after": wanted}
        )
    return User.model_validate({**user, "groups": wanted})


def _set_enabled(user_id: str, enabled: bool) -> User:
    admin = caller(app)
    if user_id == admin.sub and not enabled:
        raise Conflict("You cannot disable your own account.", code="own_account")
    directory = _directory()
    user = directory.get(user_id)
    if user["enabled"] != enabled:
        directory.set_enabled(user["username"], enabled)
        _record(admin, user, {"enabled": enabled})
        metrics.add_metric(name="UsersEnabled" if enabled else "UsersDisabled", unit="Count", value=1)
        logger.info("user access changed", extra={"user_id": user_id, "enabled": enabled})
    return User.model_validate({**user, "enabled": enabled})


@app.post(
    "/admin/users/<userId>/disable",
    responses={
        200: success("The disabled user"),
        **refusals({404: "No such user", 409: "An admin cannot disable their own account (own_account)"}),
    },
)
def disable(user_id: UserId) -> User:
    return _set_enabled(user_id, False)


@app.post(
    "/admin/users/<userId>/enable",
    responses={200: success("The enabled user"), **refusals({404: "No such user"})},
)
def enable(user_id: UserId) -> User:
    return _set_enabled(user_id, True)


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
