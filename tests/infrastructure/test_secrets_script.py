"""`make secrets`: sets the stack's secrets from a file or the environment, checks them, prints no value."""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws

from infrastructure import manifest
from infrastructure import secrets as script

REGION = "us-east-1"
GOOD = {
    "payment-gateway": {"apiKey": "sk_live_abc", "webhookSecret": "whsec_abc"},
    "kyc": {"apiKey": "kyc-key-1"},
    "underwriting-bureau": {"apiKey": "bureau-key-1"},
    "fulfillment": {"apiKey": "fulfil-key-1"},
    "openai": {"apiKey": "sk-openai-1"},
    "salesforce": {"clientId": "3MVG9-client", "clientSecret": "sf-secret-1"},
}


@pytest.fixture
def deployed(monkeypatch):
    """The stack as deployed: every secret a placeholder, found through the Secrets output."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    with mock_aws():
        sm = boto3.client("secretsmanager", region_name=REGION)
        arns = {
            s.name: sm.create_secret(
                Name=f"SalesPortal-{s.name}",
                SecretString=json.dumps(dict.fromkeys(s.fields, manifest.SECRET_PLACEHOLDER)),
            )["ARN"]
            for s in manifest.SECRETS
        }
        template = {
            "Resources": {"Queue": {"Type": "AWS::SQS::Queue"}},
            "Outputs": {"Secrets": {"Value": json.dumps(arns)}},
        }
        boto3.client("cloudformation", region_name=REGION).create_stack(
            StackName="SalesPortal", TemplateBody=json.dumps(template)
        )
        yield sm


def test_a_fresh_deployment_reports_every_secret_unset_and_fails(deployed, capsys):
    assert script.main(["check"]) == 1
    out = capsys.readouterr().out
    for secret in manifest.SECRETS:
        assert f"{secret.name}" in out
    assert "NOT SET: field 'apiKey' is still the placeholder" in out


def test_setting_every_secret_from_a_file_passes_the_check_and_prints_no_value(deployed, tmp_path, capsys):
    path = tmp_path / "secrets.json"
    path.write_text(json.dumps(GOOD))
    assert script.main(["set", "--file", str(path)]) == 0
    out = capsys.readouterr().out
    assert "NOT SET" not in out
    for fields in GOOD.values():
        for value in fields.values():
            assert value not in out
    stored = deployed.get_secret_value(SecretId="SalesPortal-kyc")["SecretString"]
    assert json.loads(stored) == GOOD["kyc"]


def test_a_secret_from_the_environment_is_set_and_the_others_still_reported(deployed, monkeypatch, capsys):
    monkeypatch.setenv("SECRET_PAYMENT_GATEWAY", json.dumps(GOOD["payment-gateway"]))
    assert script.main(["set"]) == 1  # the five others are still placeholders
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines() if line.startswith("  ")}
    assert lines["payment-gateway"].endswith(" set")
    assert "NOT SET" in lines["kyc"]


@pytest.mark.parametrize(
    ("values", "says"),
    [
        ({"kyc": {"apikey": "x"}}, "kyc: missing field 'apiKey'"),
        ({"kyc": {"apiKey": "x", "extra": "y"}}, "kyc: unknown field 'extra'"),
        ({"kyc": {"apiKey": ""}}, "kyc: field 'apiKey' must be a non-empty string"),
        ({"kyc": {"apiKey": "REPLACE_ME"}}, "kyc: field 'apiKey' is still the placeholder"),
        ({"kyc": "just-a-key"}, "kyc: must be a JSON object with apiKey"),
        ({"stripe": {"apiKey": "x"}}, "stripe: unknown secret"),
    ],
)
def test_a_wrong_shape_is_refused_naming_secret_and_field_and_nothing_is_stored(
    deployed, tmp_path, capsys, values, says
):
    path = tmp_path / "secrets.json"
    path.write_text(json.dumps(values))
    assert script.main(["set", "--file", str(path)]) == 2
    captured = capsys.readouterr()
    assert says in captured.err
    assert "just-a-key" not in captured.err + captured.out
    stored = json.loads(deployed.get_secret_value(SecretId="SalesPortal-kyc")["SecretString"])
    assert stored == {"apiKey": manifest.SECRET_PLACEHOLDER}
