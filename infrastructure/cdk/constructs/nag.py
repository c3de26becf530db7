"""cdk-nag acknowledgements: one finding, one resource, one reason a reviewer would accept."""

from __future__ import annotations

from aws_cdk import Acknowledgment, Validations
from constructs import IConstruct

# The regulatory packs run beside AwsSolutions; a finding they share is acknowledged in both.
REGULATORY_PACKS = ("HIPAA.Security", "PCI.DSS.321")


def acknowledge(scope: IConstruct, rule: str, reason: str) -> None:
    Validations.of(scope).acknowledge(Acknowledgment(id=rule, reason=reason))


def acknowledge_regulatory(
    scope: IConstruct, rule: str, reason: str, packs: tuple[str, ...] = REGULATORY_PACKS
) -> None:
    """``rule`` without its pack prefix, e.g. ``LambdaInsideVPC``, for each pack named."""
    for pack in packs:
        acknowledge(scope, f"{pack}-{rule}", reason)
