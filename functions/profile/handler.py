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
from salesportal.contract import ETAG, reads_headers, refusals, request_header, success
from salesportal.data.customers import CustomerRepository
from salesportal.data.dynamo import StateChanged
from salesportal.domain import profile as rules
from salesportal.domain.profile import CustomerProfile
from salesportal.errors import BadRequest, NotFound, PreconditionFailed
from salesportal.http import caller, header, rest_resolver
from salesportal.models.customers import Profile, ProfileUpdate
from salesportal.observability import entrypoint

app = rest_resolver()
IF_MATCH = r'^(\*|(W/)?"?[0-9]{1,18}"?)$'  # what _expected_version accepts
_MAX_VERSION_DIGITS = 18


class ProfileSettings(Settings):
    customers_table_name: str


def _customers() -> CustomerRepository:
    return CustomerRepository(load(ProfileSettings).customers_table_name)


def _respond(profile: CustomerProfile) -> Response[Profile]:
    return Response(
        status_code=200,
        content_type="application/json",
        body=Profile.from_entity(profile),
        headers={"ETag": f'"{profile.version}"'},
    )


def _expected_version() -> int | None:
    raw = header(app, "If-Match")
    if raw is None or raw.strip() == "*":
        return None
    # Versions count up from 1: more than 18 digits was never an ETag of ours, and would reach
    # DynamoDB as a number beyond its 38 digits (a 500). int() alone also takes "+1" and "1_0".
    digits = raw.strip().removeprefix("W/").strip('"')
    if not (digits.isascii() and digits.isdigit() and len(digits) <= _MAX_VERSION_DIGITS):
        raise BadRequest("If-Match must be an ETag returned by GET /me.", code="invalid_if_match")
    return int(digits)


@app.get(
    "/me",
    responses={
        200: success("Your profile; ETag is its version", headers=ETAG),
        **refusals({404: "No profile exists for this account yet (profile_not_found)"}),
    },
)
def get_me() -> Response[Profile]:
    principal = caller(app)
    profile = _customers().profile(principal.sub)
    if profile is None:
        raise NotFound("No profile exists for this account yet.", code="profile_not_found")
    return _respond(profile)


@app.put(
    "/me",
    responses={
        200: success("The profile as stored; ETag is its new version", headers=ETAG),
        **refusals(
            {
                400: "If-Match is not an ETag of this API (invalid_if_match)",
                404: "No profile exists for this account yet (profile_not_found)",
                412: "If-Match names a version that is no longer current (precondition_failed)",
                422: "A rule beyond the schema: age 18 to 120 today, SMS needs a phone (validation_error)",
            }
        ),
    },
    openapi_extensions=reads_headers(
        request_header(
            "If-Match",
            "The ETag from GET /me: the update applies only to that version (* or absent: any)",
            pattern=IF_MATCH,
        )
    ),
)
def put_me(body: ProfileUpdate) -> Response[Profile]:
    principal = caller(app)
    now = datetime.now(UTC)
    change = body.to_change()
    rules.validate_update(change, now.date())
    try:
        profile = _customers().update_profile(
            principal.sub, change, actor=principal.actor, now=now, expected_version=_expected_version()
        )
    except StateChanged:
        raise PreconditionFailed(
            "The profile changed since you read it; fetch it again and retry.", code="version_mismatch"
        ) from None
    if profile is None:
        raise NotFound("No profile exists for this account yet.", code="profile_not_found")
    return _respond(profile)


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
