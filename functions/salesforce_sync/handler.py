"""POST /salesforce/sync and GET /salesforce/sync/{runId}: an admin's manual Salesforce sync.

The run is recorded QUEUED and handed to the sync worker's queue; the answer is 202 with
the run id at once (a full pull can take minutes). If the queue cannot take it, the run
is marked FAILED and the admin gets 503: nothing waits that will never run.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import BotoCoreError, ClientError
from ulid import ULID

from salesportal import aws
from salesportal.config import Settings, load
from salesportal.contract import LOCATION, refusals, success
from salesportal.data.control import ControlRepository
from salesportal.errors import NotFound, ServiceUnavailable
from salesportal.http import caller, rest_resolver
from salesportal.models.salesforce import RUN_ID, SyncRequest, SyncRun
from salesportal.observability import entrypoint, logger, metrics

app = rest_resolver()


class SyncSettings(Settings):
    control_table_name: str
    salesforce_sync_queue_url: str


@app.post(
    "/salesforce/sync",
    responses={
        202: success("Queued; poll Location for the run", headers=LOCATION),
        **refusals({503: "The run could not be queued; retry shortly (service_unavailable)"}),
    },
)
def start(body: SyncRequest) -> Response[SyncRun]:
    principal = caller(app)
    settings = load(SyncSettings)
    control = ControlRepository(settings.control_table_name)
    run = {
        "runId": str(ULID()),
        "direction": body.direction,
        "trigger": "manual",
        "status": "QUEUED",
        "requestedBy": principal.sub,
        "queuedAt": datetime.now(UTC).isoformat(),
    }
    control.record_salesforce_run(run["runId"], run)
    try:
        aws.client("sqs").send_message(
            QueueUrl=settings.salesforce_sync_queue_url,
            MessageBody=json.dumps({"runId": run["runId"], "direction": body.direction}),
        )
    except (BotoCoreError, ClientError) as exc:
        logger.exception("could not queue the sync run", extra={"run_id": run["runId"]})
        control.record_salesforce_run(
            run["runId"], {**run, "status": "FAILED", "error": f"could not be queued: {type(exc).__name__}"}
        )
        raise ServiceUnavailable("The sync could not be queued; try again shortly.") from exc
    metrics.add_metric(name="SalesforceSyncRequested", unit="Count", value=1)
    logger.info("sync run queued", extra={"run_id": run["runId"], "direction": body.direction})
    return Response(
        status_code=202,
        content_type="application/json",
        body=SyncRun.model_validate(run),
        headers={"Location": f"/v1/salesforce/sync/{run['runId']}"},
    )


@app.get(
    "/salesforce/sync/<runId>",
    responses={200: success("The run"), **refusals({404: "No such run (sync_run_not_found)"})},
)
def get_run(run_id: Annotated[str, Path(alias="runId", pattern=RUN_ID)]) -> SyncRun:
    caller(app)
    run = ControlRepository(load(SyncSettings).control_table_name).salesforce_run(run_id)
    if run is None:
        raise NotFound(f"No sync run {run_id!r}.", code="sync_run_not_found")
    return SyncRun.model_validate(run)


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
