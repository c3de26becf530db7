"""The API's own answers admit only the configured portal origins: a listed Origin is echoed,
any other gets no Access-Control-Allow-Origin, and no answer ever says ``*``."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from salesportal.config import load
from salesportal.errors import NotFound
from salesportal.http import rest_resolver
from tests.support.api import header_of, rest_event
from tests.support.lambdas import FakeContext

PORTAL = "https://portal.example.com"
DEV = "http://localhost:5173"

public = rest_resolver()
guarded = rest_resolver()  # its route is the customer's (ROUTE_ACCESS below)


@public.get("/things")
def things() -> dict[str, str]:
    return {"ok": "yes"}


@public.get("/missing")
def missing() -> dict[str, str]:
    raise NotFound("No such thing.")


@guarded.get("/mine")
def mine() -> dict[str, str]:
    return {"ok": "yes"}


@pytest.fixture(autouse=True)
def route_access(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The manifest's statement of these routes, as the stack hands it to a function."""
    access = {"GET /things": "public", "GET /missing": "public", "GET /mine": "customer"}
    monkeypatch.setenv("ROUTE_ACCESS", json.dumps(access))
    load.cache_clear()
    yield
    load.cache_clear()


@pytest.fixture
def origins(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ALLOWED_ORIGINS", f"{PORTAL}, {DEV}")
    load.cache_clear()
    yield
    load.cache_clear()


def _answer(app, path: str, origin: str | None) -> dict:
    headers = {"Origin": origin} if origin else {}
    return app.resolve(rest_event("GET", path, headers=headers), FakeContext("api"))


@pytest.mark.parametrize("origin", [PORTAL, DEV])
@pytest.mark.parametrize("path", ["/things", "/missing"])
def test_a_listed_origin_is_echoed(origins, origin, path):
    answer = _answer(public, path, origin)
    assert header_of(answer, "Access-Control-Allow-Origin") == origin
    assert "Retry-After" in (header_of(answer, "Access-Control-Expose-Headers") or "")
    assert header_of(answer, "Vary") == "Origin"


@pytest.mark.parametrize("origin", ["https://evil.example", "null", PORTAL + ".evil.example", None])
def test_an_unlisted_or_missing_origin_gets_no_cors_headers(origins, origin):
    answer = _answer(public, "/things", origin)
    assert answer["statusCode"] == 200
    assert header_of(answer, "Access-Control-Allow-Origin") is None
    assert header_of(answer, "Access-Control-Allow-Headers") is None
    assert header_of(answer, "Vary") == "Origin"  # a cache keeps one copy per origin


def test_a_refusal_before_routing_follows_the_same_rule(origins):
    listed = _answer(guarded, "/mine", PORTAL)
    assert listed["statusCode"] == 401
    assert header_of(listed, "Access-Control-Allow-Origin") == PORTAL
    assert header_of(listed, "Vary") == "Origin"
    unlisted = _answer(guarded, "/mine", "https://evil.example")
    assert unlisted["statusCode"] == 401
    assert header_of(unlisted, "Access-Control-Allow-Origin") is None


@pytest.mark.parametrize("origin", [PORTAL, "https://evil.example", "*", None])
def test_without_configured_origins_no_answer_allows_any(monkeypatch, origin):
    monkeypatch.delenv("ALLOWED_ORIGINS", raising=False)
    load.cache_clear()
    try:
        for app, path in ((public, "/things"), (public, "/missing"), (guarded, "/mine")):
            assert header_of(_answer(app, path, origin), "Access-Control-Allow-Origin") is None
    finally:
        load.cache_clear()


def test_the_origins_are_read_on_first_request_not_at_import(monkeypatch):
    # The resolvers above were built before any ALLOWED_ORIGINS was set.
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://later.example")
    load.cache_clear()
    try:
        answer = _answer(public, "/things", "https://later.example")
        assert header_of(answer, "Access-Control-Allow-Origin") == "https://later.example"
    finally:
        load.cache_clear()
