"""The auth matrix: every manifest route x every kind of caller gets what its level implies.

Generated from the manifest, so a new route is covered the moment it is declared. The
point is authentication and authorization only: a caller who is let in may still get a
404 or 422 for a placeholder id or an empty body, but never 401 or 403.
"""

from __future__ import annotations

import re

import pytest

from infrastructure import manifest
from infrastructure.manifest import Access
from tests.e2e.tokens import expired, tampered

pytestmark = pytest.mark.e2e

CALLERS = ["anonymous", "tampered", "expired", "customer", "other_customer", "agent", "admin"]
LEVEL = {Access.PUBLIC: 0, Access.CUSTOMER: 1, Access.AGENT: 2, Access.ADMIN: 3}
CALLER_LEVEL = {"customer": 1, "other_customer": 1, "agent": 2, "admin": 3}

ROUTES = [pytest.param(route, id=f"{route.method} {route.path}") for _fn, route in manifest.routes()]


def _concrete(path: str) -> str:
    return re.sub(r"\{\w+\}", "placeholder-id-0000", path)


def _token(local_stack, other_customer, caller: str) -> str | None:
    if caller == "anonymous":
        return None
    if caller == "other_customer":
        return other_customer
    if caller in ("tampered", "expired"):
        token = local_stack.token("customer")
        return tampered(token) if caller == "tampered" else expired(token)
    return local_stack.token(caller)


def expected(access: Access, caller: str) -> set[int] | None:
    """The statuses the caller must get, or None for 'anything but 401/403'."""
    if access is Access.PUBLIC:
        return None
    if caller in ("anonymous", "tampered", "expired"):
        return {401}
    return None if CALLER_LEVEL[caller] >= LEVEL[access] else {403}


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route", ROUTES)
def test_route_access(local_stack, other_customer, route, caller):
    token = _token(local_stack, other_customer, caller)
    body = {} if route.method in ("POST", "PUT", "PATCH") else None
    response = local_stack.request(route.method, _concrete(route.path), token=token, json=body)
    allowed = expected(route.access, caller)
    if allowed is None:
        assert response.status_code not in (401, 403), response.text
        assert response.status_code < 500, response.text
    else:
        assert response.status_code in allowed, response.text
