"""``make deploy``: from a fresh clone to a deployed stack in the caller's account and region.

1. The CDK context (cdk.json, cdk.context.json, ``-c`` arguments) is validated, and the keys a
   real deployment must set are asked for, before anything touches AWS.
2. The pinned CDK CLI (and the Node.js LTS it runs on) is installed from package-lock.json
   (``npm ci``) when it is missing or not the pinned version, and run from node_modules:
   never whatever ``npx`` would fetch.
3. The caller's credentials name the account; the region is theirs (``AWS_REGION``,
   ``AWS_DEFAULT_REGION`` or the profile's). The CLI synthesizes for exactly that environment.
4. The environment is bootstrapped (``cdk bootstrap``) when its bootstrap stack is missing
   or older than this app needs.
5. ``cdk deploy``, then the secrets are checked and what is still unset is listed.

Arguments after ``--`` go to ``cdk deploy`` (``make deploy ARGS="-c alarmEmail=ops@example.org"``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from infrastructure import secrets
from infrastructure.cdk.context import Context, ContextError
from infrastructure.layers import BUILD_DIR, LAYERS

ROOT = Path(__file__).resolve().parents[1]
STACK = "SalesPortal"
# The version CDK's default synthesizer checks for (the template's CheckBootstrapVersion rule)
# and the one the pinned CLI's asset publishing needs.
MIN_BOOTSTRAP_VERSION = 6
BOOTSTRAP_PARAMETER = "/cdk-bootstrap/hnb659fds/version"

Run = Callable[[Sequence[str], Mapping[str, str]], int]


class DeployError(RuntimeError):
    """Why the deploy stopped before (or instead of) calling CloudFormation."""


def context_arguments(cdk_args: Sequence[str]) -> dict[str, str]:
    """``-c key=value`` / ``--context key=value`` pairs among the CDK arguments."""
    pairs: dict[str, str] = {}
    it = iter(cdk_args)
    for arg in it:
        value = None
        if arg in ("-c", "--context"):
            value = next(it, None)
        elif arg.startswith("--context="):
            value = arg.split("=", 1)[1]
        if value is not None and "=" in value:
            key, _, given = value.partition("=")
            pairs[key] = given
    return pairs


def deployment_context(root: Path, cdk_args: Sequence[str]) -> Context:
    """The context the CLI will hand the app, in the CLI's order of precedence."""
    merged: dict[str, Any] = {}
    for name in ("cdk.json", "cdk.context.json"):
        path = root / name
        if path.is_file():
            loaded = json.loads(path.read_text())
            merged.update(loaded.get("context", {}) if name == "cdk.json" else loaded)
    merged.update(context_arguments(cdk_args))
    return Context.parse(merged)


def cli_is_pinned(root: Path) -> bool:
    pinned = json.loads((root / "package.json").read_text())["devDependencies"]["aws-cdk"]
    installed = root / "node_modules" / "aws-cdk" / "package.json"
    return installed.is_file() and json.loads(installed.read_text()).get("version") == pinned


def bootstrap_version(ssm: Any) -> int | None:
    try:
        value = ssm.get_parameter(Name=BOOTSTRAP_PARAMETER)["Parameter"]["Value"]
    except ssm.exceptions.ParameterNotFound:
        return None
    return int(value)


def caller_environment(session: Any) -> tuple[str, str]:
    region = session.region_name
    if not region:
        raise DeployError("No AWS region: set AWS_REGION (or a region in your AWS profile).")
    try:
        account = session.client("sts").get_caller_identity()["Account"]
    except Exception as error:  # no or expired credentials: botocore's own message says which
        raise DeployError(f"No usable AWS credentials: {error}") from None
    return str(account), str(region)


def deploy(
    *,
    root: Path,
    session: Any,
    cdk_args: Sequence[str],
    run: Run,
    allow_unset: bool = False,
    out: Callable[[str], None] = print,
) -> int:
    try:
        context = deployment_context(root, cdk_args)
    except ContextError as error:
        raise DeployError(str(error)) from None
    unset = context.unset_for_deploy()
    if unset and not allow_unset:
        raise DeployError(
            "Set these in cdk.json's context or with -c before deploying (see README, Configuration):\n  "
            + "\n  ".join(unset)
        )
    missing = [name for name in LAYERS if not (BUILD_DIR / name / "python").is_dir()]
    if missing:
        raise DeployError(f"Layer(s) {', '.join(missing)} not built: run `make layer` (make deploy does).")

    account, region = caller_environment(session)
    # The pinned CLI and the Node.js LTS package.json pins (node_modules/.bin) before any other.
    bin_dir = root / "node_modules" / ".bin"
    path = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    env = {**os.environ, "PATH": path, "AWS_REGION": region, "AWS_DEFAULT_REGION": region}
    if not cli_is_pinned(root):
        out("Installing the pinned CDK CLI and Node.js (npm ci) ...")
        _checked(run([shutil.which("npm") or "npm", "ci", "--no-audit", "--no-fund"], env), "npm ci")
    cdk = str(bin_dir / "cdk")
    version = bootstrap_version(session.client("ssm"))
    if version is None or version < MIN_BOOTSTRAP_VERSION:
        out(f"Bootstrapping aws://{account}/{region} (found version {version}) ...")
        _checked(run([cdk, "bootstrap", f"aws://{account}/{region}"], env), "cdk bootstrap")
    out(f"Deploying {STACK} to aws://{account}/{region} ...")
    _checked(run([cdk, "deploy", STACK, *cdk_args], env), "cdk deploy")

    report = secrets.check(
        session.client("secretsmanager"), secrets.secret_arns(session.client("cloudformation"))
    )
    unset_secrets = sorted(name for name, problems in report.items() if problems)
    if unset_secrets:
        out(
            f"Deployed. Secrets still to set: {', '.join(unset_secrets)}; until then the functions that "
            "use them answer 503 not_configured. Set them with `make secrets` (README, Secrets)."
        )
    else:
        out("Deployed; every secret is set.")
    return 0


def _checked(code: int, what: str) -> None:
    if code != 0:
        raise DeployError(f"{what} failed (exit {code}); its output is above.")


def _run(command: Sequence[str], env: Mapping[str, str]) -> int:
    return subprocess.run(list(command), cwd=ROOT, env=dict(env), check=False).returncode  # noqa: S603


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make deploy", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--allow-unset",
        action="store_true",
        help="deploy with example defaults for alarmEmail, notificationSender and serviceUrls (a trial)",
    )
    parser.add_argument("cdk_args", nargs=argparse.REMAINDER, help="passed to cdk deploy")
    args = parser.parse_args(argv)
    cdk_args = [a for a in args.cdk_args if a != "--"]

    import boto3

    try:
        return deploy(
            root=ROOT, session=boto3.Session(), cdk_args=cdk_args, run=_run, allow_unset=args.allow_unset
        )
    except DeployError as error:
        print(f"make deploy: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
