"""What the synthesized template must show: authorizers, WAF, DLQs, encryption, least privilege."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from infrastructure import manifest
from infrastructure.cdk.constructs.functions import TABLE_ACTIONS
from infrastructure.cdk.constructs.waf import MANAGED_GROUPS
from infrastructure.manifest import Access, Perm


def _paths(synthesized) -> dict[str, str]:
    """Logical id of each API Gateway resource -> its full path."""
    resources = synthesized.of_type("AWS::ApiGateway::Resource")
    paths: dict[str, str] = {}

    def path(logical_id: str) -> str:
        if logical_id not in paths:
            props = resources[logical_id]["Properties"]
            parent = props["ParentId"]
            prefix = path(parent["Ref"]) if "Ref" in parent else ""
            paths[logical_id] = f"{prefix}/{props['PathPart']}"
        return paths[logical_id]

    for logical_id in resources:
        path(logical_id)
    return paths


def _methods(synthesized) -> dict[tuple[str, str], dict]:
    paths = _paths(synthesized)
    methods = {}
    for method in synthesized.of_type("AWS::ApiGateway::Method").values():
        props = method["Properties"]
        resource = props["ResourceId"]
        path = paths[resource["Ref"]] if "Ref" in resource else "/"
        methods[(props["HttpMethod"], path)] = props
    return methods


ROUTES = [pytest.param(route, id=f"{route.method} {route.path}") for _, route in manifest.routes()]


@pytest.mark.parametrize("route", ROUTES)
def test_each_route_is_guarded_exactly_as_its_access_level_says(synthesized, route):
    props = _methods(synthesized)[(route.method, route.path)]
    if route.access is Access.PUBLIC:
        assert props["AuthorizationType"] == "NONE" and "AuthorizerId" not in props
    else:
        assert props["AuthorizationType"] == "COGNITO_USER_POOLS" and "AuthorizerId" in props


def test_the_api_has_no_method_the_manifest_does_not_declare(synthesized):
    declared = {(r.method, r.path) for _, r in manifest.routes()}
    served = {key for key in _methods(synthesized) if key[0] != "OPTIONS"}
    assert served == declared


def test_the_authorizer_uses_the_user_pool(synthesized):
    (authorizer,) = synthesized.of_type("AWS::ApiGateway::Authorizer").values()
    assert authorizer["Properties"]["Type"] == "COGNITO_USER_POOLS"
    (pool_id,) = synthesized.of_type("AWS::Cognito::UserPool")
    assert authorizer["Properties"]["ProviderARNs"] == [{"Fn::GetAtt": [pool_id, "Arn"]}]


def test_stage_v1_is_throttled_and_logged(synthesized):
    (stage,) = synthesized.of_type("AWS::ApiGateway::Stage").values()
    props = stage["Properties"]
    assert props["StageName"] == "v1"
    assert "DestinationArn" in props["AccessLogSetting"]
    (settings,) = props["MethodSettings"]
    assert settings["ThrottlingRateLimit"] > 0 and settings["ThrottlingBurstLimit"] > 0
    assert settings["DataTraceEnabled"] is False  # bodies carry personal data


def test_waf_has_the_managed_groups_and_a_rate_rule_and_guards_the_stage(synthesized):
    ((acl_id, acl),) = synthesized.of_type("AWS::WAFv2::WebACL").items()
    rules = acl["Properties"]["Rules"]
    groups = {
        r["Statement"]["ManagedRuleGroupStatement"]["Name"]
        for r in rules
        if "ManagedRuleGroupStatement" in r["Statement"]
    }
    assert groups == set(MANAGED_GROUPS)
    assert any("RateBasedStatement" in r["Statement"] and "Block" in r["Action"] for r in rules)
    (association,) = synthesized.of_type("AWS::WAFv2::WebACLAssociation").values()
    assert association["Properties"]["WebACLArn"] == {"Fn::GetAtt": [acl_id, "Arn"]}
    (stage_id,) = synthesized.of_type("AWS::ApiGateway::Stage")
    assert stage_id in str(association["Properties"]["ResourceArn"])


def test_every_work_queue_has_a_dlq_with_an_alarm(synthesized):
    queues = synthesized.of_type("AWS::SQS::Queue")
    alarms = synthesized.of_type("AWS::CloudWatch::Alarm").values()
    work = {k: v for k, v in queues.items() if "RedrivePolicy" in v["Properties"]}
    assert len(work) >= len(manifest.QUEUES)
    for queue in work.values():
        dlq_id = queue["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
        assert queue["Properties"]["RedrivePolicy"]["maxReceiveCount"] >= 1
        watching = [
            a
            for a in alarms
            if a["Properties"].get("MetricName") == "ApproximateNumberOfMessagesVisible"
            and {"Name": "QueueName", "Value": {"Fn::GetAtt": [dlq_id, "QueueName"]}}
            in a["Properties"]["Dimensions"]
        ]
        assert watching and watching[0]["Properties"]["AlarmActions"], f"no alarm on {dlq_id}"
    for queue in queues.values():
        assert "KmsMasterKeyId" in queue["Properties"]


def _alarms_on(synthesized, metric_name):
    return [
        a["Properties"]
        for a in synthesized.of_type("AWS::CloudWatch::Alarm").values()
        if a["Properties"].get("MetricName") == metric_name
    ]


def test_every_work_queue_alarms_when_its_oldest_message_waits_too_long(synthesized):
    ages = _alarms_on(synthesized, "ApproximateAgeOfOldestMessage")
    assert len(ages) == len(manifest.QUEUES)
    for queue, alarm in zip(manifest.QUEUES, sorted(ages, key=lambda a: a["AlarmDescription"]), strict=False):
        assert alarm["AlarmActions"] and alarm["Threshold"] >= 900, queue


def test_failed_sync_runs_waf_spikes_and_api_health_raise_alarms(synthesized):
    failed = _alarms_on(synthesized, "SyncRunsFailed")
    assert sorted(d["Value"] for a in failed for d in a["Dimensions"]) == sorted(
        ["salesforce_poll", "salesforce_sync_worker", "plan_sync"]
    )
    assert all(a["Namespace"] == "SalesPortal" and a["AlarmActions"] for a in failed)
    (waf,) = _alarms_on(synthesized, "BlockedRequests")
    assert waf["Namespace"] == "AWS/WAFV2" and {"Name": "Rule", "Value": "ALL"} in waf["Dimensions"]
    (latency,) = _alarms_on(synthesized, "Latency")
    assert latency["ExtendedStatistic"] == "p99" and latency["EvaluationPeriods"] == 3
    rates = [
        a["Properties"]
        for a in synthesized.of_type("AWS::CloudWatch::Alarm").values()
        if "Metrics" in a["Properties"]
    ]
    assert any("100 * errors / requests" in str(a["Metrics"]) and a["AlarmActions"] for a in rates)


def test_every_table_is_encrypted_with_the_cmk_and_recoverable(synthesized):
    tables = synthesized.of_type("AWS::DynamoDB::Table")
    assert len(tables) == len(manifest.TABLES)
    key_id = synthesized.logical_id(synthesized.stack.functions.resources.tables["sales"].encryption_key)
    for table in tables.values():
        props = table["Properties"]
        assert props["SSESpecification"] == {
            "KMSMasterKeyId": {"Fn::GetAtt": [key_id, "Arn"]},
            "SSEEnabled": True,
            "SSEType": "KMS",
        }
        assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
        assert props["BillingMode"] == "PAY_PER_REQUEST"


@pytest.mark.parametrize("spec", manifest.TABLES, ids=lambda t: t.name)
def test_streams_exist_exactly_where_the_outbox_needs_them(synthesized, spec):
    table = synthesized.resources[
        synthesized.logical_id(synthesized.stack.functions.resources.tables[spec.name])
    ]
    assert ("StreamSpecification" in table["Properties"]) is spec.stream


def _function(synthesized, name: str) -> dict:
    return synthesized.resources[synthesized.logical_id(synthesized.stack.functions.functions[name])]


def _statements(synthesized, name: str) -> list[dict]:
    function = _function(synthesized, name)
    role_id = function["Properties"]["Role"]["Fn::GetAtt"][0]
    statements = []
    for policy in synthesized.of_type("AWS::IAM::Policy").values():
        if {"Ref": role_id} in policy["Properties"]["Roles"]:
            statements += policy["Properties"]["PolicyDocument"]["Statement"]
    role = synthesized.resources[role_id]["Properties"]
    assert not role.get("ManagedPolicyArns"), f"{name} has a managed policy"
    return statements


def _actions(statement: dict) -> list[str]:
    actions = statement["Action"]
    return [actions] if isinstance(actions, str) else actions


def _resources(statement: dict) -> list:
    resources = statement["Resource"]
    return resources if isinstance(resources, list) else [resources]


FUNCTIONS = [pytest.param(fn, id=fn.name) for fn in manifest.FUNCTIONS]


@pytest.mark.parametrize("fn", FUNCTIONS)
def test_each_function_may_touch_only_its_manifest_tables_with_only_its_actions(synthesized, fn):
    table_ids = {
        name: synthesized.logical_id(t) for name, t in synthesized.stack.functions.resources.tables.items()
    }
    granted: dict[str, set[str]] = {}
    for statement in _statements(synthesized, fn.name):
        dynamodb_actions = {a for a in _actions(statement) if a.startswith("dynamodb:")}
        if not dynamodb_actions or dynamodb_actions <= {"dynamodb:ListStreams"}:
            continue
        for resource in _resources(statement):
            for name, logical_id in table_ids.items():
                if logical_id in str(resource):
                    granted.setdefault(name, set()).update(dynamodb_actions)
    stream_tables = set(fn.trigger.tables) if isinstance(fn.trigger, manifest.StreamTrigger) else set()
    assert set(granted) == set(fn.grants.tables) | stream_tables
    for name, perm in fn.grants.tables.items():
        assert set(TABLE_ACTIONS[perm]) <= granted[name]
        stream_actions = {"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"}
        assert granted[name] - stream_actions <= set(TABLE_ACTIONS[perm]), (
            f"{fn.name} has more than {perm} on {name}"
        )
    for actions in granted.values():
        assert "dynamodb:Scan" not in actions and "dynamodb:*" not in actions


def test_health_touches_nothing_but_its_logs_and_its_traces(synthesized):
    for statement in _statements(synthesized, "health"):
        assert all(a.startswith(("logs:", "xray:Put")) for a in _actions(statement)), statement


def test_nobody_may_update_or_delete_the_audit_trail(synthesized):
    audit = synthesized.logical_id(synthesized.stack.functions.resources.tables["audit"])
    for fn in manifest.FUNCTIONS:
        for statement in _statements(synthesized, fn.name):
            if audit in str(statement["Resource"]):
                assert not {"dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"} & set(
                    _actions(statement)
                )
    assert manifest.function("stream_processor").grants.tables["audit"] is Perm.APPEND


@pytest.mark.parametrize("fn", FUNCTIONS)
def test_no_wildcard_action_and_no_star_resource_beyond_what_aws_requires(synthesized, fn):
    for statement in _statements(synthesized, fn.name):
        assert not any(a.endswith(":*") or a == "*" for a in _actions(statement)), statement
        if "*" in _resources(statement):
            assert set(_actions(statement)) <= {
                "dynamodb:ListStreams",
                "xray:PutTraceSegments",
                "xray:PutTelemetryRecords",
                "sns:Publish",  # direct-to-phone SMS has no topic ARN to name
            }
            assert "sns:Publish" not in _actions(statement) or fn.grants.send_sms


def test_every_function_and_the_api_stage_are_traced(synthesized):
    for fn in manifest.FUNCTIONS:
        assert _function(synthesized, fn.name)["Properties"]["TracingConfig"] == {"Mode": "Active"}, fn.name
    (stage,) = synthesized.of_type("AWS::ApiGateway::Stage").values()
    assert stage["Properties"]["TracingEnabled"] is True


@pytest.mark.parametrize("fn", FUNCTIONS)
def test_each_function_runs_python_3_12_plus_on_arm64_with_its_manifest_environment(synthesized, fn):
    props = _function(synthesized, fn.name)["Properties"]
    major, minor = re.fullmatch(r"python(\d+)\.(\d+)", props["Runtime"]).groups()
    assert (int(major), int(minor)) >= (3, 12)
    assert props["Architectures"] == ["arm64"]
    assert props["MemorySize"] == fn.memory_mb and props["Timeout"] == fn.timeout_s
    assert props["Handler"] == "handler.lambda_handler"
    physical = manifest.Physical.placeholders()
    assert set(props["Environment"]["Variables"]) == set(manifest.function_environment(fn, physical))


def test_event_sources_report_partial_batch_failures(synthesized):
    mappings = synthesized.of_type("AWS::Lambda::EventSourceMapping").values()
    expected = sum(
        len(fn.trigger.tables) if isinstance(fn.trigger, manifest.StreamTrigger) else 1
        for fn in manifest.FUNCTIONS
        if isinstance(fn.trigger, manifest.QueueTrigger | manifest.StreamTrigger)
    )
    assert len(list(mappings)) == expected
    for mapping in synthesized.of_type("AWS::Lambda::EventSourceMapping").values():
        props = mapping["Properties"]
        assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        if "StartingPosition" in props:  # a stream: bounded retries, then the failure queue
            assert props["MaximumRetryAttempts"] >= 1 and "OnFailure" in props["DestinationConfig"]


def test_cognito_has_the_three_groups_an_spa_client_without_secret_and_the_trigger(synthesized):
    groups = {
        g["Properties"]["GroupName"] for g in synthesized.of_type("AWS::Cognito::UserPoolGroup").values()
    }
    assert groups == {"customers", "agents", "admins"}
    (client,) = synthesized.of_type("AWS::Cognito::UserPoolClient").values()
    assert client["Properties"]["GenerateSecret"] is False
    assert client["Properties"]["AllowedOAuthFlows"] == ["code"]
    (pool,) = synthesized.of_type("AWS::Cognito::UserPool").values()
    trigger = pool["Properties"]["LambdaConfig"]["PostConfirmation"]["Fn::GetAtt"][0]
    assert trigger == synthesized.logical_id(synthesized.stack.functions.functions["post_confirmation"])
    assert len(synthesized.of_type("AWS::Cognito::UserPoolDomain")) == 1


def test_outputs_have_fixed_logical_ids(synthesized):
    outputs = synthesized.template.to_json()["Outputs"]
    assert {"ApiUrl", "UserPoolId", "UserPoolClientId", "EventBusName", "HostedUiDomain"} <= set(outputs)


def test_every_nag_acknowledgement_names_one_resource_and_gives_a_reason(synthesized):
    from aws_cdk import Validations

    key = Validations.ACKNOWLEDGED_RULES_METADATA_KEY
    found = 0
    for node in synthesized.stack.node.find_all():
        for entry in node.node.metadata:
            if entry.type == key:
                for rule, reason in entry.data.items():  # {"Annotation::<rule>": reason}
                    found += 1
                    assert len(reason.strip()) >= 30, rule
                    assert node is not synthesized.stack, f"{rule} is acknowledged stack-wide"
    assert found > 0


def test_cfn_lint_finds_no_errors(synthesized):
    result = subprocess.run(
        [sys.executable, "-m", "cfnlint", str(synthesized.template_path), "--format", "parseable"],
        capture_output=True,
        text=True,
        check=False,
    )
    errors = [line for line in result.stdout.splitlines() if ":E" in line]
    assert errors == [], "\n".join(errors)


def test_cdk_nag_is_live_and_fails_a_bad_resource(tmp_path):
    """The checks run for real: an unencrypted queue without a DLQ fails synthesis."""
    from aws_cdk import App, Stack, Validations
    from aws_cdk import aws_sqs as sqs
    from cdk_nag import AwsSolutionsChecks

    app = App(outdir=str(tmp_path))
    stack = Stack(app, "Bad")
    sqs.Queue(stack, "Careless", encryption=sqs.QueueEncryption.UNENCRYPTED)
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    with pytest.raises(Exception, match="AwsSolutions-SQS"):
        app.synth()


@pytest.mark.parametrize(
    "rule", ["HIPAA.Security-S3BucketVersioningEnabled", "PCI.DSS.321-S3DefaultEncryptionKMS"]
)
def test_the_hipaa_and_pci_packs_are_live_and_fail_a_bad_resource(tmp_path, rule):
    """The app's regulatory packs run for real: a careless queue and bucket fail synthesis."""
    from aws_cdk import App, Stack, Validations
    from aws_cdk import aws_s3 as s3
    from aws_cdk import aws_sqs as sqs

    from infrastructure.cdk.app import compliance_packs

    app = App(outdir=str(tmp_path))
    stack = Stack(app, "Bad")
    sqs.Queue(stack, "Careless", encryption=sqs.QueueEncryption.UNENCRYPTED)
    s3.Bucket(stack, "Forgetful")
    Validations.of(app).add_plugins(*compliance_packs(app))
    with pytest.raises(Exception, match=re.escape(rule)):
        app.synth()


