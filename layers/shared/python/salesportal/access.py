"""Who may call a route, as the manifest states it: the one statement of a route's access level.

The stack gives every API function ``ROUTE_ACCESS``, its routes and their levels as JSON
(``{"GET /policies/{policyId}": "customer", ...}``), built from ``infrastructure.manifest``;
the OpenAPI document and the auth-matrix test read the same routes there. The resolver looks
the request up here before anything else runs, so a handler never states a role itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from salesportal.auth import Role
from salesportal.config import Settings, load

PUBLIC = "public"
_LEVELS: Mapping[str, Role | None] = {
    PUBLIC: None,
    "customer": Role.CUSTOMER,
    "agent": Role.AGENT,
    "admin": Role.ADMIN,
}


class AccessSettings(Settings):
    route_access: str = "{}"


@dataclass(frozen=True)
class RouteAccess:
    method: str
    template: str
    pattern: re.Pattern[str]
    minimum: Role | None  # None: public


def _pattern(template: str) -> re.Pattern[str]:
    """``/policies/{policyId}`` matches ``/policies/<one segment>``; ``{proxy+}`` any rest."""
    parts = re.split(r"(\{[^}]+\})", template)
    regex = "".join(
        (".+" if part.endswith("+}") else "[^/]+") if part.startswith("{") else re.escape(part)
        for part in parts
    )
    return re.compile(f"^{regex}/?$")


@cache
def _table(raw: str) -> tuple[RouteAccess, ...]:
    listed: dict[str, str] = json.loads(raw)
    table = []
    for route, level in listed.items():
        method, template = route.split(" ", 1)
        table.append(RouteAccess(method.upper(), template, _pattern(template), _LEVELS[level]))
    # A literal segment wins over a parameter (``/policies/due`` before ``/policies/{id}``).
    return tuple(sorted(table, key=lambda r: (r.template.count("{"), -len(r.template))))


def routes() -> tuple[RouteAccess, ...]:
    return _table(load(AccessSettings).route_access)


def route_of(event: Mapping[str, Any]) -> RouteAccess | None:
    """The manifest's route this request is for, or None when the manifest names none."""
    method = str(event.get("httpMethod") or "").upper()
    resource = event.get("resource")
    path = str(event.get("path") or "")
    candidates = [r for r in routes() if r.method == method]
    for route in candidates:
        if route.template == resource:
            return route
    for route in candidates:
        if route.pattern.match(path):
            return route
    return None
