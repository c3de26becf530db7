"""The portal's API client types (web/src/api/schema.d.ts) are generated from the current
OpenAPI: a change to a handler's models that is not regenerated (make web-api) fails here."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from infrastructure import openapi

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
GENERATOR = WEB / "node_modules" / ".bin" / "openapi-typescript"


def test_generated_api_types_match_the_current_openapi(tmp_path: Path) -> None:
    if not GENERATOR.exists():
        pytest.fail("openapi-typescript is not installed: run make web-deps")
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(openapi.build(), indent=2, sort_keys=True))  # as make openapi writes it
    generated = tmp_path / "schema.d.ts"
    subprocess.run(
        [str(GENERATOR), str(document), "-o", str(generated)],
        cwd=WEB,
        check=True,
        capture_output=True,
        timeout=120,
    )
    committed = (WEB / "src" / "api" / "schema.d.ts").read_text()
    assert generated.read_text() == committed, (
        "web/src/api/schema.d.ts is stale: run make web-api and commit the result"
    )
