"""The customer portal: the built SPA (web/dist) in a private bucket behind CloudFront.

The bucket is reachable only through CloudFront's origin access control; viewers must use
HTTPS; every answer carries a response-headers policy with a strict CSP (scripts and styles
from the portal only, API calls to the API, the Cognito domain and the payment gateway's
tokenization endpoint) and HSTS; client-side routes fall back to ``index.html``. The
deployment writes ``config.json`` beside the bundle with the stack's real values, so one build
serves every environment.

Built in two steps because the pieces refer to each other: the distribution's domain is an
allowed origin of the API and a callback URL of the Cognito client, while the CSP and
``config.json`` name the API and the client. ``Portal(...)`` makes the bucket and distribution,
``connect(...)`` the rest once the API exists.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from aws_cdk import Aws, Duration, Fn, RemovalPolicy, Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from infrastructure.cdk.constructs.auth import Auth
from infrastructure.cdk.constructs.nag import acknowledge, acknowledge_regulatory, flattened
from infrastructure.portal_policy import content_security_policy

DIST = Path(__file__).resolve().parents[3] / "web" / "dist"


class PortalNotBuilt(FileNotFoundError):
    pass


class Portal(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, dist: Path | None = None) -> None:
        super().__init__(scope, construct_id)
        self.dist = dist or DIST
        if not (self.dist / "index.html").is_file():
            raise PortalNotBuilt(f"{self.dist} has no index.html: build the portal first (make web)")
        self._connect_src = ""
        logs = s3.Bucket(
            self,
            "Logs",
            encryption=s3.BucketEncryption.S3_MANAGED,  # log delivery cannot write to a CMK bucket
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,  # CloudFront logs need ACLs
            lifecycle_rules=[s3.LifecycleRule(expiration=Duration.days(400))],
            removal_policy=RemovalPolicy.RETAIN,
        )
        acknowledge(logs, "AwsSolutions-S1", "This is the portal's access-log bucket itself.")
        acknowledge_regulatory(
            logs,
            "S3DefaultEncryptionKMS",
            "S3 and CloudFront log delivery write only to SSE-S3 buckets, not to KMS-encrypted ones.",
        )
        acknowledge_regulatory(
            logs, "S3BucketVersioningEnabled", "Access logs are written once; they expire after 400 days."
        )
        self.bucket = s3.Bucket(
            self,
            "Site",
            # SSE-S3: CloudFront's OAC reads it without a key grant; the bundle is public code.
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            versioned=True,
            server_access_logs_bucket=logs,
            server_access_logs_prefix="site/",
            removal_policy=RemovalPolicy.RETAIN,
        )
        acknowledge_regulatory(
            self.bucket,
            "S3DefaultEncryptionKMS",
            "The bucket holds the portal's public JavaScript and config (no personal data); SSE-S3 "
            "lets CloudFront's origin access control read it without a KMS grant.",
        )
        for bucket in (logs, self.bucket):
            acknowledge_regulatory(
                bucket,
                "S3BucketReplicationEnabled",
                "Single-region deployment; the site is rebuilt from the repository, the logs expire.",
            )
        self.headers = cloudfront.ResponseHeadersPolicy(
            self,
            "SecurityHeaders",
            comment="salesportal portal: strict CSP, HSTS, no framing, no sniffing",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    # Completed by connect(), which knows the API and the Cognito domain.
                    content_security_policy=self._csp(),
                    override=True,
                ),
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=Duration.days(730),
                    include_subdomains=True,
                    preload=True,
                    override=True,
                ),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True
                ),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
                    override=True,
                ),
            ),
        )
        self.distribution = cloudfront.Distribution(
            self,
            "Cdn",
            comment="salesportal customer portal",
            default_root_object="index.html",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(self.bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                response_headers_policy=self.headers,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
                compress=True,
            ),
            # Client-side routes (/policies/...) are not objects: S3 answers 403, the app's shell
            # answers instead, and the router shows the page.
            error_responses=[
                cloudfront.ErrorResponse(
                    http_status=status,
                    response_http_status=200,
                    response_page_path="/index.html",
                    ttl=Duration.seconds(0),
                )
                for status in (403, 404)
            ],
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            enable_logging=True,
            log_bucket=logs,
            log_file_prefix="cdn/",
        )
        acknowledge(
            self.distribution,
            "AwsSolutions-CFR1",
            "Customers may sign in from anywhere (travel); the API's WAF applies its rules per request.",
        )
        acknowledge(
            self.distribution,
            "AwsSolutions-CFR2",
            "The distribution serves static files only; every API call goes to the API, whose stage "
            "has the WAF (managed rules and rate limits).",
        )
        acknowledge(
            self.distribution,
            "AwsSolutions-CFR4",
            "The default *.cloudfront.net certificate allows TLSv1 for old viewers; a custom domain "
            "with its ACM certificate (TLSv1.2_2021 set above) is the deployment's choice.",
        )
        self.origin = f"https://{self.distribution.distribution_domain_name}"

    def _csp(self) -> str:
        # A token joined at synth: the CSP is one string whose connect-src CloudFormation completes.
        return content_security_policy(
            [self._connect_src] if self._connect_src else [], upgrade_insecure_requests=True
        )

    def connect(
        self, *, api: apigw.RestApi, auth: Auth, payments_url: str, payments_publishable_key: str
    ) -> None:
        """Names the API, the Cognito client and the payment gateway: in the CSP, the client's
        URLs and config.json, then deploys the bundle."""
        cognito_domain = auth.domain.base_url()
        payments_origin = "{0.scheme}://{0.netloc}".format(urlsplit(payments_url))
        # From the API's id, not its URL: the URL names the stage, whose deployment holds the
        # CORS preflight naming this distribution (a cycle).
        api_origin = f"https://{api.rest_api_id}.execute-api.{Aws.REGION}.{Aws.URL_SUFFIX}"
        api_url = api.url
        self._connect_src = Fn.join(" ", [api_origin, cognito_domain, payments_origin])
        headers = self.headers.node.default_child
        assert isinstance(headers, cloudfront.CfnResponseHeadersPolicy)
        headers.add_property_override(
            "ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy",
            self._csp(),
        )
        auth.register_app(callback_url=f"{self.origin}/callback", logout_url=f"{self.origin}/")
        config = {
            "apiUrl": api_url,
            "cognitoDomain": cognito_domain,
            "clientId": auth.client.user_pool_client_id,
            "region": Aws.REGION,
            "userPoolId": auth.user_pool.user_pool_id,
            "redirectUri": f"{self.origin}/callback",
            "logoutUri": f"{self.origin}/",
            "paymentsUrl": payments_url,
            "paymentsPublishableKey": payments_publishable_key,
        }
        deployment = s3deploy.BucketDeployment(
            self,
            "Deploy",
            sources=[s3deploy.Source.asset(str(self.dist)), s3deploy.Source.json_data("config.json", config)],
            destination_bucket=self.bucket,
            distribution=self.distribution,
            distribution_paths=["/index.html", "/config.json"],
            prune=False,  # the previous build's chunks stay for pages still open on them
            memory_limit=512,
        )
        self._acknowledge_deployment(deployment)

    def _acknowledge_deployment(self, deployment: s3deploy.BucketDeployment) -> None:
        """The copier is CDK's own Lambda-backed custom resource, run only during deployments."""
        stack = Stack.of(self)
        assets = f"arn:{Aws.PARTITION}:s3:::cdk-hnb659fds-assets-{stack.account}-{stack.region}/*"
        reason = "CDK's BucketDeployment copier runs only while deploying, copying the built portal"
        wildcards = {
            "Action::s3:GetObject*": "it reads the portal's asset",
            "Action::s3:GetBucket*": "it reads the portal's asset",
            "Action::s3:List*": "it lists the asset and the site bucket",
            "Action::s3:DeleteObject*": "it replaces the site's files",
            "Action::s3:Abort*": "it writes the site's files in multipart uploads",
            f"Resource::{flattened(self, self.bucket.bucket_arn)}/*": "its writes are limited to this bucket",
            f"Resource::{flattened(self, assets)}": "its reads are limited to CDK's asset bucket",
            "Resource::*": "CloudFront invalidations name no resource ARN",
        }
        for child in stack.node.children:
            if not child.node.id.startswith("Custom::CDKBucketDeployment"):
                continue
            acknowledge(
                child,
                "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
                f"{reason}; the basic execution role only writes its logs.",
            )
            for applies_to, why in wildcards.items():
                acknowledge(child, f"AwsSolutions-IAM5[{applies_to}]", f"{reason}: {why}.")
            acknowledge(child, "AwsSolutions-L1", f"{reason}; its runtime is CDK's choice.")
            for rule in ("LambdaConcurrency", "LambdaDLQ", "LambdaInsideVPC", "IAMNoInlinePolicy"):
                acknowledge_regulatory(child, rule, f"{reason}; it handles no personal data.")
        del deployment
