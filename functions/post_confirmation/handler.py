"""Cognito post-confirmation trigger: every confirmed sign-up gets a profile and the customers group.

Both steps are idempotent, so Cognito's retry of a timed-out trigger is harmless. A failure
is reported to the user, but Cognito keeps the account confirmed: the errors alarm fires,
and an admin granting the customers role (`PUT /admin/users/{userId}/roles`) creates the
missing profile and group (README, "Analytics, operations and compliance").
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.data_classes import event_source
from aws_lambda_powertools.utilities.data_classes.cognito_user_pool_event import PostConfirmationTriggerEvent
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal import aws
from salesportal.config import Settings, load
from salesportal.data.customers import CustomerRepository
from salesportal.observability import entrypoint, logger

CUSTOMERS_GROUP = "customers"
ACTOR = "system:post_confirmation"


class PostConfirmationSettings(Settings):
    customers_table_name: str


@entrypoint()
@event_source(data_class=PostConfirmationTriggerEvent)
def lambda_handler(event: PostConfirmationTriggerEvent, context: LambdaContext) -> dict[str, Any]:
    # A password reset also confirms; only a sign-up creates a customer.
    if event.trigger_source != "PostConfirmation_ConfirmSignUp":
        return event.raw_event
    settings = load(PostConfirmationSettings)
    attributes = event.request.user_attributes
    sub = attributes["sub"]
    # Trigger clients: two calls that give up in time for Cognito's 5 s, whose retry replays both.
    customers = CustomerRepository(settings.customers_table_name, aws.trigger_client("dynamodb"))
    created = customers.create_if_absent(sub, attributes.get("email"), actor=ACTOR, now=datetime.now(UTC))
    # AdminAddUserToGroup is idempotent: adding a member again succeeds.
    aws.trigger_client("cognito-idp").admin_add_user_to_group(
        UserPoolId=event.user_pool_id,
        Username=event.user_name,
        GroupName=CUSTOMERS_GROUP,
    )
    logger.info("customer confirmed", extra={"customer_id": sub, "profile_created": created})
    return event.raw_event
