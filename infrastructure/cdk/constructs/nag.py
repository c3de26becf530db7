"""cdk-nag acknowledgements: one finding, one resource, one reason a reviewer would accept."""

from __future__ import annotations

from typing import Any

from aws_cdk import Acknowledgment, Stack, Validations
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


def flattened(scope: IConstruct, value: Any) -> str:
    """``value`` (an ARN, maybe with tokens) as cdk-nag writes it in a finding's id.

    A finding's id is made from the synthesized value: ``<AWS::Region>`` where the stack is
    environment-agnostic, ``eu-west-1`` where it is not. Acknowledging the flattened value
    instead of a hand-written string matches every environment the stack is synthesized for.
    (A port of cdk-nag's ``flattenCfnReference``.)
    """
    return _flatten(Stack.of(scope).resolve(value))


def _flatten(node: Any) -> str:
    if isinstance(node, str):
        return node.replace("${", "<").replace("}", ">")
    if isinstance(node, dict):
        if "Fn::Join" in node:
            delimiter, items = node["Fn::Join"]
            return str(delimiter).join(_flatten(item) for item in items)
        if "Fn::Sub" in node:
            return _flatten(node["Fn::Sub"])
        if "Fn::GetAtt" in node:
            resource, attribute = node["Fn::GetAtt"]
            return f"<{_flatten(resource)}.{_flatten(attribute)}>"
        if "Fn::ImportValue" in node:
            return _flatten(node["Fn::ImportValue"])
        if "Ref" in node:
            return f"<{_flatten(node['Ref'])}>"
    raise ValueError(f"cannot flatten {node!r} as cdk-nag does")
