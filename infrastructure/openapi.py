"""Writes one OpenAPI document for the whole API, generated from the handlers' own routes.

Each API function's Powertools resolver describes its routes (pydantic-typed, so the
schemas are the validation models themselves, and each decorator states the statuses only
that route answers: ``salesportal.contract``); the manifest decides which functions make up
the API, which operations need the Cognito authorizer, and so which refusals every operation
shares (the gateway's and the WAF's, malformed bodies and parameters). Every refusal is
documented with its own status and the one Error body. Usage:
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


_ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "Stable, machine-readable"},
                "message": {"type": "string", "description": "For a person to read"},
                "details": {"description": "What exactly was wrong, e.g. one entry per invalid field"},
            },
        }
    },
}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before retrying",
        "schema": {"type": "string", "pattern": "^[0-9]+$"},
    }
}

# What every operation may answer besides its own statuses, and why. Gateway answers come
# from infrastructure/gateway_responses.py (the same bodies, in the same Error shape).
EVERY_OPERATION = {
    403: "Blocked by the web application firewall (waf_blocked)",
    429: "Throttled: the rate limit per client address, the stage's or the route's own (Retry-After)",
}
AUTHORIZED = {
    401: "Missing, expired or invalid token (the Cognito authorizer)",
    403: "The caller's role is below the operation's access level",
}
WITH_BODY = {
    400: "The body is not JSON, nests too deep or holds an over-long number (malformed_json, json_too_deep, number_too_long)",
    413: "The body is larger than the API accepts (payload_too_large)",
    415: "The body is not application/json (unsupported_media_type)",
    422: "The body breaks the schema: details names each field (validation_error)",
}
WITH_QUERY = {400: "A query parameter is invalid: details names it (invalid_parameter)"}
WITH_PATH = {422: "A path parameter breaks its pattern (validation_error)"}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": _layer().ERROR_SCHEMA}}},
    }


def _refusals(operation: dict[str, Any], access: manifest.Access) -> dict[int, str]:
    """The shared refusals an operation can answer, from its access level and its inputs."""
    refusals: dict[int, list[str]] = {}
    locations = {p.get("in") for p in operation.get("parameters", [])}
    shared = [EVERY_OPERATION]
    if access is not manifest.Access.PUBLIC:
        shared.append(AUTHORIZED)
    if "requestBody" in operation:
        shared.append(WITH_BODY)
    if "query" in locations:
        shared.append(WITH_QUERY)
    if "path" in locations:
        shared.append(WITH_PATH)
    for table in shared:
        for status, why in table.items():
            refusals.setdefault(status, []).append(why)
    return {status: ". ".join(whys) for status, whys in refusals.items()}


def _responses(operation: dict[str, Any], access: manifest.Access) -> dict[str, Any]:
    """The route's own answers plus the shared refusals, each refusal with the Error body."""
    own = {str(k): v for k, v in operation.get("responses", {}).items()}
    # Powertools' validation answer is not ours: salesportal.http answers 422 in the Error shape.
    if "HTTPValidationError" in json.dumps(own.get("422", {})):
        own.pop("422")
    responses = dict(own)
    for status, why in _refusals(operation, access).items():
        key = str(status)
        if key in own:
            responses[key] = {**own[key], "description": f"{own[key]['description']}. {why}"}
        else:
            responses[key] = _error(why)
    if "429" in responses:
        responses["429"] = {**responses["429"], "headers": RETRY_AFTER}
    return dict(sorted(responses.items()))


def _layer() -> Any:
    """The shared layer's route contract (importable once the layer is on the path)."""
    layer = str(ROOT / "layers" / "shared" / "python")
    if layer not in sys.path:
        sys.path.insert(0, layer)
    return importlib.import_module("salesportal.contract")


def _resolver(fn: manifest.Function) -> Any:
    _layer()
    spec = importlib.util.spec_from_file_location(
        f"openapi_{fn.name}.handler", ROOT / fn.source_dir / "handler.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as an import would: pydantic generics look their module up
    spec.loader.exec_module(module)
    return module.app


def _operation(operation: dict[str, Any], fn: manifest.Function, route: manifest.Route) -> dict[str, Any]:
    contract = _layer()
    operation = {**operation, "tags": [fn.name], "x-access": route.access.value}
    # Headers the handler reads itself become declared parameters.
    headers = operation.pop(contract.REQUEST_HEADERS, [])
    if headers:
        operation["parameters"] = [*operation.get("parameters", []), *headers]
    if route.access is not manifest.Access.PUBLIC:
        operation["security"] = [{SECURITY_SCHEME: []}]
    operation["responses"] = _responses(operation, route.access)
    return operation


def build() -> dict[str, Any]:
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": TITLE,
            "version": "1.0.0",
            "description": "Insurance sales portal. Money is integer cents. Every refusal is an Error.",
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
            document["paths"].setdefault(route.path, {})[route.method.lower()] = _operation(
                operation, fn, route
            )
    return document


def main() -> None:
    text = json.dumps(build(), indent=2, sort_keys=True)
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
