"""The deployment's configuration: every CDK context key the app reads, validated at synth.

Set them in ``cdk.json`` (``"context"``) or per command (``npx cdk deploy -c alarmEmail=ops@example.com``;
a list or map given on the command line is JSON). Nothing else in the app reads context: a key
that is misspelt or malformed stops the synth with a message naming it, before any AWS call.

| key                  | what                                                        | default (offline synth only)         |
|----------------------|-------------------------------------------------------------|--------------------------------------|
| callbackUrls         | where the hosted UI may return after sign-in (Cognito)     | http://localhost:5173/callback       |
| logoutUrls           | where it may return after sign-out                          | http://localhost:5173/               |
| allowedOrigins       | web origins the API's CORS preflight admits                 | the origins of callbackUrls          |
| serviceUrls          | base URL per outside service (payments, kyc, bureau, ...)   | https://<name>.sandbox.example.com   |
| paymentsPublishableKey | the payment gateway's publishable key (the portal tokenizes cards with it) | pk_test_REPLACE_ME |
| notificationSender   | SES identity e-mails are sent from (verified in SES)        | no-reply@salesportal.example.com     |
| alarmEmail           | who receives the alarms (SNS e-mail subscription)           | none                                 |
| budgetMonthlyUsd     | the monthly AWS Budgets amount; alerts at 80 % and forecast | 100                                  |

The defaults let the stack synthesize offline (tests, ``make synth``); ``Context.unset_for_deploy``
names the ones a real deployment must replace, and ``make deploy`` refuses to go on until it has.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from infrastructure import manifest

EXAMPLE_DOMAIN = "example.com"  # defaults point here: nothing real answers there
_EMAIL = re.compile(r"^[^@\s]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")
_LOCAL_HOSTS = {"localhost", "127.0.0.1"}


class ContextError(ValueError):
    """The CDK context is not a deployable configuration; the message names each bad key."""


def _url(value: str, *, origin_only: bool = False) -> str:
    parts = urlsplit(value)
    local = parts.hostname in _LOCAL_HOSTS
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"{value!r} is not an absolute http(s) URL")
    if parts.scheme == "http" and not local:
        raise ValueError(f"{value!r} must use https (http only for localhost)")
    if origin_only and (parts.path not in ("", "/") or parts.query or parts.fragment):
        raise ValueError(f"{value!r} is not an origin (scheme://host[:port], no path)")
    return value.rstrip("/") if origin_only else value


def _listed(value: Any) -> Any:
    """``-c key=...`` gives strings: a JSON list, or comma-separated values."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            return json.loads(text)
        return [part.strip() for part in text.split(",") if part.strip()]
    return value


class Context(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    callback_urls: tuple[str, ...] = Field(
        default=("http://localhost:5173/callback",), alias="callbackUrls", min_length=1
    )
    logout_urls: tuple[str, ...] = Field(
        default=("http://localhost:5173/",), alias="logoutUrls", min_length=1
    )
    allowed_origins: tuple[str, ...] = Field(default=(), alias="allowedOrigins")
    service_urls: dict[str, str] = Field(default_factory=dict, alias="serviceUrls")
    payments_publishable_key: str = Field(
        default="pk_test_REPLACE_ME",
        alias="paymentsPublishableKey",
        pattern=r"^pk_(test|live)_[A-Za-z0-9_]+$",
    )
    notification_sender: str = Field(
        default=f"no-reply@salesportal.{EXAMPLE_DOMAIN}", alias="notificationSender"
    )
    alarm_email: str | None = Field(default=None, alias="alarmEmail")
    budget_monthly_usd: float = Field(default=100, alias="budgetMonthlyUsd", gt=0, le=1_000_000)

    @field_validator("callback_urls", "logout_urls", "allowed_origins", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return _listed(value)

    @field_validator("callback_urls", "logout_urls")
    @classmethod
    def _urls(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_url(v) for v in value)

    @field_validator("allowed_origins")
    @classmethod
    def _origins(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_url(v, origin_only=True) for v in value)

    @field_validator("service_urls", mode="before")
    @classmethod
    def _service_map(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    @field_validator("service_urls")
    @classmethod
    def _services(cls, value: dict[str, str]) -> dict[str, str]:
        known = {s.name for s in manifest.SERVICES}
        unknown = sorted(set(value) - known)
        if unknown:
            raise ValueError(f"unknown service(s) {', '.join(unknown)}: one of {', '.join(sorted(known))}")
        return {name: _url(url).rstrip("/") for name, url in value.items()}

    @field_validator("notification_sender", "alarm_email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL.fullmatch(value):
            raise ValueError(f"{value!r} is not an e-mail address")
        return value

    @model_validator(mode="after")
    def _defaults_from_callbacks(self) -> Context:
        if not self.allowed_origins:
            origins = {f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in self.callback_urls}
            object.__setattr__(self, "allowed_origins", tuple(sorted(origins)))
        return self

    # -- derived -------------------------------------------------------------------------
    def service_url(self, name: str) -> str:
        return self.service_urls.get(name, f"https://{name}.sandbox.{EXAMPLE_DOMAIN}")

    def unset_for_deploy(self) -> list[str]:
        """The keys still at a value no real deployment can use, each with what to set."""
        missing = []
        if self.alarm_email is None:
            missing.append("alarmEmail: who receives the alarms")
        if self.notification_sender.endswith(f".{EXAMPLE_DOMAIN}"):
            missing.append("notificationSender: an SES-verified address or domain to send e-mail from")
        unset = [s.name for s in manifest.SERVICES if s.name not in self.service_urls]
        if unset:
            missing.append(f"serviceUrls: base URLs for {', '.join(unset)}")
        return missing

    # -- reading -------------------------------------------------------------------------
    @classmethod
    def parse(cls, context: Mapping[str, Any]) -> Context:
        """The app's keys from all of CDK's context (its own keys, ``@aws-cdk/...`` feature flags
        and ``aws:cdk:...`` settings, hold a ``:`` and are not ours)."""
        ours = {k: v for k, v in context.items() if ":" not in k and not k.startswith("@")}
        try:
            return cls.model_validate(ours)
        except ValidationError as error:
            raise ContextError(_explain(error)) from None


KEYS: tuple[str, ...] = tuple(str(f.alias) for f in Context.model_fields.values())


def _explain(error: ValidationError) -> str:
    lines = []
    for problem in error.errors():
        loc = [str(part) for part in problem["loc"]]
        key = loc[0] if loc else "?"
        where = f"{key}[{loc[1]}]" if len(loc) > 1 else key
        if problem["type"] == "extra_forbidden":
            lines.append(f"unknown context key {key!r}: the keys are {', '.join(KEYS)}")
        else:
            lines.append(f"context key {where!r}: {problem['msg'].removeprefix('Value error, ')}")
    return "Invalid CDK context (cdk.json or -c):\n  " + "\n  ".join(lines)
