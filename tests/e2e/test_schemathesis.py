"""Property-based API testing: schemathesis generates requests from the generated OpenAPI
document and sends them to an offline stack as a customer, an agent and an admin, with every
check on: no 5xx, every status, content type, body and header as documented, invalid input
refused and valid input accepted.

Where a check's default expectation calls a correct answer wrong, the configuration below
widens that one expectation for the operations concerned and says why; the API is never
weakened to please the tool.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from infrastructure.openapi import build
from tests.e2e.conftest import LocalStack, start_stack, stop_stack

pytestmark = pytest.mark.e2e

ROLES = ("customer", "agent", "admin")
MAX_EXAMPLES = 15  # per operation and role, besides schemathesis' coverage cases

DOCUMENT = build()

# Lists take an opaque nextToken the API issued. A well-formed string it did not issue (from
# another list, an older version, or made up) is refused with 400 invalid_next_token: no
# schema can tell which strings were issued.
_PAGINATED = [
    f"GET {path}"
    for path, item in DOCUMENT["paths"].items()
    if any(p["name"] == "nextToken" for p in item.get("get", {}).get("parameters", []))
]
_VALID_BUT_REFUSED: dict[str, tuple[list[int], str]] = {
    **{name: ([400], "a nextToken the API did not issue: 400 invalid_next_token") for name in _PAGINATED},
    "GET /admin/analytics": (
        [400],
        "from after to, or a range over 366 days: 400 invalid_parameter (a rule between two "
        "parameters that JSON Schema cannot state)",
    ),
    "POST /quotes": (
        [422],
        "a product, coverage option, state or age the catalogue does not offer: 422 naming the "
        "field (the catalogue is data, not schema)",
    ),
    "PUT /me": (
        [412, 422],
        "If-Match names a version of the caller's own profile, almost never the current one "
        "when generated: 412; the date of birth must make the customer 18 to 120 today, a rule "
        "relative to the current date: 422",
    ),
    "POST /payments/webhook": (
        [400],
        "Stripe-Signature is an HMAC of the body with the gateway's secret; no generated request "
        "carries a valid one: 400 invalid_signature",
    ),
    "PUT /admin/applications/{applicationId}/decision": (
        [422],
        "the premium adjustment is within the API's bounds but outside this deployment's "
        "configured range: 422 naming premiumAdjustmentBps",
    ),
}
_POSITIVE_DEFAULT = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]

_LEVEL = {"public": 0, "customer": 1, "agent": 2, "admin": 3}


def _config(role: str) -> Any:
    # Operations above the role answer 403 before reading anything: a few cases show it is
    # documented; the full coverage is spent on the operations the role may use.
    refused = [
        name
        for name, operation in (
            (f"{method.upper()} {path}", operation)
            for path, item in DOCUMENT["paths"].items()
            for method, operation in item.items()
        )
        if _LEVEL[operation["x-access"]] > _LEVEL[role]
    ]
    return schemathesis.Config.from_dict(
        {
            "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
            # API Gateway (REST) answers a method a resource does not define with 403 (its
            # MISSING_AUTHENTICATION_TOKEN response, before any authorizer), never 405 with
            # Allow; the offline gateway answers the same. One such method per operation is
            # still sent, for not_a_server_error.
            "checks": {"unsupported_method": {"enabled": False}},
            "phases": {"coverage": {"unexpected-methods": ["trace"]}},
            "operations": [
                *(
                    {
                        "include-name": name,
                        "checks": {
                            "positive_data_acceptance": {
                                "expected-statuses": [*_POSITIVE_DEFAULT, *(str(s) for s in statuses)]
                            }
                        },
                    }
                    for name, (statuses, _why) in _VALID_BUT_REFUSED.items()
                ),
                *(
                    {
                        "include-name": name,
                        "generation": {"max-examples": 3},
                        "phases": {"coverage": {"enabled": False}},
                    }
                    for name in refused
                ),
            ],
        }
    )


_TOKENS: dict[str, str] = {}
_ROLE_TOKEN = "role-token:"  # stands for the role's token until the stack has issued it


def _schema_as(role: str) -> Any:
    """The document with the role's ID token as its credentials. Set through schemathesis'
    auth (not as a fixed header), so the cases that leave the token out on purpose go
    without it and must be refused. Cases are generated before the stack runs, so they carry
    a stand-in that ``_call`` swaps for the token."""
    schema = schemathesis.openapi.from_dict(DOCUMENT, config=_config(role))

    @schema.auth()
    class RoleToken:
        def get(self, case: Any, ctx: Any) -> str:
            return _ROLE_TOKEN + role

        def set(self, case: Any, data: str, ctx: Any) -> None:
            case.headers = {**(case.headers or {}), "Authorization": data}

    return schema


def _call(case: Any, stack: LocalStack) -> None:
    presented = (case.headers or {}).get("Authorization", "")
    if presented.startswith(_ROLE_TOKEN):
        case.headers["Authorization"] = _TOKENS[presented.removeprefix(_ROLE_TOKEN)]
    case.call_and_validate(base_url=stack.api_url)


@pytest.fixture(scope="module")
def fuzz_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    """A stack of its own: the fuzzing neither drains the shared stack's per-address rate
    bucket nor leaves its data (users, quotes, sync runs) where other tests count things.
    Its address limit is lifted so the throttle answers only where a route has its own."""
    state: Path = tmp_path_factory.mktemp("fuzz-stack")
    process, info = start_stack(
        state, "--rate-limit", "100000", "--burst", "100000", "--plans", "50", "--no-schedules"
    )
    try:
        with httpx.Client(timeout=30) as http:
            stack = LocalStack(info, http)
            _TOKENS.update({role: stack.token(role) for role in ROLES})
            yield stack
    finally:
        assert stop_stack(process) == 0, "the offline stack did not stop cleanly"


def _fuzz(role: str) -> Any:
    @_schema_as(role).parametrize()
    @settings(deadline=None, suppress_health_check=list(HealthCheck))
    def test(case: Any, fuzz_stack: LocalStack) -> None:
        _call(case, fuzz_stack)

    test.__name__ = f"test_api_conforms_to_its_openapi_as_{role}"
    return test


test_api_conforms_to_its_openapi_as_customer = _fuzz("customer")
test_api_conforms_to_its_openapi_as_agent = _fuzz("agent")
test_api_conforms_to_its_openapi_as_admin = _fuzz("admin")
