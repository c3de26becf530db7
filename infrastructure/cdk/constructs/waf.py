"""The WAF in front of the API stage: AWS managed rule groups and a per-IP rate limit."""

from __future__ import annotations

import re

from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from infrastructure import manifest
from infrastructure.cdk.constructs.nag import acknowledge_regulatory
from infrastructure.gateway_responses import WAF_RATE_LIMITED, WAF_RATE_LIMITED_KEY

MANAGED_GROUPS = (
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesSQLiRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
)
RATE_LIMIT_PER_5_MIN = 2000


def _visibility(name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
    )


def _rate_limited(origin: str) -> wafv2.CfnWebACL.RuleActionProperty:
    """Block with a 429 in the API's error shape (shared with the offline gateway), not a 403,
    readable by the portal's primary ``origin`` (gateway_responses.py)."""
    return wafv2.CfnWebACL.RuleActionProperty(
        block=wafv2.CfnWebACL.BlockActionProperty(
            custom_response=wafv2.CfnWebACL.CustomResponseProperty(
                response_code=WAF_RATE_LIMITED.status or 429,
                custom_response_body_key=WAF_RATE_LIMITED_KEY,
                response_headers=[
                    wafv2.CfnWebACL.CustomHTTPHeaderProperty(name=name, value=value)
                    for name, value in WAF_RATE_LIMITED.all_headers(origin).items()
                ],
            )
        )
    )


def _route_matcher(route: manifest.Route) -> wafv2.CfnWebACL.StatementProperty:
    """Matches requests to one route of the stage: its method and its path as a regex."""
    regex = "^/v1" + re.sub(r"\{[^}]+\}", "[^/]+", route.path) + "$"
    return wafv2.CfnWebACL.StatementProperty(
        and_statement=wafv2.CfnWebACL.AndStatementProperty(
            statements=[
                wafv2.CfnWebACL.StatementProperty(
                    byte_match_statement=wafv2.CfnWebACL.ByteMatchStatementProperty(
                        field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(method={}),
                        positional_constraint="EXACTLY",
                        search_string=route.method,
                        text_transformations=[
                            wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="NONE")
                        ],
                    )
                ),
                wafv2.CfnWebACL.StatementProperty(
                    regex_match_statement=wafv2.CfnWebACL.RegexMatchStatementProperty(
                        field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(uri_path={}),
                        regex_string=regex,
                        text_transformations=[
                            wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="NONE")
                        ],
                    )
                ),
            ]
        )
    )


class Waf(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, stage_arn: str, primary_origin: str) -> None:
        super().__init__(scope, construct_id)
        rules = [
            wafv2.CfnWebACL.RuleProperty(
                name=group,
                priority=priority,
                override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
                statement=wafv2.CfnWebACL.StatementProperty(
                    managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                        vendor_name="AWS", name=group
                    )
                ),
                visibility_config=_visibility(group),
            )
            for priority, group in enumerate(MANAGED_GROUPS)
        ]
        rules.append(
            wafv2.CfnWebACL.RuleProperty(
                name="RateLimitPerIp",
                priority=len(MANAGED_GROUPS),
                action=_rate_limited(primary_origin),
                statement=wafv2.CfnWebACL.StatementProperty(
                    rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                        limit=RATE_LIMIT_PER_5_MIN, aggregate_key_type="IP"
                    )
                ),
                visibility_config=_visibility("RateLimitPerIp"),
            )
        )
        # Routes the manifest gives a stricter limit (e.g. mail requests, which cost postage).
        limited = [
            (route, route.rate_limit_per_5min)
            for _fn, route in manifest.routes()
            if route.rate_limit_per_5min
        ]
        for offset, (route, limit) in enumerate(limited):
            name = "RateLimit" + "".join(part.title() for part in re.split(r"[^a-zA-Z]+", route.path) if part)
            rules.append(
                wafv2.CfnWebACL.RuleProperty(
                    name=name,
                    priority=len(MANAGED_GROUPS) + 1 + offset,
                    action=_rate_limited(primary_origin),
                    statement=wafv2.CfnWebACL.StatementProperty(
                        rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                            limit=limit,
                            aggregate_key_type="IP",
                            scope_down_statement=_route_matcher(route),
                        )
                    ),
                    visibility_config=_visibility(name),
                )
            )
        self.web_acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            scope="REGIONAL",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            visibility_config=_visibility("salesportal-api"),
            rules=rules,
            custom_response_bodies={
                WAF_RATE_LIMITED_KEY: wafv2.CfnWebACL.CustomResponseBodyProperty(
                    content_type="APPLICATION_JSON", content=WAF_RATE_LIMITED.body
                )
            },
        )
        acknowledge_regulatory(
            self.web_acl,
            "WAFv2LoggingEnabled",
            "Blocked and counted requests are in CloudWatch metrics (alarmed); full request logs "
            "would store Authorization headers and bodies with personal data.",
        )
        self.association = wafv2.CfnWebACLAssociation(
            self, "StageAssociation", resource_arn=stage_arn, web_acl_arn=self.web_acl.attr_arn
        )
