"""Loads handlers in-process, the way Lambda does, and builds their context and events."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from infrastructure import manifest
from infrastructure.manifest import Physical

ROOT = Path(__file__).resolve().parents[2]


@cache
def load_handler(name: str) -> ModuleType:
    """Import ``functions/<name>/handler.py`` under a unique module name (every file is handler.py)."""
    path = ROOT / "functions" / name / "handler.py"
    spec = importlib.util.spec_from_file_location(f"salesportal_functions.{name}.handler", path)
    assert spec and spec.loader, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as an import would: pydantic generics look their module up
    spec.loader.exec_module(module)
    return module


class FakeContext:
    def __init__(self, function_name: str, memory_mb: int = 256, timeout_s: int = 10) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = memory_mb
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{function_name}"
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "local"
        self._timeout_ms = timeout_s * 1000

    def get_remaining_time_in_millis(self) -> int:
        return self._timeout_ms


def sample_event(function: str, name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((ROOT / "events" / function / f"{name}.json").read_text())
    return loaded


@contextmanager
def function_env(name: str, physical: Physical) -> Iterator[None]:
    """The environment the manifest gives ``name``, and settings/clients read afresh."""
    from salesportal import aws, secrets
    from salesportal.config import load

    env = manifest.function_environment(manifest.function(name), physical)
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    load.cache_clear()
    aws.reset()
    secrets.reset()
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        load.cache_clear()


def forget_clients(module: ModuleType) -> None:
    """Clear a handler's per-process caches (its settings-bound clients), like a fresh cold start."""
    for value in vars(module).values():
        if (
            callable(getattr(value, "cache_clear", None))
            and getattr(value, "__module__", None) == module.__name__
        ):
            value.cache_clear()


def invoke(name: str, event: dict[str, Any], physical: Physical) -> Any:
    fn = manifest.function(name)
    with function_env(name, physical):
        module = load_handler(name)
        forget_clients(module)
        return module.lambda_handler(event, FakeContext(name, fn.memory_mb, fn.timeout_s))
