"""Forged tokens for the auth tests: expired, tampered, wrong audience.

moto signs every pool's tokens with one fixed key shipped in its package; signing with it
is how a test makes a token that is valid in every way except the one under test.
"""

from __future__ import annotations

import gzip
import json
import time
from importlib import resources
from typing import Any

import jwt


def _moto_private_key() -> Any:
    raw = resources.files("moto.cognitoidp").joinpath("resources/jwks-private.json.gz").read_bytes()
    return jwt.PyJWK(json.loads(gzip.decompress(raw))).key


def reissued(token: str, **changes: Any) -> str:
    """The same claims as ``token`` with ``changes``, signed with the pool's key."""
    claims = jwt.decode(token, options={"verify_signature": False})
    claims.update(changes)
    return jwt.encode(
        claims,
        _moto_private_key(),
        algorithm="RS256",
        headers={"kid": jwt.get_unverified_header(token)["kid"]},
    )


def expired(token: str) -> str:
    now = int(time.time())
    return reissued(token, iat=now - 7200, exp=now - 3600)


def tampered(token: str) -> str:
    """A token whose payload was edited after signing (groups raised to admin)."""
    header, _payload, signature = token.split(".")
    claims = jwt.decode(token, options={"verify_signature": False})
    claims["cognito:groups"] = ["admins"]
    forged = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
    return f"{header}.{forged}.{signature}"
