"""The third-party dependency layers: which packages each holds, and where it is built.

One table, read by the layer build (``make layer``), the CDK app and the manifest. ``core`` goes
to every function; each other layer only to the functions that import its packages, so a
function does not unpack (or count against Lambda's 250 MB) what it never uses. A package's
own dependencies follow it into its layer unless ``core`` already has them (two layers may
then hold the same files); versions come from the one lock file (requirements/lambda.txt),
so layers never disagree.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD_DIR = ROOT / "build" / "layers"
CORE = "core"

# Layer name -> the distributions (as in pyproject.toml, without extras) installed into it.
LAYERS: dict[str, tuple[str, ...]] = {
    CORE: ("aws-lambda-powertools", "boto3", "pydantic", "httpx", "python-ulid"),
    "pdf": ("fpdf2",),
    "openai": ("openai",),
    "salesforce": ("simple-salesforce",),
    # cryptography: the plan-delta sync seals beneficiary SSNs (salesportal.pii). The
    # salesforce layer carries its own copy (simple-salesforce requires pyjwt[crypto]).
    "crypto": ("cryptography",),
}


def layer_dir(name: str) -> Path:
    """The directory CDK packages as the layer: Lambda's layer shape, ``python/`` at its root."""
    if name not in LAYERS:
        raise KeyError(f"unknown layer {name!r}: one of {', '.join(LAYERS)}")
    return BUILD_DIR / name
