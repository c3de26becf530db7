"""GET /admin/analytics?from=YYYY-MM-DD&to=YYYY-MM-DD: the business by day, for admins.

One Query over the day counters the recorder keeps (never a Scan): totals and rates for
the range, and each of its days.
"""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.data.analytics import AnalyticsRepository
from salesportal.domain.analytics import daily, range_problem, summary
from salesportal.errors import BadRequest
from salesportal.http import caller, rest_resolver
from salesportal.models.analytics import Analytics
from salesportal.models.common import IsoDate
from salesportal.observability import entrypoint

app = rest_resolver()
MAX_DAYS = 366


class AnalyticsSettings(Settings):
    analytics_table_name: str


@app.get("/admin/analytics")
def analytics(
    first: Annotated[IsoDate, Query(alias="from", description="First day (UTC), YYYY-MM-DD")],
    last: Annotated[IsoDate, Query(alias="to", description="Last day (UTC), inclusive")],
) -> Analytics:
    caller(app)
    problem = range_problem(first, last, MAX_DAYS)
    if problem:
        parameter, message = problem
        raise BadRequest(
            f"Invalid parameter: {parameter} ({message}).",
            code="invalid_parameter",
            details=[{"field": parameter, "location": "query", "message": message, "type": "value_error"}],
        )
    days = AnalyticsRepository(load(AnalyticsSettings).analytics_table_name).days(first, last)
    return Analytics.model_validate(
        {"from": first, "to": last, "totals": summary(days), "days": daily(first, last, days)}
    )


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
