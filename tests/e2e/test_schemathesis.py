"""Property-based API testing: schemathesis generates requests from the generated OpenAPI
document and sends them to the offline stack; nothing a client sends may cause a 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from infrastructure.openapi import build

pytestmark = pytest.mark.e2e

schema = schemathesis.openapi.from_dict(build())


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_causes_a_server_error(case, local_stack):
    # Its own client address, so the fuzzing neither hits nor drains the shared rate bucket.
    headers = {"Authorization": local_stack.token("admin"), "X-Forwarded-For": "203.0.113.200"}
    response = case.call(base_url=local_stack.api_url, headers=headers)
    case.validate_response(response, checks=[not_a_server_error])
