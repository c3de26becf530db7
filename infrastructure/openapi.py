"""Writes one OpenAPI document for the whole API, generated from the handlers' own routes.

Each API function's Powertools resolver describes its routes (pydantic-typed, so the
schemas are the validation models themselves); the manifest decides which functions make up
the API and which operations need the Cognito authorizer. Usage:
``python -m infrastructure.openapi [output.json]``.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

from infrastructure import manifest

ROOT = Path(__file__).resolve().parent.parent
TITLE = "salesportal API"
SECURITY_SCHEME = "CognitoUserPool"


_ERROR_CONTENT = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
_ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "Stable, machine-readable"},
                "message": {"type": "string"},
                "details": {},
            },
        }
    },
}


def _resolver(fn: manifest.Function) -> Any:
    layer = str(ROOT / "layers" / "shared" / "python")
    if layer not in sys.path:
        sys.path.insert(0, layer)
    spec = importlib.util.spec_from_file_location(
        f"openapi_{fn.name}.handler", ROOT / fn.source_dir / "handler.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as an import would: pydantic generics look their module up
    spec.loader.exec_module(module)
    return module.app


def build() -> dict[str, Any]:
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": TITLE,
            "version": "1.0.0",
            "description": "Insurance sales portal. Money is integer cents.",
        },
        "servers": [{"url": "/v1"}],
        "paths": {},
        "components": {
            "schemas": {"Error": _ERROR_SCHEMA},
            "securitySchemes": {
                SECURITY_SCHEME: {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "A Cognito ID token from the user pool (API Gateway's Cognito authorizer).",
                }
            },
        },
    }
    for fn in manifest.FUNCTIONS:
        if not isinstance(fn.trigger, manifest.ApiTrigger):
            continue
        part = json.loads(_resolver(fn).get_openapi_json_schema(title=TITLE))
        schemas = part.get("components", {}).get("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError", "ResponseValidationError"):
            schemas.pop(unused, None)
        document["components"]["schemas"].update(schemas)
        for route in fn.trigger.routes:
            operation = part.get("paths", {}).get(route.path, {}).get(route.method.lower())
            if operation is None:
                raise SystemExit(
                    f"{fn.name}: manifest route {route.method} {route.path} is not in its handler"
                )
            operation = {**operation, "tags": [fn.name], "x-access": route.access.value}
            # Every refusal leaves through salesportal.http's one error map, in one shape.
            operation["responses"] = {
                **operation.get("responses", {}),
                "422": {"description": "Invalid input, naming the fields", "content": _ERROR_CONTENT},
                "4XX": {"description": "Refused: the error names the problem", "content": _ERROR_CONTENT},
            }
            if route.access is not manifest.Access.PUBLIC:
                operation["security"] = [{SECURITY_SCHEME: []}]
                operation.setdefault("responses", {}).update(
                    {
                        "401": {"description": "Missing or invalid token"},
                        "403": {"description": "Role too low"},
                    }
                )
            document["paths"].setdefault(route.path, {})[route.method.lower()] = operation
    return document


def main() -> None:
    text = json.dumps(build(), indent=2, sort_keys=True)
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
