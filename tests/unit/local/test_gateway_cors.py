"""The local gateway's CORS preflight admits the portal's origins, as the deployed one does."""

from __future__ import annotations

from infrastructure.local.gateway import _cors_preflight

PORTAL = "http://127.0.0.1:8080"
DEV = "http://localhost:5173"


def test_a_listed_origin_is_echoed_and_the_answer_varies_by_origin():
    headers = _cors_preflight((PORTAL, DEV), DEV)
    assert headers["Access-Control-Allow-Origin"] == DEV
    assert headers["Vary"] == "Origin"
    assert "Idempotency-Key" in headers["Access-Control-Allow-Headers"]


def test_another_site_is_not_admitted():
    headers = _cors_preflight((PORTAL, DEV), "https://evil.example")
    assert headers["Access-Control-Allow-Origin"] == PORTAL  # not the caller's: the browser refuses


def test_without_configured_origins_no_origin_is_admitted():
    assert "Access-Control-Allow-Origin" not in _cors_preflight((), "https://anything.example")
