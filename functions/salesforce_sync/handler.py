"""POST /salesforce/sync, GET /salesforce/sync/{runId} and GET /salesforce/sync: an admin's
manual Salesforce sync, and every run (manual and hourly) newest first.

The run is recorded QUEUED and handed to the sync worker's queue; the answer is 202 with
the run id at once (a full pull can take minutes), or 503 when the queue cannot take it
(salesportal.workflows.salesforce_syncing.request_run).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from ulid import ULID

from salesportal.config import Settings, load
from salesportal.contract import LOCATION, refusals, success
from salesportal.data.control import ControlRepository
from salesportal.data.crm_sync import SyncRunQueue, SyncRuns
from salesportal.http import caller, rest_resolver
from salesportal.models.common import Page
from salesportal.models.salesforce import RUN_ID, RunsLimit, RunsToken, SyncRequest, SyncRun, run_page
from salesportal.observability import entrypoint
from salesportal.workflows import salesforce_syncing as syncing

app = rest_resolver()


class SyncSettings(Settings):
    control_table_name: str
    salesforce_sync_queue_url: str


def runs() -> SyncRuns:
    return SyncRuns(ControlRepository(load(SyncSettings).control_table_name))


@app.post(
    "/salesforce/sync",
    responses={
        202: success("Queued; poll Location for the run", headers=LOCATION),
        **refusals({503: "The run could not be queued; retry shortly (service_unavailable)"}),
    },
)
def start(body: SyncRequest) -> Response[SyncRun]:
    queue = SyncRunQueue(load(SyncSettings).salesforce_sync_queue_url)
    run = syncing.request_run(
        str(ULID()), body.direction, caller(app).sub, now=datetime.now(UTC), runs=runs(), queue=queue
    )
    location = {"Location": f"/v1/salesforce/sync/{run['runId']}"}
    return Response(202, "application/json", body=SyncRun.model_validate(run), headers=location)


@app.get(
    "/salesforce/sync/<runId>",
    responses={200: success("The run"), **refusals({404: "No such run (sync_run_not_found)"})},
)
def get_run(run_id: Annotated[str, Path(alias="runId", pattern=RUN_ID)]) -> SyncRun:
    caller(app)
    return SyncRun.model_validate(syncing.recorded_run(run_id, runs()))


@app.get("/salesforce/sync", responses={200: success("Recorded runs, the latest first")})
def list_runs(limit: RunsLimit = 20, next_token: RunsToken = None) -> Page[SyncRun]:
    caller(app)
    return run_page(runs().newest_first(limit=limit, token=next_token))


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
