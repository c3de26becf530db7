"""The CDK app: ``python -m infrastructure.cdk.app`` (``make synth``) or ``npx cdk synth``/``deploy``.

Synthesizes offline, without Docker or AWS credentials. cdk-nag's AwsSolutions, HIPAA Security
and PCI-DSS 3.2.1 packs run on every synth; an unacknowledged finding fails it. The account and
region are the caller's (``CDK_DEFAULT_ACCOUNT``/``CDK_DEFAULT_REGION``, which the CDK CLI sets
from the credentials), or left open (an environment-agnostic template) when unset.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aws_cdk import App, Environment, Validations
from cdk_nag import AwsSolutionsChecks, HIPAASecurityChecks, PCIDSS321Checks

from infrastructure.cdk.context import Context, ContextError
from infrastructure.cdk.stacks.salesportal_stack import SalesPortalStack
from infrastructure.layers import BUILD_DIR, LAYERS

ROOT = Path(__file__).resolve().parents[2]


def compliance_packs(app: App) -> list[Any]:
    """AWS's best practices, and the HIPAA Security and PCI-DSS 3.2.1 rules regulators ask
    about; every remaining finding is acknowledged on its one resource, with the reason."""
    return [AwsSolutionsChecks(app), HIPAASecurityChecks(app), PCIDSS321Checks(app)]


def caller_environment() -> Environment:
    return Environment(
        account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=os.environ.get("CDK_DEFAULT_REGION")
    )


def build_app(
    layers_dir: Path = BUILD_DIR,
    outdir: str | None = None,
    *,
    env: Environment | None = None,
    context: Mapping[str, Any] | None = None,
    portal_dist: Path | None = None,
) -> tuple[App, SalesPortalStack]:
    """``context`` is added to cdk.json's (tests pass theirs here; the CLI passes ``-c``)."""
    app = App(outdir=outdir, context=dict(context) if context else None)
    settings = Context.parse(app.node.get_all_context())
    stack = SalesPortalStack(
        app,
        "SalesPortal",
        settings=settings,
        layers_dir=layers_dir,
        portal_dist=portal_dist,
        env=env or caller_environment(),
        description="salesportal: serverless insurance sales portal",
    )
    Validations.of(app).add_plugins(*compliance_packs(app))
    return app, stack


def main() -> None:
    missing = [name for name in LAYERS if not (BUILD_DIR / name / "python").is_dir()]
    if missing:
        sys.exit(f"Layer(s) {', '.join(missing)} missing under {BUILD_DIR}: run `make layer` first.")
    try:
        app, _ = build_app(outdir=os.environ.get("CDK_OUTDIR") or str(ROOT / "cdk.out"))
    except ContextError as error:
        sys.exit(str(error))
    app.synth()


if __name__ == "__main__":
    main()
