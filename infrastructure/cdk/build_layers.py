"""Builds the dependency layers (infrastructure/layers.py) from the Lambda lock, reproducibly.

``python -m infrastructure.cdk.build_layers [name ...]`` (``make layer``): each layer gets the
exact versions and hashes of requirements/lambda.txt, installed as wheels for the runtime the
functions deploy on (CPython 3.13 on arm64, Amazon Linux 2023), without Docker. The output is
byte-for-byte the same on every build and machine: no bytecode (compiled for whichever Python
ran the installer, and Lambda compiles on import anyway), no console scripts (their shebangs
name the build machine's interpreter), and fixed file times. CDK's asset hash then changes
only when the lock does, and so does the layer version deployed.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from infrastructure import layers

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements" / "lambda.txt"
# The python3.13 Lambda runtime: Amazon Linux 2023 (glibc 2.34) on Graviton. Keep in step with
# the runtime in infrastructure/cdk/constructs/functions.py and `make lock`.
PYTHON_VERSION = "3.13"
PLATFORM = "aarch64-manylinux_2_34"
# 1980-01-01, the earliest time a zip entry can hold; SOURCE_DATE_EPOCH overrides it.
DEFAULT_EPOCH = 315532800


@dataclass(frozen=True)
class Pinned:
    """One locked distribution: its name, the lock's lines for it (version and hashes), and the
    packages it was pulled in by (``via``; the project itself for a direct dependency)."""

    name: str
    lines: str
    via: frozenset[str]


_NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==")


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_lock(text: str) -> dict[str, Pinned]:
    """The pins of a ``uv pip compile --generate-hashes`` file, with its ``# via`` annotations."""
    pins: dict[str, Pinned] = {}
    name: str | None = None
    lines: list[str] = []
    via: set[str] = set()

    def close() -> None:
        if name is not None:
            pins[name] = Pinned(name, "\n".join(lines) + "\n", frozenset(via))

    for raw in text.splitlines():
        match = _NAME.match(raw)
        if match:
            close()
            name, lines, via = normalize(match.group(1)), [raw], set()
        elif name is not None and raw.startswith("    --hash="):
            lines.append(raw)
        elif name is not None and raw.strip().startswith("#"):
            annotation = raw.strip().lstrip("#").strip()
            annotation = annotation.removeprefix("via").strip()
            if annotation:
                via.add(normalize(annotation.split(" ")[0]))
    close()
    return pins


def split(pins: Mapping[str, Pinned], table: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """Which locked distributions go into which layer.

    A listed package goes into its layer, with whatever it needs that ``core`` does not already
    carry; ``core`` goes to every function, so it never needs another layer. What two optional
    layers both need goes into both (same version, from the one lock): each layer stands alone,
    and a function with both simply gets the same files twice. Raises if the table and the lock
    disagree.
    """
    children: dict[str, set[str]] = {name: set() for name in pins}
    for pin in pins.values():
        for parent in pin.via:
            if parent in children:
                children[parent].add(pin.name)
    listed = {normalize(package) for packages in table.values() for package in packages}
    unknown = sorted(listed - set(pins))
    if unknown:
        raise ValueError(f"infrastructure/layers.py names packages the lock does not have: {unknown}")

    def closure(roots: Iterable[str], stop: set[str]) -> set[str]:
        seen: set[str] = set()
        todo = [normalize(root) for root in roots]
        while todo:
            name = todo.pop()
            if name in seen or name in stop:
                continue
            seen.add(name)
            todo.extend(children[name])
        return seen

    core = closure(table[layers.CORE], stop=set())
    result = {layers.CORE: sorted(core)}
    for layer, packages in table.items():
        if layer != layers.CORE:
            result[layer] = sorted(closure(packages, stop=core))
    homeless = sorted(set(pins) - {name for names in result.values() for name in names})
    if homeless:
        raise ValueError(
            f"locked but in no layer (add their dependent to infrastructure/layers.py): {homeless}"
        )
    return result


def uv() -> str:
    from uv import find_uv_bin  # the uv the venv was synced with (pinned in requirements/dev.txt)

    return find_uv_bin()


def install(requirements: str, target: Path) -> None:
    """Installs pinned, hashed wheels for the Lambda runtime into ``target`` (which must not exist)."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as file:
        file.write(requirements)
    try:
        subprocess.run(  # noqa: S603 - a fixed command line: the venv's uv and a file we wrote
            [
                uv(),
                "pip",
                "install",
                "--quiet",
                "--target",
                str(target),
                "--python-version",
                PYTHON_VERSION,
                "--python-platform",
                PLATFORM,
                "--only-binary",
                ":all:",
                "--no-deps",
                "--require-hashes",
                "--no-compile",
                "--link-mode",
                "copy",
                "--no-config",
                "-r",
                file.name,
            ],
            check=True,
            env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"},
        )
    finally:
        Path(file.name).unlink()


def normalize_tree(root: Path, epoch: int) -> None:
    """Removes what differs between builds or machines and Lambda never needs; fixes times."""
    for path in sorted(root.rglob("*"), reverse=True):
        if path.is_dir() and path.name == "__pycache__":
            shutil.rmtree(path)
        elif path.is_file() and path.suffix == ".pyc":
            path.unlink()
    shutil.rmtree(root / "bin", ignore_errors=True)  # console scripts: shebangs of this machine
    for record in root.glob("*.dist-info/RECORD"):  # and their hashes, recorded with them
        lines = record.read_text().splitlines()
        kept = [line for line in lines if (root / line.rsplit(",", 2)[0]).is_file()]
        record.write_text("".join(f"{line}\n" for line in kept))
    for path in [root, *root.rglob("*")]:
        if path.is_file():
            path.chmod(0o644 | (0o111 if path.stat().st_mode & 0o111 else 0))
        os.utime(path, (epoch, epoch), follow_symlinks=False)


def digest(root: Path) -> str:
    """SHA-256 over every file's relative path and content, in sorted order (what CDK hashes)."""
    sha = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        sha.update(path.relative_to(root).as_posix().encode() + b"\0")
        sha.update(hashlib.sha256(path.read_bytes()).digest())
    return sha.hexdigest()


def size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def build(name: str, packages: list[str], pins: Mapping[str, Pinned], dest: Path, *, epoch: int) -> None:
    """Builds one layer into ``dest`` (``dest/python`` in Lambda's layer shape), replacing it."""
    staging = dest.with_name(f".{dest.name}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    install("".join(pins[package].lines for package in packages), staging / "python")
    normalize_tree(staging / "python", epoch)
    shutil.rmtree(dest, ignore_errors=True)
    staging.rename(dest)


def main(argv: list[str]) -> None:
    wanted = argv or list(layers.LAYERS)
    unknown = sorted(set(wanted) - set(layers.LAYERS))
    if unknown:
        sys.exit(f"unknown layer(s) {unknown}: one of {', '.join(layers.LAYERS)}")
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH))
    pins = parse_lock(LOCK.read_text())
    plan = split(pins, layers.LAYERS)
    for name in wanted:
        dest = layers.layer_dir(name)
        build(name, plan[name], pins, dest, epoch=epoch)
        print(
            f"layer {name:<11} {size(dest) / 1e6:6.1f} MB  {len(plan[name]):2} packages  "
            f"sha256 {digest(dest)[:16]}  {dest.relative_to(ROOT)}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
