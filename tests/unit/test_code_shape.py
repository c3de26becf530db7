"""The shape the code keeps (issue 15), checked: handlers are doorways, and workflows and
domain rules speak in typed values, never in DynamoDB items or loose dicts."""

from __future__ import annotations

import ast
import statistics
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYER = ROOT / "layers" / "shared" / "python" / "salesportal"
HANDLERS = sorted((ROOT / "functions").glob("*/handler.py"))
MEDIAN_LINES, MAX_LINES = 60, 120
# Annotations that let untyped data through: an item or a payload passed around as a dict.
LOOSE = ("dict[str, Any]", "Mapping[str, Any]", "dict[str, object]", "Mapping[str, object]")


def _lines(path: Path) -> int:
    return len(path.read_text().splitlines())


def test_handlers_are_short_doorways():
    sizes = {path.parent.name: _lines(path) for path in HANDLERS}
    too_long = {name: n for name, n in sizes.items() if n > MAX_LINES}
    assert not too_long, f"handlers over {MAX_LINES} lines: {too_long}"
    assert statistics.median(sizes.values()) <= MEDIAN_LINES, sorted(sizes.items(), key=lambda kv: -kv[1])


def _signatures(path: Path) -> list[tuple[str, str]]:
    """(function, annotation) for every parameter and return annotation in the module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            args = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            args += [a for a in (node.args.vararg, node.args.kwarg) if a is not None]
            annotations = [a.annotation for a in args if a.annotation is not None]
            annotations += [node.returns] if node.returns is not None else []
            found += [(node.name, ast.unparse(a)) for a in annotations]
    return found


@pytest.mark.parametrize(
    "path",
    sorted([*(LAYER / "workflows").glob("*.py"), *(LAYER / "domain").glob("*.py")]),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_workflow_and_domain_signatures_take_and_give_typed_values(path):
    loose = [(name, a) for name, a in _signatures(path) if any(word in a for word in LOOSE)]
    assert not loose, f"{path.name}: {loose}"
