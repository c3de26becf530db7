"""The REST API (stage v1): routes from the manifest, the Cognito authorizer on every
non-public one, throttling, access logs and JSON gateway errors."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infrastructure import manifest
from infrastructure.cdk.constructs.nag import acknowledge, acknowledge_regulatory
from infrastructure.gateway_responses import (
    CORS_ALLOW_HEADERS,
    GATEWAY_RESPONSES,
    STAGE_BURST_LIMIT,
    STAGE_RATE_LIMIT,
)

STAGE = "v1"


class Api(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        user_pool: cognito.IUserPool,
        functions: dict[str, lambda_.Function],
        logs_key: kms.IKey,
        allowed_origins: list[str],
        primary_origin: str,
    ) -> None:
        super().__init__(scope, construct_id)
        access_logs = logs.LogGroup(
            self,
            "AccessLogs",
            retention=logs.RetentionDays.ONE_YEAR,
            encryption_key=logs_key,
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.rest_api = apigw.RestApi(
            self,
            "RestApi",
            description="salesportal",
            endpoint_types=[apigw.EndpointType.REGIONAL],
            cloud_watch_role=True,
            cloud_watch_role_removal_policy=RemovalPolicy.DESTROY,
            deploy_options=apigw.StageOptions(
                stage_name=STAGE,
                throttling_rate_limit=STAGE_RATE_LIMIT,
                throttling_burst_limit=STAGE_BURST_LIMIT,
                logging_level=apigw.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,  # request bodies carry personal data
                tracing_enabled=True,
                metrics_enabled=True,
                access_log_destination=apigw.LogGroupLogDestination(access_logs),
                access_log_format=apigw.AccessLogFormat.json_with_standard_fields(
                    caller=False,
                    http_method=True,
                    ip=True,
                    protocol=True,
                    request_time=True,
                    resource_path=True,
                    response_length=True,
                    status=True,
                    user=True,
                ),
            ),
            default_cors_preflight_options=apigw.CorsOptions(
                # The portal's origins (context allowedOrigins): another site's script cannot
                # send a browser's preflighted request here.
                allow_origins=allowed_origins,
                allow_headers=list(CORS_ALLOW_HEADERS),
                expose_headers=["ETag", "Location"],
            ),
        )
        acknowledge(
            self.rest_api,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
            "API Gateway's account-level CloudWatch role uses the AWS managed push-to-logs policy by design.",
        )
        # Answers made by API Gateway itself, in the API's error shape with CORS headers (the
        # offline gateway sends the same, from the same table). WAF blocks without a custom
        # response come as WAF_FILTERED; the WAF's rate rules answer their own 429 (waf.py).
        # They can name one origin only, the portal's primary one (gateway_responses.py).
        for response_type, response in GATEWAY_RESPONSES.items():
            self.rest_api.add_gateway_response(
                f"Gateway{response_type}",
                type=apigw.ResponseType.of(response_type),
                status_code=None if response.status is None else str(response.status),
                # Header values are mapping expressions: a literal is quoted.
                response_headers={
                    name: f"'{value}'" for name, value in response.all_headers(primary_origin).items()
                },
                templates={"application/json": response.body},
            )
        self.authorizer = apigw.CognitoUserPoolsAuthorizer(self, "Authorizer", cognito_user_pools=[user_pool])
        validator = self.rest_api.add_request_validator(
            "Validator", validate_request_parameters=True, validate_request_body=True
        )
        self.methods: dict[tuple[str, str], apigw.Method] = {}
        for fn, route in manifest.routes():
            resource = self.rest_api.root.resource_for_path(route.path)
            public = route.access is manifest.Access.PUBLIC
            method = resource.add_method(
                route.method,
                # One invoke permission per function for this API, not one per route (a stack
                # holds at most 500 resources). It grants nothing more: which route reaches which
                # function is fixed by the integrations. Nor is there a console test-invoke
                # permission, which would let the console bypass the authorizer.
                apigw.LambdaIntegration(functions[fn.name], proxy=True, scope_permission_to_method=False),
                authorizer=None if public else self.authorizer,
                authorization_type=apigw.AuthorizationType.NONE
                if public
                else apigw.AuthorizationType.COGNITO,
                request_validator=validator,
            )
            self.methods[(route.method, route.path)] = method
            if public:
                reason = f"{route.method} {route.path} is public by design (DESIGN.md §4); WAF and throttling still apply."
                acknowledge(method, "AwsSolutions-APIG4", reason)
                acknowledge(method, "AwsSolutions-COG4", reason)
        for method in self.rest_api.methods:
            if method.http_method == "OPTIONS":
                reason = "CORS preflight carries no credentials by the CORS specification."
                acknowledge(method, "AwsSolutions-APIG4", reason)
                acknowledge(method, "AwsSolutions-COG4", reason)
        stage = self.rest_api.deployment_stage
        acknowledge_regulatory(
            stage,
            "APIGWCacheEnabledAndEncrypted",
            "No response cache: answers are per-caller personal data; public reads use ETags instead.",
        )
        acknowledge_regulatory(
            stage,
            "APIGWSSLEnabled",
            "The backend is Lambda through AWS_PROXY, authenticated by IAM; a client certificate "
            "applies to HTTP backends only.",
        )

    @property
    def stage_arn(self) -> str:
        return self.rest_api.deployment_stage.stage_arn
