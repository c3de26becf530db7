"""The salesportal stack: the constructs composed from the manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from infrastructure import manifest
from infrastructure.cdk.constructs.api import Api
from infrastructure.cdk.constructs.auth import Auth
from infrastructure.cdk.constructs.bus import DomainEvents
from infrastructure.cdk.constructs.data import Data
from infrastructure.cdk.constructs.event_sources import attach
from infrastructure.cdk.constructs.functions import Functions, Resources
from infrastructure.cdk.constructs.monitoring import SYNC_RUNNERS, Monitoring
from infrastructure.cdk.constructs.portal import Portal
from infrastructure.cdk.constructs.queues import QueueWithDlq
from infrastructure.cdk.constructs.schedules import ScheduledFunction
from infrastructure.cdk.constructs.waf import Waf
from infrastructure.cdk.context import Context


class SalesPortalStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: Context,
        layers_dir: Path,
        portal_dist: Path | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.settings = settings

        data = Data(self, "Data")
        monitoring = Monitoring(
            self,
            "Monitoring",
            key=data.key,
            alarm_email=settings.alarm_email,
            budget_monthly_usd=settings.budget_monthly_usd,
        )
        queues = {
            q.name: QueueWithDlq(self, f"Queue-{q.name}", spec=q, key=data.key, alarm_topic=monitoring.topic)
            for q in manifest.QUEUES
        }
        events = DomainEvents(self, "DomainEvents")
        for q in manifest.QUEUES:
            if q.subscribes_to:
                events.subscribe(q, queues[q.name].queue, data.key)
        auth = Auth(
            self, "Auth", callback_urls=list(settings.callback_urls), logout_urls=list(settings.logout_urls)
        )
        portal = Portal(self, "Portal", dist=portal_dist)
        # The API's CORS origins: the preflight's list, and every API function's ALLOWED_ORIGINS.
        allowed_origins = [*settings.allowed_origins, portal.origin]
        primary = primary_origin(settings, portal.origin)
        functions = Functions(
            self,
            "Functions",
            resources=Resources(
                tables=data.tables,
                queues=queues,
                buckets=data.buckets,
                secrets=data.secrets,
                bus=events.bus,
                user_pool_id=auth.user_pool.user_pool_id,
                pii_key=data.pii_key,
                logs_key=data.key,
            ),
            layers_dir=layers_dir,
            # Deployment configuration, not code: the same handlers talk to a sandbox or to
            # production depending only on these URLs and the credentials in Secrets Manager.
            service_urls={s.name: settings.service_url(s.name) for s in manifest.SERVICES},
            notification_sender=settings.notification_sender,
            allowed_origins=allowed_origins,
        )
        schedule_dlq = None
        for fn in manifest.FUNCTIONS:
            function = functions.functions[fn.name]
            # An API function's errors are the API's 5xx (alarmed as a rate); the others alarm alone.
            if not isinstance(fn.trigger, manifest.ApiTrigger):
                monitoring.watch_function(fn.name, function)
            monitoring.watch_duration(fn.name, function, fn.timeout_s)
            trigger = fn.trigger
            if isinstance(trigger, manifest.StreamTrigger):
                monitoring.watch_iterator_age(fn.name, function)
            if isinstance(trigger, manifest.CognitoTrigger):
                auth.add_trigger(trigger.operation, function)
            elif isinstance(trigger, manifest.ScheduleTrigger):
                if schedule_dlq is None:
                    schedule_dlq = QueueWithDlq(
                        self,
                        "Queue-schedule-failures",
                        spec=manifest.Queue("schedule-failures"),
                        key=data.key,
                        alarm_topic=monitoring.topic,
                    )
                ScheduledFunction(
                    self,
                    f"Schedule-{trigger.name}",
                    trigger=trigger,
                    function=function,
                    dlq=schedule_dlq.queue,
                )
            else:
                attach(fn, function, data.tables, queues)

        api = Api(
            self,
            "Api",
            user_pool=auth.user_pool,
            functions=functions.functions,
            logs_key=data.key,
            allowed_origins=allowed_origins,
            primary_origin=primary,
        )
        portal.connect(
            api=api.rest_api,
            auth=auth,
            payments_url=settings.service_url("payments"),
            payments_publishable_key=settings.payments_publishable_key,
        )
        self.waf = Waf(self, "Waf", stage_arn=api.stage_arn, primary_origin=primary)
        monitoring.alarm("Api-5xx", api.rest_api.metric_server_error(), "The API answered 5xx.")
        monitoring.watch_api(api.rest_api)
        monitoring.watch_throttles()
        monitoring.watch_waf(self.waf.web_acl)
        for q in manifest.QUEUES:
            monitoring.watch_queue_age(q.name, queues[q.name].queue, q.visibility_timeout_s)
        for name, table in data.tables.items():
            monitoring.watch_table(name, table)
        monitoring.watch_secrets([fn.name for fn in manifest.FUNCTIONS if fn.grants.secrets])
        for name in SYNC_RUNNERS:
            if name in functions.functions:
                monitoring.watch_sync_runs(name)
        monitoring.dashboard(api.rest_api, functions.functions, queues)

        self.api = api
        self.monitoring = monitoring
        self.auth = auth
        self.functions = functions
        CfnOutput(self, "DocumentsBucket", value=data.buckets["documents"].bucket_name).override_logical_id(
            "DocumentsBucket"
        )
        CfnOutput(self, "ApiUrl", value=api.rest_api.url).override_logical_id("ApiUrl")
        CfnOutput(self, "UserPoolId", value=auth.user_pool.user_pool_id).override_logical_id("UserPoolId")
        CfnOutput(self, "UserPoolClientId", value=auth.client.user_pool_client_id).override_logical_id(
            "UserPoolClientId"
        )
        CfnOutput(self, "EventBusName", value=events.bus.event_bus_name).override_logical_id("EventBusName")
        CfnOutput(self, "HostedUiDomain", value=auth.domain.base_url()).override_logical_id("HostedUiDomain")
        # Where `make secrets` finds each secret: {"payment-gateway": "<arn>", ...}.
        CfnOutput(
            self,
            "Secrets",
            value=self.to_json_string({name: secret.secret_arn for name, secret in data.secrets.items()}),
        ).override_logical_id("Secrets")


def primary_origin(settings: Context, portal_origin: str) -> str:
    """The one origin the gateway's own answers name (API Gateway cannot echo a listed one):
    the first configured allowedOrigins entry, or, when none is configured (the default is the
    dev server's, derived from callbackUrls), the portal this stack serves."""
    if "allowed_origins" in settings.model_fields_set:
        return settings.allowed_origins[0] if settings.allowed_origins else portal_origin
    return portal_origin
