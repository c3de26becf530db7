"""`make fire` without a running offline stack says so in one line instead of a traceback."""

from __future__ import annotations

import json
import socket

from infrastructure.local.__main__ import main


def test_fire_without_a_stack_says_to_start_one(tmp_path, capsys):
    assert main(["fire", "salesforce_poll", "--state-dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "No offline stack is running" in out and "make local" in out


def test_fire_with_the_stack_json_of_a_killed_stack_says_it_does_not_answer(tmp_path, capsys):
    with socket.socket() as probe:  # a port nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (tmp_path / "stack.json").write_text(json.dumps({"control_url": f"http://127.0.0.1:{port}/_local"}))
    assert main(["fire", "salesforce_poll", "--state-dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "does not answer" in out and "make local" in out