@pytest.mark.parametrize("queue", [q for q in manifest.QUEUES if q.subscribes_to], ids=lambda q: q.name)
def test_each_subscribing_queue_gets_exactly_its_domain_events_from_the_bus(synthesized, queue):
    queue_id = synthesized.logical_id(synthesized.stack.functions.resources.queues[queue.name].queue)
    rules = [
        r["Properties"]
        for r in synthesized.resources.values()
        if r["Type"] == "AWS::Events::Rule" and queue_id in json.dumps(r["Properties"].get("Targets", []))
    ]
    assert len(rules) == 1, f"{queue.name} should have one rule, found {len(rules)}"
    (rule,) = rules
    assert rule["EventPattern"] == {
        "source": [manifest.EVENT_SOURCE],
        "detail-type": list(queue.subscribes_to),
    }
    assert "EventBusName" in rule  # the domain bus, not the default one


def test_only_the_plan_sync_may_use_the_pii_key_and_only_to_make_data_keys(synthesized):
    pii_key = synthesized.logical_id(synthesized.stack.functions.resources.pii_key)
    users = {
        fn.name: [
            a
            for st in _statements(synthesized, fn.name)
            if pii_key in str(st["Resource"])
            for a in _actions(st)
        ]
        for fn in manifest.FUNCTIONS
    }
    assert {name: actions for name, actions in users.items() if actions} == {
        "plan_sync": ["kms:GenerateDataKey"]
    }


