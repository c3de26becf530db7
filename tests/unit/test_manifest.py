"""The manifest and the code agree: folders, routes, settings, events and references."""

from __future__ import annotations

import os
import re

import pytest

from infrastructure import manifest
from infrastructure.manifest import ApiTrigger, Physical, QueueTrigger, StreamTrigger
from salesportal.config import Settings, load
from tests.support.lambdas import ROOT, load_handler

FUNCTIONS = [fn.name for fn in manifest.FUNCTIONS]
API_FUNCTIONS = [fn.name for fn in manifest.FUNCTIONS if isinstance(fn.trigger, ApiTrigger)]

PHYSICAL = Physical.placeholders()


def _powertools_path(rule: str) -> str:
    return re.sub(r"<(\w+)>", r"{\1}", rule)


def test_names_are_unique():
    for names in (FUNCTIONS, [t.name for t in manifest.TABLES], [q.name for q in manifest.QUEUES]):
        assert len(names) == len(set(names))
    routes = [(r.method, r.path) for _, r in manifest.routes()]
    assert len(routes) == len(set(routes))


@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_function_has_a_handler_and_sample_events(name):
    assert (ROOT / "functions" / name / "handler.py").is_file()
    assert list((ROOT / "events" / name).glob("*.json")), f"events/{name}/ has no sample event"
    assert callable(load_handler(name).lambda_handler)


@pytest.mark.parametrize("name", API_FUNCTIONS)
def test_api_handlers_serve_exactly_their_manifest_routes(name):
    fn = manifest.function(name)
    assert isinstance(fn.trigger, ApiTrigger)
    app = load_handler(name).app
    served = {(r.method, _powertools_path(r.path)) for r in app._static_routes + app._dynamic_routes}
    served.discard(("OPTIONS", "/.+"))  # CORS preflight
    assert served == {(r.method, r.path) for r in fn.trigger.routes}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_each_functions_settings_are_satisfied_by_its_manifest_environment(name, monkeypatch):
    """A handler may read only what its grants put in its environment."""
    module = load_handler(name)
    env = manifest.function_environment(manifest.function(name), PHYSICAL)
    for key in list(os.environ):
        if key.endswith(("_TABLE_NAME", "_QUEUE_URL", "_BUCKET_NAME", "_SECRET_ID")) or key in {
            "EVENT_BUS_NAME",
            "EVENT_SOURCE",
            "USER_POOL_ID",
        }:
            monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings_types = [
        v
        for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, Settings) and v is not Settings
    ]
    for settings_type in settings_types:
        load.__wrapped__(settings_type)  # raises if a field has no variable


def test_grants_and_triggers_name_existing_resources():
    tables = {t.name for t in manifest.TABLES}
    queues = {q.name for q in manifest.QUEUES}
    for fn in manifest.FUNCTIONS:
        assert set(fn.grants.tables) <= tables, fn.name
        assert set(fn.grants.send_queues) <= queues, fn.name
        assert set(fn.grants.buckets) <= {b.name for b in manifest.BUCKETS}, fn.name
        assert set(fn.grants.secrets) <= {s.name for s in manifest.SECRETS}, fn.name
        if isinstance(fn.trigger, QueueTrigger):
            assert fn.trigger.queue in queues
            # A message must not reappear while its worker is still running (AWS's advice: 6x).
            assert manifest.queue(fn.trigger.queue).visibility_timeout_s >= 6 * fn.timeout_s
        if isinstance(fn.trigger, StreamTrigger):
            assert fn.trigger.failure_queue in queues
            for table in fn.trigger.tables:
                assert manifest.table(table).stream, f"{table} has no stream for {fn.name}"


def test_tables_with_a_stream_are_all_read_by_the_outbox():
    streamed = {t.name for t in manifest.TABLES if t.stream}
    consumed = {
        t for fn in manifest.FUNCTIONS if isinstance(fn.trigger, StreamTrigger) for t in fn.trigger.tables
    }
    assert streamed == consumed


def test_cognito_triggers_end_before_cognito_stops_waiting():
    """A trigger still running after 5 s has failed the user's sign-up or sign-in already."""
    triggers = [fn for fn in manifest.FUNCTIONS if isinstance(fn.trigger, manifest.CognitoTrigger)]
    assert triggers
    for fn in triggers:
        assert fn.timeout_s <= manifest.CognitoTrigger.MAX_TIMEOUT_S, fn.name


def test_cron_expressions_are_eventbridge_shaped():
    assert manifest.Cron(minute="0", hour="2").expression() == "cron(0 2 * * ? *)"
    assert manifest.Cron(minute="0", hour="9", week_day="MON-FRI").expression() == "cron(0 9 ? * MON-FRI *)"


API_FUNCTIONS = [fn.name for fn in manifest.FUNCTIONS if isinstance(fn.trigger, manifest.ApiTrigger)]


@pytest.mark.parametrize("name", API_FUNCTIONS)
def test_each_route_is_checked_at_the_level_its_manifest_entry_states(name, monkeypatch):
    """The manifest is the one statement of a route's level: the function's environment
    carries it, and the resolver finds every route (with concrete ids) at that level."""
    from salesportal import access
    from salesportal.auth import Role
    from salesportal.config import load

    fn = manifest.function(name)
    env = manifest.function_environment(fn, manifest.Physical.placeholders())
    monkeypatch.setenv("ROUTE_ACCESS", env["ROUTE_ACCESS"])
    load.cache_clear()
    try:
        for route in fn.trigger.routes:
            path = re.sub(r"\{[^}]+\}", "01HZZZZZZZZZZZZZZZZZZZZZZZ", route.path)
            found = access.route_of({"httpMethod": route.method, "path": path, "resource": path})
            assert found is not None, f"{route.method} {route.path}"
            level = None if route.access is manifest.Access.PUBLIC else Role[route.access.name]
            assert (found.template, found.minimum) == (route.path, level)
        assert access.route_of({"httpMethod": "GET", "path": "/not-a-route"}) is None
    finally:
        load.cache_clear()
