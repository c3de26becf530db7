"""The CDK context: one documented set of keys, validated before anything is built."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infrastructure import manifest
from infrastructure.cdk.app import build_app
from infrastructure.cdk.context import KEYS, Context, ContextError

ROOT = Path(__file__).resolve().parents[2]

DEPLOYABLE = {
    "callbackUrls": ["https://portal.example.org/callback"],
    "logoutUrls": ["https://portal.example.org/"],
    "serviceUrls": {s.name: f"https://{s.name}.partner.example.org" for s in manifest.SERVICES},
    "notificationSender": "no-reply@portal.example.org",
    "alarmEmail": "ops@portal.example.org",
    "budgetMonthlyUsd": 250,
}


def test_the_defaults_synthesize_offline_but_are_not_a_deployment():
    context = Context.parse({})
    assert context.allowed_origins == ("http://localhost:5173",)  # from the callback URLs
    unset = context.unset_for_deploy()
    assert [line.split(":")[0] for line in unset] == ["alarmEmail", "notificationSender", "serviceUrls"]


def test_a_complete_context_is_deployable_and_feature_flags_are_not_ours():
    context = Context.parse({**DEPLOYABLE, "@aws-cdk/core:checkSecretUsage": True, "aws:cdk:x": 1})
    assert context.unset_for_deploy() == []
    assert context.allowed_origins == ("https://portal.example.org",)
    assert context.service_url("payments") == "https://payments.partner.example.org"
    assert context.budget_monthly_usd == 250


def test_values_given_on_the_command_line_as_strings_are_read():
    context = Context.parse(
        {
            "callbackUrls": '["https://a.example.org/cb", "https://b.example.org/cb"]',
            "allowedOrigins": "https://a.example.org, https://b.example.org/",
            "serviceUrls": json.dumps({"kyc": "https://kyc.example.org/"}),
            "budgetMonthlyUsd": "75.5",
        }
    )
    assert context.callback_urls == ("https://a.example.org/cb", "https://b.example.org/cb")
    assert context.allowed_origins == ("https://a.example.org", "https://b.example.org")
    assert context.service_url("kyc") == "https://kyc.example.org"
    assert context.budget_monthly_usd == 75.5


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("alarmEmail", "ops-at-example.org", "not an e-mail address"),
        ("notificationSender", "no-reply@", "not an e-mail address"),
        ("callbackUrls", ["portal.example.org/callback"], "not an absolute http(s) URL"),
        ("logoutUrls", ["http://portal.example.org/"], "must use https"),
        ("allowedOrigins", ["https://portal.example.org/app"], "not an origin"),
        ("serviceUrls", {"payment": "https://pay.example.org"}, "unknown service(s) payment"),
        ("serviceUrls", {"kyc": "ftp://kyc.example.org"}, "not an absolute http(s) URL"),
        ("budgetMonthlyUsd", -5, "greater than 0"),
        ("callbackUrls", [], "at least 1 item"),
    ],
)
def test_a_bad_value_is_refused_with_a_message_naming_its_key(key, value, says):
    with pytest.raises(ContextError) as refused:
        Context.parse({**DEPLOYABLE, key: value})
    message = str(refused.value)
    assert f"context key '{key}" in message and says in message


def test_a_misspelt_key_is_refused_rather_than_ignored():
    with pytest.raises(ContextError, match=r"unknown context key 'alarmEmial'.*alarmEmail"):
        Context.parse({"alarmEmial": "ops@example.org"})


def test_the_app_refuses_a_bad_context_before_building_anything(layers_dir, tmp_path):
    with pytest.raises(ContextError, match="context key 'alarmEmail'"):
        build_app(layers_dir, outdir=str(tmp_path), context={"alarmEmail": "nobody"})


def test_cdk_json_holds_only_documented_keys_and_the_readme_lists_every_key():
    context = json.loads((ROOT / "cdk.json").read_text())["context"]
    Context.parse(context)  # valid as committed
    readme = (ROOT / "README.md").read_text()
    for key in KEYS:
        assert f"`{key}`" in readme, f"README does not document the context key {key}"
