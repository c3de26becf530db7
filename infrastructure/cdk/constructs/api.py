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

STAGE = "v1"
_ERROR_TEMPLATE = (
    '{"error":{"code":"$context.error.responseType","message":$context.error.messageString,"details":null}}'
)
_CORS_HEADERS = {
    "Access-Control-Allow-Origin": "'*'",
    "Access-Control-Allow-Headers": "'Authorization,Content-Type,Idempotency-Key,If-Match,If-None-Match'",
}


class Api(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        user_pool: cognito.IUserPool,
        functions: dict[str, lambda_.Function],
        logs_key: kms.IKey,
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
                throttling_rate_limit=100,
                throttling_burst_limit=200,
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
                allow_origins=apigw.Cors.ALL_ORIGINS,
                allow_headers=[
                    "Authorization",
                    "Content-Type",
                    "Idempotency-Key",
                    "If-Match",
                    "If-None-Match",
                ],
                expose_headers=["ETag", "Location"],
            ),
        )
        acknowledge(
            self.rest_api,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
            "API Gateway's account-level CloudWatch role uses the AWS managed push-to-logs policy by design.",
        )
        for response_type in (apigw.ResponseType.DEFAULT_4_XX, apigw.ResponseType.DEFAULT_5_XX):
            self.rest_api.add_gateway_response(
                f"Gateway{response_type.response_type}",
                type=response_type,
                response_headers=_CORS_HEADERS,
                templates={"application/json": _ERROR_TEMPLATE},
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
