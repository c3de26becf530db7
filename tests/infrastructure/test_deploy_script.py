"""`make deploy`: validates configuration first, installs the pinned CLI, bootstraps only when needed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from infrastructure import deploy as script
from infrastructure import manifest
from infrastructure.layers import LAYERS

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "123456789012"  # moto's account
REGION = "eu-west-1"
COMPLETE = [
    "-c",
    "alarmEmail=ops@portal.example.org",
    "-c",
    "notificationSender=no-reply@portal.example.org",
    "-c",
    "serviceUrls=" + json.dumps({s.name: f"https://{s.name}.partner.example.org" for s in manifest.SERVICES}),
]


@pytest.fixture
def clone(tmp_path, monkeypatch):
    """A fresh clone: cdk.json and package.json, no node_modules; layers built."""
    for name in ("cdk.json", "package.json"):
        shutil.copy(ROOT / name, tmp_path / name)
    layers = tmp_path / "build" / "layers"
    for name in LAYERS:
        (layers / name / "python").mkdir(parents=True)
    monkeypatch.setattr(script, "BUILD_DIR", layers)
    return tmp_path


class Recorder:
    """Stands in for npm and the CDK CLI; `cdk deploy` leaves what CloudFormation would."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.commands: list[list[str]] = []
        self.paths: list[str] = []

    def __call__(self, command, env) -> int:
        words = [Path(command[0]).name, *command[1:]]
        self.commands.append(words)
        self.paths.append(command[0])
        assert env["AWS_REGION"] == REGION
        assert env["PATH"].startswith(str(self.root / "node_modules" / ".bin"))
        if words[:2] == ["npm", "ci"]:
            pinned = json.loads((self.root / "package.json").read_text())["devDependencies"]["aws-cdk"]
            installed = self.root / "node_modules" / "aws-cdk"
            installed.mkdir(parents=True)
            (installed / "package.json").write_text(json.dumps({"version": pinned}))
        if words[:2] == ["cdk", "bootstrap"]:
            boto3.client("ssm").put_parameter(
                Name=script.BOOTSTRAP_PARAMETER, Value="30", Type="String", Overwrite=True
            )
        if words[:2] == ["cdk", "deploy"]:
            sm = boto3.client("secretsmanager")
            arns = {
                s.name: sm.create_secret(
                    Name=f"SalesPortal-{s.name}",
                    SecretString=json.dumps(dict.fromkeys(s.fields, manifest.SECRET_PLACEHOLDER)),
                )["ARN"]
                for s in manifest.SECRETS
            }
            boto3.client("cloudformation").create_stack(
                StackName="SalesPortal",
                TemplateBody=json.dumps(
                    {
                        "Resources": {"Queue": {"Type": "AWS::SQS::Queue"}},
                        "Outputs": {"Secrets": {"Value": json.dumps(arns)}},
                    }
                ),
            )
        return 0


@pytest.fixture
def aws(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    with mock_aws():
        yield boto3.Session(region_name=REGION)


def test_a_fresh_clone_installs_the_pinned_cli_bootstraps_deploys_and_lists_unset_secrets(clone, aws):
    run, said = Recorder(clone), []
    assert script.deploy(root=clone, session=aws, cdk_args=COMPLETE, run=run, out=said.append) == 0
    assert [c[:3] for c in run.commands] == [
        ["npm", "ci", "--no-audit"],
        ["cdk", "bootstrap", f"aws://{ACCOUNT}/{REGION}"],
        ["cdk", "deploy", "SalesPortal"],
    ]
    assert run.paths[1:] == [str(clone / "node_modules" / ".bin" / "cdk")] * 2
    assert run.commands[2][3:] == COMPLETE
    assert "Secrets still to set: fulfillment, kyc, openai, payment-gateway, salesforce" in said[-1]


def test_a_second_deploy_neither_reinstalls_nor_rebootstraps(clone, aws):
    script.deploy(root=clone, session=aws, cdk_args=COMPLETE, run=Recorder(clone), out=lambda _: None)
    boto3.client("cloudformation").delete_stack(StackName="SalesPortal")
    for s in manifest.SECRETS:
        boto3.client("secretsmanager").delete_secret(
            SecretId=f"SalesPortal-{s.name}", ForceDeleteWithoutRecovery=True
        )
    again = Recorder(clone)
    script.deploy(root=clone, session=aws, cdk_args=COMPLETE, run=again, out=lambda _: None)
    assert [c[:2] for c in again.commands] == [["cdk", "deploy"]]


def test_an_old_bootstrap_is_upgraded(clone, aws):
    boto3.client("ssm").put_parameter(Name=script.BOOTSTRAP_PARAMETER, Value="5", Type="String")
    run = Recorder(clone)
    script.deploy(root=clone, session=aws, cdk_args=COMPLETE, run=run, out=lambda _: None)
    assert ["cdk", "bootstrap"] in [c[:2] for c in run.commands]


def test_unset_deployment_keys_stop_the_deploy_before_any_command(clone, aws):
    run = Recorder(clone)
    with pytest.raises(script.DeployError, match=r"alarmEmail: who receives the alarms") as stopped:
        script.deploy(root=clone, session=aws, cdk_args=[], run=run)
    assert "serviceUrls: base URLs for payments, kyc" in str(stopped.value)
    assert run.commands == []


def test_a_malformed_key_stops_the_deploy_naming_it(clone, aws):
    run = Recorder(clone)
    with pytest.raises(script.DeployError, match="context key 'alarmEmail'"):
        script.deploy(root=clone, session=aws, cdk_args=[*COMPLETE, "-c", "alarmEmail=ops"], run=run)
    assert run.commands == []


def test_missing_layers_stop_the_deploy(clone, aws):
    shutil.rmtree(clone / "build" / "layers" / "pdf")
    with pytest.raises(script.DeployError, match=r"Layer\(s\) pdf not built"):
        script.deploy(root=clone, session=aws, cdk_args=COMPLETE, run=Recorder(clone))


def test_no_region_is_a_clear_error(clone, monkeypatch):
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(clone / "none"))
    with mock_aws(), pytest.raises(script.DeployError, match="No AWS region"):
        script.deploy(root=clone, session=boto3.Session(), cdk_args=COMPLETE, run=Recorder(clone))


def test_the_deploy_target_is_in_the_makefile():
    makefile = (ROOT / "Makefile").read_text()
    assert "\ndeploy:" in makefile and "-m infrastructure.deploy" in makefile
    assert "\nsecrets:" in makefile and "-m infrastructure.secrets" in makefile
