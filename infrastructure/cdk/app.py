"""The CDK app: ``python -m infrastructure.cdk.app`` (``make synth``) or ``npx cdk synth``.

Synthesizes offline, without Docker or AWS credentials. cdk-nag's AwsSolutions, HIPAA Security
and PCI-DSS 3.2.1 packs run on every synth; an unacknowledged finding fails it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from aws_cdk import App, Environment, Validations
from cdk_nag import AwsSolutionsChecks, HIPAASecurityChecks, PCIDSS321Checks

from infrastructure.cdk.stacks.salesportal_stack import SalesPortalStack

ROOT = Path(__file__).resolve().parents[2]
DEPS_LAYER = ROOT / "build" / "layers" / "deps"


def compliance_packs(app: App) -> list[Any]:
    """AWS's best practices, and the HIPAA Security and PCI-DSS 3.2.1 rules regulators ask
    about; every remaining finding is acknowledged on its one resource, with the reason."""
    return [AwsSolutionsChecks(app), HIPAASecurityChecks(app), PCIDSS321Checks(app)]


def build_app(deps_layer_path: str, outdir: str | None = None) -> tuple[App, SalesPortalStack]:
    app = App(outdir=outdir) if outdir else App()
    stack = SalesPortalStack(
        app,
        "SalesPortal",
        deps_layer_path=deps_layer_path,
        env=Environment(
            account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=os.environ.get("CDK_DEFAULT_REGION")
        ),
        description="salesportal: serverless insurance sales portal",
    )
    Validations.of(app).add_plugins(*compliance_packs(app))
    return app, stack


def main() -> None:
    if not (DEPS_LAYER / "python").is_dir():
        sys.exit(f"{DEPS_LAYER} is missing: run `make layer` to build the arm64 dependency layer first.")
    app, _ = build_app(str(DEPS_LAYER), outdir=str(ROOT / "cdk.out"))
    app.synth()


if __name__ == "__main__":
    main()
