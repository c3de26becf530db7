"""Synthesizes the stack once per session (the first synth costs seconds), offline."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import Environment
from aws_cdk.assertions import Template

from infrastructure.cdk.app import build_app
from infrastructure.cdk.stacks.salesportal_stack import SalesPortalStack
from infrastructure.layers import LAYERS


@dataclass(frozen=True)
class Synthesized:
    stack: SalesPortalStack
    template: Template
    resources: dict[str, Any]
    template_path: Path

    def of_type(self, kind: str) -> dict[str, Any]:
        return {k: v for k, v in self.resources.items() if v["Type"] == kind}

    def logical_id(self, construct: Any) -> str:
        return str(self.stack.resolve(self.stack.get_logical_id(construct.node.default_child)))


@pytest.fixture(scope="session", autouse=True)
def portal_assets(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The built portal is the distribution's asset; where it is not built, a placeholder
    stands in (synthesis only hashes it), so infrastructure tests need no Node build."""
    from infrastructure.cdk.constructs import portal

    if (portal.DIST / "index.html").is_file():
        yield portal.DIST
        return
    placeholder = tmp_path_factory.mktemp("web-dist")
    (placeholder / "index.html").write_text("<!doctype html><title>placeholder</title>")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(portal, "DIST", placeholder)
        yield placeholder


@pytest.fixture(scope="session")
def layers_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Empty stand-ins for the dependency layers: synthesis only hashes them."""
    base = tmp_path_factory.mktemp("layers")
    for name in LAYERS:
        (base / name / "python").mkdir(parents=True)
    return base


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory: pytest.TempPathFactory, layers_dir: Path) -> Iterator[Synthesized]:
    outdir = tmp_path_factory.mktemp("cdk.out")
    app, stack = build_app(layers_dir, outdir=str(outdir), env=Environment())  # agnostic
    template = Template.from_stack(stack)  # runs cdk-nag: unacknowledged findings raise here
    app.synth()
    path = outdir / f"{stack.artifact_id}.template.json"
    yield Synthesized(stack, template, json.loads(path.read_text())["Resources"], path)
