"""Operations someone receives: per-function, per-table and per-stream alarms, unset secrets,
the monthly budget, all to the alarm topic (and its e-mail subscription)."""

from __future__ import annotations

import json

import pytest

from infrastructure import manifest
from infrastructure.cdk.constructs.monitoring import NEAR_TIMEOUT


@pytest.fixture(scope="module")
def nested(synthesized):
    """The per-resource alarms' nested stack: its template, and its parameters as the parent passes them."""
    detail = synthesized.stack.monitoring.detail
    stack = synthesized.stack
    stack_id = str(stack.resolve(stack.get_logical_id(detail.nested_stack_resource)))
    parameters = synthesized.resources[stack_id]["Properties"]["Parameters"]
    path = synthesized.template_path.parent / f"{detail.artifact_id}.nested.template.json"
    if not path.exists():  # the nested template's file name is CDK's; find it by its alarms
        (path,) = synthesized.template_path.parent.glob("*.nested.template.json")
    template = json.loads(path.read_text())
    return template, parameters


def _alarms(template) -> list[dict]:
    return [r["Properties"] for r in template["Resources"].values() if r["Type"] == "AWS::CloudWatch::Alarm"]


def _parent_ref(parameters, value) -> str:
    """The parent's logical id behind a nested-stack parameter reference."""
    return parameters[value["Ref"]]["Ref"]


def _topic(synthesized) -> str:
    return synthesized.logical_id(synthesized.stack.monitoring.topic)


def test_every_function_alarms_when_its_p99_duration_nears_its_timeout(synthesized, nested):
    template, parameters = nested
    near = {}
    for alarm in _alarms(template):
        if alarm.get("MetricName") == "Duration":
            (dimension,) = alarm["Dimensions"]
            near[_parent_ref(parameters, dimension["Value"])] = alarm
    for fn in manifest.FUNCTIONS:
        alarm = near[synthesized.logical_id(synthesized.stack.functions.functions[fn.name])]
        assert alarm["ExtendedStatistic"] == "p99"
        assert alarm["Threshold"] == pytest.approx(NEAR_TIMEOUT * fn.timeout_s * 1000)
        assert alarm["ComparisonOperator"] == "GreaterThanThreshold"
    assert len(near) == len(manifest.FUNCTIONS)


def test_every_table_alarms_on_throttled_requests_and_system_errors_over_all_operations(synthesized, nested):
    template, parameters = nested
    found: dict[tuple[str, str], dict] = {}
    for alarm in _alarms(template):
        for query in alarm.get("Metrics", []):
            expression = query.get("Expression")
            if isinstance(expression, dict) and 'FROM SCHEMA("AWS/DynamoDB", Operation, TableName)' in str(
                expression
            ):
                head, table_ref, _tail = expression["Fn::Join"][1]
                metric = head.split("SUM(")[1].split(")")[0]
                found[(_parent_ref(parameters, table_ref), metric)] = query
                assert query["Period"] == 300 and alarm["AlarmActions"]
    for name, table in synthesized.stack.functions.resources.tables.items():
        table_id = synthesized.logical_id(table)
        assert {(table_id, "ThrottledRequests"), (table_id, "SystemErrors")} <= set(found), name
    assert len(found) == 2 * len(manifest.TABLES)


def test_each_stream_triggered_function_alarms_when_it_falls_behind(synthesized, nested):
    template, parameters = nested
    ages = [a for a in _alarms(template) if a.get("MetricName") == "IteratorAge"]
    streamed = [fn for fn in manifest.FUNCTIONS if isinstance(fn.trigger, manifest.StreamTrigger)]
    assert len(ages) == len(streamed) >= 1
    for fn, alarm in zip(streamed, ages, strict=True):
        (dimension,) = alarm["Dimensions"]
        function_id = synthesized.logical_id(synthesized.stack.functions.functions[fn.name])
        assert _parent_ref(parameters, dimension["Value"]) == function_id
        assert alarm["Statistic"] == "Maximum" and alarm["EvaluationPeriods"] == 3


def test_a_read_of_an_unset_secret_in_any_function_that_has_secrets_raises_an_alarm(nested):
    template, _ = nested
    counted = set()
    for alarm in _alarms(template):
        for query in alarm.get("Metrics", []):
            stat = query.get("MetricStat", {})
            if stat.get("Metric", {}).get("MetricName") == "SecretNotConfigured":
                assert stat["Metric"]["Namespace"] == "SalesPortal"
                (dimension,) = stat["Metric"]["Dimensions"]
                counted.add(dimension["Value"])
                assert alarm["AlarmActions"]
    assert counted == {fn.name for fn in manifest.FUNCTIONS if fn.grants.secrets}


def test_every_alarm_in_the_nested_stack_notifies_the_alarm_topic(synthesized, nested):
    template, parameters = nested
    for alarm in _alarms(template):
        (action,) = alarm["AlarmActions"]
        assert _parent_ref(parameters, action) == _topic(synthesized)


def test_a_monthly_budget_notifies_the_alarm_topic_at_80_percent_and_on_forecast(synthesized):
    (budget,) = synthesized.of_type("AWS::Budgets::Budget").values()
    props = budget["Properties"]
    assert props["Budget"]["BudgetLimit"] == {"Amount": 100, "Unit": "USD"}
    assert props["Budget"]["TimeUnit"] == "MONTHLY" and props["Budget"]["BudgetType"] == "COST"
    notified = {
        (n["Notification"]["NotificationType"], n["Notification"]["Threshold"]): n["Subscribers"]
        for n in props["NotificationsWithSubscribers"]
    }
    assert set(notified) == {("ACTUAL", 80), ("FORECASTED", 100)}
    for subscribers in notified.values():
        assert subscribers == [{"SubscriptionType": "SNS", "Address": {"Ref": _topic(synthesized)}}]
    policies = synthesized.of_type("AWS::SNS::TopicPolicy").values()
    assert any("budgets.amazonaws.com" in json.dumps(p["Properties"]["PolicyDocument"]) for p in policies)


def test_without_an_alarm_email_the_topic_has_no_subscription(synthesized):
    assert synthesized.of_type("AWS::SNS::Subscription") == {}


def test_the_nested_alarm_stack_keeps_headroom_too(nested):
    template, parameters = nested
    assert len(template["Resources"]) <= 450 and len(parameters) <= 180  # CloudFormation: 500 and 200
