"""GET /health: liveness. Makes no AWS calls, so it answers even when a dependency is down."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.http import rest_resolver
from salesportal.models.common import ApiModel
from salesportal.observability import entrypoint

app = rest_resolver()


class Health(ApiModel):
    status: str
    service: str


@app.get("/health")
def health() -> Health:
    return Health(status="ok", service="salesportal")


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
