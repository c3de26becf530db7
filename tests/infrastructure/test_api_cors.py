"""Every API function learns the origins the preflight admits (ALLOWED_ORIGINS): the portal's
own and the configured ones, so its answers echo exactly those (salesportal.http)."""

from __future__ import annotations

import json

import pytest

from infrastructure import manifest

API = [fn for fn in manifest.FUNCTIONS if isinstance(fn.trigger, manifest.ApiTrigger)]
OTHERS = [fn for fn in manifest.FUNCTIONS if not isinstance(fn.trigger, manifest.ApiTrigger)]


def _variables(synthesized, name: str) -> dict:
    function = synthesized.stack.functions.functions[name]
    props = synthesized.resources[synthesized.logical_id(function)]["Properties"]
    return dict(props["Environment"]["Variables"])


@pytest.mark.parametrize("fn", API, ids=lambda fn: fn.name)
def test_each_api_function_gets_the_preflights_origins(synthesized, fn):
    origins = json.dumps(_variables(synthesized, fn.name)["ALLOWED_ORIGINS"])
    assert "http://localhost:5173" in origins  # context allowedOrigins (from callbackUrls)
    assert "https://" in origins and "PortalCdn" in origins  # the distribution's domain
    assert "*" not in origins


@pytest.mark.parametrize("fn", OTHERS, ids=lambda fn: fn.name)
def test_no_other_function_gets_origins(synthesized, fn):
    assert "ALLOWED_ORIGINS" not in _variables(synthesized, fn.name)
