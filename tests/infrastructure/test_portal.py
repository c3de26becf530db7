"""The portal's hosting in the synthesized template: private bucket, CloudFront with OAC, HTTPS
only, strict headers, SPA fallback, config.json with the stack's values, CORS and Cognito."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.infrastructure.conftest import Synthesized


def _one(synthesized: Synthesized, kind: str) -> tuple[str, dict[str, Any]]:
    found = synthesized.of_type(kind)
    assert len(found) == 1, sorted(found)
    return next(iter(found.items()))


def _portal_bucket(synthesized: Synthesized) -> tuple[str, dict[str, Any]]:
    return next(
        (k, v) for k, v in synthesized.of_type("AWS::S3::Bucket").items() if k.startswith("PortalSite")
    )


def _text(value: Any) -> str:
    """A template value (maybe an Fn::Join) as one string, references shown as <Ref>."""
    return json.dumps(value)


def test_portal_bucket_is_private_encrypted_and_tls_only(synthesized: Synthesized) -> None:
    logical_id, bucket = _portal_bucket(synthesized)
    props = bucket["Properties"]
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert "WebsiteConfiguration" not in props  # served through CloudFront only
    policy = next(
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in synthesized.of_type("AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": logical_id}
    )
    denies_plain_http = [
        s
        for s in policy
        if s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    ]
    assert denies_plain_http
    readers = [s for s in policy if s["Effect"] == "Allow"]
    assert readers and all(s["Principal"] == {"Service": "cloudfront.amazonaws.com"} for s in readers)
    # Only this distribution may read (origin access control's SourceArn condition).
    assert all("AWS:SourceArn" in json.dumps(s["Condition"]) for s in readers)


def test_distribution_uses_oac_https_only_headers_and_spa_fallback(synthesized: Synthesized) -> None:
    _, distribution = _one(synthesized, "AWS::CloudFront::Distribution")
    config = distribution["Properties"]["DistributionConfig"]
    origin = config["Origins"][0]
    assert "OriginAccessControlId" in origin
    assert origin["S3OriginConfig"]["OriginAccessIdentity"] == ""  # OAC, not the legacy OAI
    behavior = config["DefaultCacheBehavior"]
    assert behavior["ViewerProtocolPolicy"] == "https-only"
    assert "ResponseHeadersPolicyId" in behavior
    assert config["DefaultRootObject"] == "index.html"
    fallbacks = {e["ErrorCode"]: e for e in config["CustomErrorResponses"]}
    for status in (403, 404):
        assert fallbacks[status]["ResponseCode"] == 200
        assert fallbacks[status]["ResponsePagePath"] == "/index.html"
    assert "Logging" in config
    _, oac = _one(synthesized, "AWS::CloudFront::OriginAccessControl")
    assert oac["Properties"]["OriginAccessControlConfig"]["SigningBehavior"] == "always"


def test_response_headers_policy_sets_strict_csp_and_hsts(synthesized: Synthesized) -> None:
    _, policy = _one(synthesized, "AWS::CloudFront::ResponseHeadersPolicy")
    security = policy["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    hsts = security["StrictTransportSecurity"]
    assert hsts["AccessControlMaxAgeSec"] >= 31_536_000 and hsts["IncludeSubdomains"] and hsts["Override"]
    csp = _text(security["ContentSecurityPolicy"]["ContentSecurityPolicy"])
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and " * " not in csp
    # API calls go to this API, the Cognito domain and the payment gateway only.
    assert "execute-api" in csp and "amazoncognito.com" in csp and "payments" in csp
    assert security["FrameOptions"]["FrameOption"] == "DENY"
    assert security["ContentTypeOptions"]["Override"] is True


def test_deployment_writes_config_json_with_the_stacks_values(synthesized: Synthesized) -> None:
    _, deployment = _one(synthesized, "Custom::CDKBucketDeployment")
    props = deployment["Properties"]
    assert len(props["SourceObjectKeys"]) == 2  # the built portal and config.json
    assert props["DistributionPaths"] == ["/index.html", "/config.json"]
    # config.json is staged with a marker per deploy-time value; the markers name the values.
    staged = list(synthesized.template_path.parent.glob("asset.*/config.json"))
    assert len(staged) == 1, staged
    # Markers stand unquoted where a value goes (the value brings its own quotes).
    config = dict(re.findall(r'"(\w+)":(<<marker:[^>]+>>|"[^"]*")', staged[0].read_text()))
    config = {k: v.strip('"') for k, v in config.items()}
    values = {marker: value for markers in props["SourceMarkers"] for marker, value in markers.items()}

    def value_of(key: str) -> str:
        return _text(values.get(config[key], config[key]))

    assert "ApiRestApi" in value_of("apiUrl") and "DeploymentStagev1" in value_of("apiUrl")
    assert "AuthUsersSpa" in value_of("clientId")
    assert "AuthUsers" in value_of("userPoolId")
    assert "amazoncognito.com" in value_of("cognitoDomain")
    assert "PortalCdn" in value_of("redirectUri") and value_of("redirectUri").endswith('/callback\\""]]}')
    assert config["paymentsPublishableKey"].startswith("pk_")
    assert config["paymentsUrl"].startswith("https://")


def test_api_cors_names_the_portal_and_never_any_origin(synthesized: Synthesized) -> None:
    preflights = [
        m
        for m in synthesized.of_type("AWS::ApiGateway::Method").values()
        if m["Properties"]["HttpMethod"] == "OPTIONS"
    ]
    assert preflights
    for method in preflights:
        answer = _text(method["Properties"]["Integration"])
        assert "PortalCdn" in answer  # the distribution's domain is an allowed origin
        headers = method["Properties"]["Integration"]["IntegrationResponses"][0]["ResponseParameters"]
        assert headers["method.response.header.Access-Control-Allow-Origin"] != "'*'"


def test_cognito_client_is_code_flow_only_with_the_portals_urls(synthesized: Synthesized) -> None:
    _, client = _one(synthesized, "AWS::Cognito::UserPoolClient")
    props = client["Properties"]
    assert props["AllowedOAuthFlows"] == ["code"]
    assert props["AllowedOAuthFlowsUserPoolClient"] is True
    assert props["ExplicitAuthFlows"] == ["ALLOW_REFRESH_TOKEN_AUTH"]  # no password, no SRP
    assert "GenerateSecret" not in props or props["GenerateSecret"] is False
    callbacks = _text(props["CallbackURLs"])
    assert "http://localhost:5173/callback" in callbacks  # from context
    assert "PortalCdn" in callbacks and "/callback" in callbacks  # the portal's own domain
    assert "PortalCdn" in _text(props["LogoutURLs"])
