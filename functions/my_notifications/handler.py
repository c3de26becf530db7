"""GET /me/notifications: what was sent to the signed-in customer, newest first, each message
in the language it was sent in (the customer's preferred language at the time)."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.data.activity import ActivityRepository
from salesportal.http import caller, rest_resolver
from salesportal.models.common import Page
from salesportal.models.notifications import Notification
from salesportal.observability import entrypoint

app = rest_resolver()


class MyNotificationsSettings(Settings):
    activity_table_name: str


@app.get("/me/notifications")
def list_notifications(
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
    next_token: Annotated[str | None, Query(alias="nextToken", max_length=2048)] = None,
) -> Page[Notification]:
    principal = caller(app)
    sent = ActivityRepository(load(MyNotificationsSettings).activity_table_name).notifications(
        principal.sub, limit=limit, token=next_token
    )
    return Page[Notification](
        items=[Notification.from_entity(s) for s in sent.items], next_token=sent.next_token
    )


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
