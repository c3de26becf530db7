"""Dependency layers: core everywhere, the others exactly where a function's code imports them."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

from infrastructure import manifest
from infrastructure.layers import CORE, LAYERS

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT / "layers" / "shared" / "python"
# What each optional layer's distributions are imported as.
IMPORTED_AS = {
    "fpdf2": "fpdf",
    "openai": "openai",
    "simple-salesforce": "simple_salesforce",
    "cryptography": "cryptography",
}


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function (lazy imports count)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _source(module: str) -> Path | None:
    base = SHARED / Path(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@cache
def third_party_reached(handler: Path) -> frozenset[str]:
    """Top-level third-party packages the handler's import graph reaches through salesportal."""
    seen: set[Path] = set()
    todo = [handler]
    reached: set[str] = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in _imports(path):
            if name.split(".")[0] == "salesportal":
                source = _source(name)
                if source is not None:
                    todo.append(source)
            else:
                reached.add(name.split(".")[0])
    return frozenset(reached)


def _layers_needed(fn: manifest.Function) -> set[str]:
    reached = third_party_reached(ROOT / fn.source_dir / "handler.py")
    return {
        layer
        for layer, packages in LAYERS.items()
        if layer != CORE and any(IMPORTED_AS[p] in reached for p in packages)
    }


def test_every_optional_layer_package_has_a_known_import_name():
    assert {p for layer, packages in LAYERS.items() if layer != CORE for p in packages} <= set(IMPORTED_AS)


@pytest.mark.parametrize("fn", manifest.FUNCTIONS, ids=lambda fn: fn.name)
def test_a_function_gets_exactly_the_optional_layers_its_code_imports(fn):
    assert set(fn.layers) <= set(LAYERS) - {CORE}, f"{fn.name} names an unknown layer"
    assert set(fn.layers) == _layers_needed(fn)


@pytest.mark.parametrize("fn", manifest.FUNCTIONS, ids=lambda fn: fn.name)
def test_each_function_is_deployed_with_shared_code_core_and_its_own_layers_only(synthesized, fn):
    function = synthesized.stack.functions.functions[fn.name]
    props = synthesized.resources[synthesized.logical_id(function)]["Properties"]
    layers = synthesized.stack.functions.dependency_layers
    expected = [
        synthesized.stack.functions.shared_layer,
        layers[CORE],
        *(layers[name] for name in fn.layers),
    ]
    assert props["Layers"] == [{"Ref": synthesized.logical_id(layer)} for layer in expected]
