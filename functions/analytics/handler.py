"""GET /admin/analytics?from=YYYY-MM-DD&to=YYYY-MM-DD: the business by day, for admins.

One Query over the day counters the recorder keeps (never a Scan): totals and rates for
the range, and each of its days (``salesportal.workflows.reporting``).
"""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.data.analytics import AnalyticsRepository
from salesportal.http import caller, rest_resolver
from salesportal.models.analytics import Analytics
from salesportal.models.common import IsoDate
from salesportal.observability import entrypoint
from salesportal.workflows import reporting

app = rest_resolver()


class AnalyticsSettings(Settings):
    analytics_table_name: str


@app.get("/admin/analytics")
def analytics(
    first: Annotated[IsoDate, Query(alias="from", description="First day (UTC), YYYY-MM-DD")],
    last: Annotated[IsoDate, Query(alias="to", description="Last day (UTC), inclusive")],
) -> Analytics:
    caller(app)
    report = reporting.report(AnalyticsRepository(load(AnalyticsSettings).analytics_table_name), first, last)
    return Analytics.model_validate(
        {"from": report.first, "to": report.last, "totals": report.totals, "days": report.days}
    )


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
