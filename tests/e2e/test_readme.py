"""README.md is a test: its shell blocks run, in order, against the offline stack.

A reader pastes the blocks one after another into one terminal, so they run in one
``bash -euo pipefail`` session (variables carry over), from the repository root, with
``STACK`` naming this session's stack.json. Every curl call must succeed (HTTP < 400) unless
it asks how to fail itself (``-f``), as the README's waits do. A block fenced ``bash no-test``
is not run: it starts the stack, runs these tests or deploys, and says so.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import LocalStack

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
FENCE = re.compile(r"^```(\S*)[ \t]*([^\n]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
SHELLS = {"bash", "sh", "shell", "console", "zsh"}
# What the README asks a reader to install besides Python 3.13 and npm.
TOOLS = ("curl", "jq")
# What only the stack's owner, the test run itself or an AWS account can do.
NOT_HERE = re.compile(r"\bmake (local|test|deploy|secrets|venv)\b|\bcdk (deploy|bootstrap)\b")
# An HTTP error status fails the call, so a snippet that stopped working cannot pass quietly.
PRELUDE = r"""
curl() {
  local arg
  for arg in "$@"; do
    case "$arg" in --fail*|-[a-zA-Z]*f*) command curl "$@"; return ;; --) break ;; esac
  done
  command curl --fail-with-body "$@"
}
"""


def shell_blocks() -> list[tuple[int, str, str, str]]:
    """(line, language, marker, body) of every shell block, in order."""
    text = README.read_text()
    return [
        (text.count("\n", 0, match.start()) + 1, match.group(1), match.group(2).strip(), match.group(3))
        for match in FENCE.finditer(text)
        if match.group(1) in SHELLS
    ]


def test_every_shell_block_is_bash_and_only_what_cannot_run_here_is_marked_no_test():
    blocks = shell_blocks()
    assert blocks, "README.md has no shell blocks"
    for line, language, marker, body in blocks:
        assert language == "bash", f"README.md:{line}: a shell block is ```bash (```{language})"
        assert marker in ("", "no-test"), f"README.md:{line}: unknown marker {marker!r}"
        assert (marker == "no-test") == bool(NOT_HERE.search(body)), (
            f"README.md:{line}: no-test marks exactly the blocks that start the stack, test or deploy"
        )


def test_every_shell_block_of_the_readme_runs_against_the_offline_stack(local_stack: LocalStack, tmp_path):
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    assert not missing, f"the README's prerequisites are missing: install {' '.join(missing)}"
    stack_file = tmp_path / "stack.json"
    stack_file.write_text(json.dumps(local_stack.info, indent=2))
    progress = tmp_path / "progress"
    script = PRELUDE + "".join(
        f'printf "%s\\n" {line} >> "$README_PROGRESS"\n{body}\n'
        for line, _, marker, body in shell_blocks()
        if marker != "no-test"
    )
    env = {
        **os.environ,
        "STACK": str(stack_file),
        "README_PROGRESS": str(progress),
        "VENV": sys.prefix,  # make's targets use the environment running these tests
    }
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    started = progress.read_text().split() if progress.exists() else ["?"]
    assert result.returncode == 0, (
        f"the README block at README.md:{started[-1]} failed (exit {result.returncode}):\n"
        f"--- stdout (end)\n{result.stdout[-3000:]}\n--- stderr (end)\n{result.stderr[-3000:]}"
    )