def test_routes_with_a_stricter_limit_get_their_own_scoped_waf_rate_rule(synthesized):
    (acl,) = synthesized.of_type("AWS::WAFv2::WebACL").values()
    scoped = [
        r
        for r in acl["Properties"]["Rules"]
        if "ScopeDownStatement" in r["Statement"].get("RateBasedStatement", {})
    ]
    limited = [route for _fn, route in manifest.routes() if route.rate_limit_per_5min]
    assert len(scoped) == len(limited) == 1
    (rule,), (route,) = scoped, limited
    statement = rule["Statement"]["RateBasedStatement"]
    assert statement["Limit"] == route.rate_limit_per_5min
    assert rule["Action"]["Block"]["CustomResponse"]["ResponseCode"] == 429
    matchers = statement["ScopeDownStatement"]["AndStatement"]["Statements"]
    assert matchers[0]["ByteMatchStatement"]["SearchString"] == "POST"
    assert matchers[1]["RegexMatchStatement"]["RegexString"] == "^/v1/plans/[^/]+/mail-requests$"


def test_each_api_function_may_be_invoked_by_this_api_alone_through_one_permission(synthesized):
    api = synthesized.logical_id(synthesized.stack.api.rest_api)
    invokers: dict[str, list[dict]] = {}
    for permission in synthesized.of_type("AWS::Lambda::Permission").values():
        props = permission["Properties"]
        if props["Principal"] == "apigateway.amazonaws.com":
            invokers.setdefault(props["FunctionName"]["Fn::GetAtt"][0], []).append(props["SourceArn"])
    functions = synthesized.stack.functions.functions
    api_functions = {synthesized.logical_id(functions[fn.name]) for fn, _route in manifest.routes()}
    assert set(invokers) == api_functions
    for sources in invokers.values():
        (source,) = sources  # one per function, however many routes it serves
        assert {"Ref": api} in source["Fn::Join"][1]


