"""Demo users in the local pool, one per group, confirmed the way a real sign-up is."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import boto3

# Fixed, documented demo credentials: the local pool holds nothing of value.
DEMO_USERS = {
    "customer": ("customer@example.com", "Customer-Demo-2026!", ["customers"]),
    "agent": ("agent@example.com", "Agent-Demo-2026!", ["customers", "agents"]),
    "admin": ("admin@example.com", "Admin-Demo-2026!", ["customers", "admins"]),
}


def post_confirmation_event(
    pool_id: str, client_id: str, username: str, sub: str, email: str
) -> dict[str, Any]:
    return {
        "version": "1",
        "region": "us-east-1",
        "userPoolId": pool_id,
        "userName": username,
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": client_id},
        "triggerSource": "PostConfirmation_ConfirmSignUp",
        "request": {
            "userAttributes": {
                "sub": sub,
                "email": email,
                "email_verified": "true",
                "cognito:user_status": "CONFIRMED",
            }
        },
        "response": {},
    }


def create_user(
    cognito: Any,
    pool_id: str,
    client_id: str,
    email: str,
    password: str,
    groups: list[str],
    invoke: Callable[[str, dict[str, Any]], Any],
) -> str:
    """A confirmed user with a permanent password; moto fires no Cognito triggers, so this
    invokes the post-confirmation function itself, with the event Cognito would send."""
    user = cognito.admin_create_user(
        UserPoolId=pool_id,
        Username=email,
        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
        MessageAction="SUPPRESS",
    )["User"]
    cognito.admin_set_user_password(UserPoolId=pool_id, Username=email, Password=password, Permanent=True)
    sub = next(a["Value"] for a in user["Attributes"] if a["Name"] == "sub")
    invoke("post_confirmation", post_confirmation_event(pool_id, client_id, user["Username"], sub, email))
    for group in groups:
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=email, GroupName=group)
    return str(sub)


def create_demo_users(
    endpoint_url: str, region: str, pool_id: str, client_id: str, invoke: Callable[[str, dict[str, Any]], Any]
) -> dict[str, dict[str, str]]:
    cognito = boto3.client("cognito-idp", endpoint_url=endpoint_url, region_name=region)
    users = {}
    for role, (email, password, groups) in DEMO_USERS.items():
        create_user(cognito, pool_id, client_id, email, password, groups, invoke)
        users[role] = {"username": email, "password": password}
    return users


def random_password() -> str:
    return f"Pw-{uuid.uuid4().hex[:12]}-9!"


def post_authentication_event(
    pool_id: str, client_id: str, username: str, attributes: dict[str, str]
) -> dict[str, Any]:
    return {
        "version": "1",
        "region": "us-east-1",
        "userPoolId": pool_id,
        "userName": username,
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": client_id},
        "triggerSource": "PostAuthentication_Authentication",
        "request": {"userAttributes": attributes, "newDeviceUsed": False},
        "response": {},
    }


def sign_in(
    cognito: Any,
    pool_id: str,
    client_id: str,
    username: str,
    password: str,
    invoke: Callable[[str, dict[str, Any]], Any],
) -> dict[str, str]:
    """USER_PASSWORD_AUTH, then the post-authentication trigger Cognito would fire (moto fires
    none). A refused sign-in raises Cognito's own error and fires nothing, as Cognito does."""
    result: dict[str, str] = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )["AuthenticationResult"]
    user = cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    # Cognito's userAttributes: the stored attributes plus the user's status.
    attributes = {a["Name"]: a["Value"] for a in user.get("UserAttributes", [])}
    attributes["cognito:user_status"] = user["UserStatus"]
    invoke("sign_in_recorder", post_authentication_event(pool_id, client_id, user["Username"], attributes))
    return result
