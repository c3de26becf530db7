"""GET /me and PUT /me: the signed-in customer's own profile.

The profile is always the caller's (the token's ``sub``); PUT honours ``If-Match`` with the
ETag from GET, so two tabs cannot silently overwrite each other.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.data.customers import CustomerRepository
from salesportal.domain.profile import CustomerProfile
from salesportal.http import caller, header, rest_resolver
from salesportal.models.customers import GET_ME_DOCS, PUT_ME_DOCS, Profile, ProfileUpdate, expected_version
from salesportal.observability import entrypoint
from salesportal.workflows import keeping_profiles as profiles

app = rest_resolver()


class ProfileSettings(Settings):
    customers_table_name: str


def _ports() -> profiles.Ports:
    customers = CustomerRepository(load(ProfileSettings).customers_table_name)
    return profiles.Ports(customers, clock=lambda: datetime.now(UTC))


def _respond(profile: CustomerProfile) -> Response[Profile]:
    body, etag = Profile.from_entity(profile), f'"{profile.version}"'
    return Response(status_code=200, content_type="application/json", body=body, headers={"ETag": etag})


@app.get("/me", **GET_ME_DOCS)
def get_me() -> Response[Profile]:
    return _respond(profiles.read(_ports(), caller(app).sub))


@app.put("/me", **PUT_ME_DOCS)
def put_me(body: ProfileUpdate) -> Response[Profile]:
    principal, version = caller(app), expected_version(header(app, "If-Match"))
    updated = profiles.update(
        _ports(), principal.sub, principal.actor, body.to_change(), expected_version=version
    )
    return _respond(updated)


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
