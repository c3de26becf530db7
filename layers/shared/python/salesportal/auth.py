"""Who is calling: a Principal from the Cognito authorizer's claims, and role checks.

API Gateway has already verified the token; this module decides what the caller may do.
A customer's identity is the token's ``sub`` and nothing else: never a path, query or body.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from salesportal.errors import Forbidden, NotFound, Unauthorized


class Role(IntEnum):
    """Ordered access levels: a higher role may do everything a lower one may."""

    CUSTOMER = 1
    AGENT = 2
    ADMIN = 3


GROUP_ROLES: Mapping[str, Role] = {"customers": Role.CUSTOMER, "agents": Role.AGENT, "admins": Role.ADMIN}


@dataclass(frozen=True)
class Principal:
    sub: str
    email: str | None
    groups: frozenset[str]

    @property
    def role(self) -> Role | None:
        roles = [GROUP_ROLES[g] for g in self.groups if g in GROUP_ROLES]
        return max(roles) if roles else None

    @property
    def actor(self) -> str:
        """How this caller is named in audit records: role and subject, never an email."""
        return f"{self.role.name.lower() if self.role else 'user'}:{self.sub}"

    def has(self, minimum: Role) -> bool:
        role = self.role
        return role is not None and role >= minimum


def parse_groups(raw: Any) -> frozenset[str]:
    """``cognito:groups`` arrives as a list (JWT), "a,b" (REST authorizer) or "[a b]"."""
    if raw is None or raw == "":
        return frozenset()
    if isinstance(raw, list | tuple):
        return frozenset(str(g) for g in raw)
    text = str(raw).strip().strip("[]")
    return frozenset(part for part in text.replace(",", " ").split() if part)


def principal_from_event(event: Mapping[str, Any]) -> Principal | None:
    """The caller of a REST proxy event, or None when no authorizer ran (a public route)."""
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    claims = authorizer.get("claims") or {}
    sub = claims.get("sub")
    if not sub:
        return None
    return Principal(sub=sub, email=claims.get("email"), groups=parse_groups(claims.get("cognito:groups")))


def require(event: Mapping[str, Any], minimum: Role) -> Principal:
    """The caller, if they hold at least ``minimum``; 401 without identity, 403 below it."""
    principal = principal_from_event(event)
    if principal is None:
        raise Unauthorized("Sign in to use this resource.")
    if not principal.has(minimum):
        raise Forbidden(f"This resource needs the {minimum.name.lower()} role.")
    return principal


def require_owner(principal: Principal, owner_id: str) -> None:
    """Customers reach only their own records; staff roles are checked by the route level.

    A foreign record answers 404, not 403, so ids cannot be probed for existence.
    """
    if principal.sub != owner_id and not principal.has(Role.AGENT):
        raise NotFound("No such resource.")