def test_the_stack_keeps_headroom_below_cloudformations_500_resources(synthesized):
    # About 440 today (a function costs ~5: role, policy, log group, function, an alarm); the
    # per-function and per-table alarms already live in a nested stack (test_operations). Past
    # 475, split further rather than find out at deploy time.
    assert len(synthesized.resources) <= 475, f"{len(synthesized.resources)} resources: split the stack"


def test_one_dashboard_shows_the_api_functions_queues_and_business(synthesized):
    (dashboard,) = synthesized.of_type("AWS::CloudWatch::Dashboard").values()
    body = json.dumps(dashboard["Properties"]["DashboardBody"])
    for title in ("API latency p50 / p99", "Lambda errors", "Oldest message per queue", "Business events"):
        assert title in body
    assert "QuotesCreated" in body and "ApproximateNumberOfMessagesVisible" in body


def test_the_api_preflight_admits_only_the_configured_origins(synthesized):
    origins = list(synthesized.stack.settings.allowed_origins)
    assert origins == ["http://localhost:5173"]  # the callback URLs' origin, by default
    preflights = [
        m["Properties"]
        for m in synthesized.of_type("AWS::ApiGateway::Method").values()
        if m["Properties"]["HttpMethod"] == "OPTIONS"
    ]
    assert preflights
    for props in preflights:
        (response,) = props["Integration"]["IntegrationResponses"]
        assert response["ResponseParameters"]["method.response.header.Access-Control-Allow-Origin"] == (
            f"'{origins[0]}'"
        )
