"""Set and check the deployed stack's secrets: ``make secrets`` (``python -m infrastructure.secrets``).

The stack creates each secret of the manifest with its fields set to a placeholder. This
sets them from a JSON file or from the environment and checks that every one is set, printing
which secret and field is wrong, never a value.

    make secrets                          # is every secret set?
    make secrets FILE=secrets.json        # set them: {"kyc": {"apiKey": "..."}, ...}
    SECRET_KYC='{"apiKey": "..."}' make secrets   # or one variable per secret

Each secret is found through the stack's ``Secrets`` output (name -> ARN); AWS credentials
and region are the caller's, as for ``make deploy``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from infrastructure import manifest

STACK = "SalesPortal"
OUTPUT = "Secrets"


class SecretsError(ValueError):
    """Input that cannot be stored: the message names the secret and field, never a value."""


def env_var(name: str) -> str:
    return f"SECRET_{name.upper().replace('-', '_')}"


def shape_problems(name: str, value: Any) -> list[str]:
    """Why ``value`` is not exactly ``name``'s JSON shape with every field set."""
    fields = manifest.secret(name).fields
    if not isinstance(value, dict):
        return [f"{name}: must be a JSON object with {', '.join(fields)}"]
    found = [f"{name}: missing field {f!r}" for f in fields if f not in value]
    found += [f"{name}: unknown field {f!r} (expected {', '.join(fields)})" for f in value if f not in fields]
    for field in fields:
        given = value.get(field)
        if field in value and (not isinstance(given, str) or not given.strip()):
            found.append(f"{name}: field {field!r} must be a non-empty string")
        elif given == manifest.SECRET_PLACEHOLDER:
            found.append(f"{name}: field {field!r} is still the placeholder")
    return found


def read_values(file: Path | None, environ: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """The secrets to set, from the file and then ``SECRET_<NAME>`` variables, shapes checked."""
    given: dict[str, Any] = {}
    if file is not None:
        try:
            loaded = json.loads(file.read_text())
        except ValueError:
            raise SecretsError(f"{file} is not valid JSON") from None
        if not isinstance(loaded, dict):
            raise SecretsError(f"{file} must hold one JSON object: secret name -> its fields")
        given.update(loaded)
    for secret in manifest.SECRETS:
        raw = environ.get(env_var(secret.name))
        if raw is not None:
            try:
                given[secret.name] = json.loads(raw)
            except ValueError:
                raise SecretsError(f"{env_var(secret.name)} is not valid JSON") from None
    known = {s.name for s in manifest.SECRETS}
    problems = [f"{n}: unknown secret (one of {', '.join(sorted(known))})" for n in given if n not in known]
    problems += [p for n, v in given.items() if n in known for p in shape_problems(n, v)]
    if problems:
        raise SecretsError("\n".join(problems))
    if not given:
        raise SecretsError(f"nothing to set: pass --file or set {env_var('<name>')} variables")
    return given


def secret_arns(cloudformation: Any, stack: str = STACK) -> dict[str, str]:
    described = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}
    if OUTPUT not in outputs:
        raise SecretsError(f"stack {stack} has no {OUTPUT} output: deploy it first (make deploy)")
    arns: dict[str, str] = json.loads(outputs[OUTPUT])
    return arns


def put(secretsmanager: Any, arns: Mapping[str, str], values: Mapping[str, Mapping[str, str]]) -> None:
    for name, value in values.items():
        secretsmanager.put_secret_value(SecretId=arns[name], SecretString=json.dumps(value))


def check(secretsmanager: Any, arns: Mapping[str, str]) -> dict[str, list[str]]:
    """Each manifest secret -> what is wrong with its stored value (empty: set)."""
    report = {}
    for secret in manifest.SECRETS:
        if secret.name not in arns:
            report[secret.name] = [f"{secret.name}: not in the stack's {OUTPUT} output"]
            continue
        raw = secretsmanager.get_secret_value(SecretId=arns[secret.name]).get("SecretString")
        try:
            value = json.loads(raw) if raw else None
        except ValueError:
            value = None
        report[secret.name] = shape_problems(secret.name, value)
    return report


def _print_report(report: Mapping[str, list[str]]) -> bool:
    for name, problems in report.items():
        print(
            f"  {name:<20} {'set' if not problems else 'NOT SET: ' + '; '.join(p.split(': ', 1)[1] for p in problems)}"
        )
    return not any(report.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make secrets", description=__doc__.splitlines()[0])
    parser.add_argument(
        "command", choices=["check", "set"], nargs="?", help="default: set when given values, else check"
    )
    parser.add_argument("--file", type=Path, help="JSON: {secret name: {field: value}}")
    parser.add_argument("--stack", default=STACK)
    args = parser.parse_args(argv)
    given = args.file is not None or any(env_var(s.name) in os.environ for s in manifest.SECRETS)
    command = args.command or ("set" if given else "check")

    import boto3

    try:
        values = read_values(args.file, os.environ) if command == "set" else {}
        arns = secret_arns(boto3.client("cloudformation"), args.stack)
    except SecretsError as error:
        print(error, file=sys.stderr)
        return 2
    client = boto3.client("secretsmanager")
    if values:
        put(client, arns, values)
        print(f"set: {', '.join(values)}")
    print(f"secrets of {args.stack}:")
    return 0 if _print_report(check(client, arns)) else 1


if __name__ == "__main__":
    sys.exit(main())
