"""The stack synthesizes cleanly for concrete accounts and regions, not only environment-agnostic:
a cdk-nag acknowledgement written for ``<AWS::Region>`` would match only the latter."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from aws_cdk import Environment

from infrastructure import manifest
from infrastructure.cdk.app import build_app

ACCOUNT = "123456789012"
REGIONS = ("eu-west-1", "us-east-1")


@dataclass(frozen=True)
class Synth:
    failure: str | None
    report: dict
    template: str


# A real deployment's configuration, as `make deploy` requires it.
CONTEXT = {
    "callbackUrls": ["https://portal.example.org/callback"],
    "logoutUrls": ["https://portal.example.org/"],
    "serviceUrls": {s.name: f"https://{s.name}.partner.example.org" for s in manifest.SERVICES},
    "notificationSender": "no-reply@portal.example.org",
    "alarmEmail": "ops@portal.example.org",
    "budgetMonthlyUsd": 250,
}


def _synth(layers_dir: Path, outdir: Path, env: Environment | None) -> Synth:
    app, stack = build_app(layers_dir, outdir=str(outdir), env=env, context=CONTEXT)
    failure = None
    try:
        app.synth()  # every pack runs here; an unacknowledged finding raises
    except Exception as error:
        failure = str(error)
    report = json.loads((outdir / "validation-report.json").read_text())
    template_path = outdir / f"{stack.artifact_id}.template.json"
    return Synth(failure, report, template_path.read_text() if template_path.exists() else "")


@pytest.fixture(scope="module", params=REGIONS)
def concrete(request, layers_dir, tmp_path_factory) -> tuple[str, Synth]:
    region = request.param
    outdir = tmp_path_factory.mktemp(f"cdk.out-{region}")
    return region, _synth(layers_dir, outdir, Environment(account=ACCOUNT, region=region))


def _violations(report: dict) -> dict[str, list[str]]:
    return {
        plugin["pluginName"]: [
            f"{v['ruleName']} on {c['constructPath']}"
            for v in plugin["violations"]
            for c in v["violatingConstructs"]
        ]
        for plugin in report["pluginReports"]
        if plugin["violations"]
    }


def test_a_concrete_account_and_region_synthesize_with_no_unacknowledged_finding(concrete):
    region, synth = concrete
    assert synth.failure is None, synth.failure
    assert _violations(synth.report) == {}
    # The template really is concrete: ARNs name the region and account instead of pseudo parameters.
    assert f":cognito-idp:{region}:{ACCOUNT}:userpool/*" in synth.template


def test_the_deployment_configuration_reaches_the_template(concrete):
    _region, synth = concrete
    resources = json.loads(synth.template)["Resources"]
    (subscription,) = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::SNS::Subscription"]
    assert subscription["Protocol"] == "email" and subscription["Endpoint"] == CONTEXT["alarmEmail"]
    (budget,) = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::Budgets::Budget"]
    assert budget["Budget"]["BudgetLimit"]["Amount"] == 250
    (client,) = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::Cognito::UserPoolClient"]
    # The context's URLs, then the portal's own (its CloudFront domain).
    assert client["CallbackURLs"][: len(CONTEXT["callbackUrls"])] == CONTEXT["callbackUrls"]
    environments = [
        r["Properties"]["Environment"]["Variables"]
        for r in resources.values()
        if r["Type"] == "AWS::Lambda::Function" and "Environment" in r["Properties"]
    ]
    assert {"PAYMENTS_BASE_URL": "https://payments.partner.example.org"}.items() <= {
        k: v for env in environments for k, v in env.items()
    }.items()


def test_the_environment_agnostic_synth_has_no_unacknowledged_finding(synthesized):
    report = json.loads((synthesized.template_path.parent / "validation-report.json").read_text())
    assert _violations(report) == {}
    assert '"Ref":"AWS::Region"' in json.dumps(synthesized.template.to_json(), separators=(",", ":"))


def _small_stack_with_a_pool_wildcard(outdir: Path, env: Environment, acknowledged: str | None) -> str | None:
    """A role allowed on every user pool of its account and region, acknowledged as given."""
    from aws_cdk import App, Stack, Validations
    from aws_cdk import aws_iam as iam
    from cdk_nag import AwsSolutionsChecks

    from infrastructure.cdk.constructs.nag import acknowledge, flattened

    app = App(outdir=str(outdir))
    stack = Stack(app, "Small", env=env)
    role = iam.Role(stack, "Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    pools = stack.format_arn(service="cognito-idp", resource="userpool", resource_name="*")
    role.add_to_policy(iam.PolicyStatement(actions=["cognito-idp:ListUsers"], resources=[pools]))
    finding = flattened(role, pools) if acknowledged is None else acknowledged
    acknowledge(role, f"AwsSolutions-IAM5[Resource::{finding}]", "The test's one wildcard, on purpose.")
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    try:
        app.synth()
    except Exception as error:
        return str(error)
    return None


@pytest.mark.parametrize("region", [None, *REGIONS])
def test_a_flattened_acknowledgement_matches_its_finding_in_any_environment(tmp_path, region):
    env = Environment(account=ACCOUNT, region=region) if region else Environment()
    assert _small_stack_with_a_pool_wildcard(tmp_path, env, acknowledged=None) is None


def test_a_hard_coded_region_token_acknowledges_nothing_in_a_concrete_region(tmp_path):
    """What the stack once did: right for the agnostic template, a failed synth in eu-west-1."""
    hard_coded = "arn:<AWS::Partition>:cognito-idp:<AWS::Region>:<AWS::AccountId>:userpool/*"
    assert _small_stack_with_a_pool_wildcard(tmp_path / "agnostic", Environment(), hard_coded) is None
    failure = _small_stack_with_a_pool_wildcard(
        tmp_path / "eu", Environment(account=ACCOUNT, region="eu-west-1"), hard_coded
    )
    assert failure is not None and "AwsSolutions-IAM5" in failure
