"""The inside of a local Lambda execution environment: one function, one process, JSON lines.

Started by ``lambdas.LocalFunction`` with the function's own environment. Reads one
``{"event", "context"}`` per line on stdin and answers ``{"result"}`` or ``{"error"}`` on the
protocol channel. The handler's own prints and logs go to stderr (the console), as
CloudWatch would collect them, so they can never corrupt the protocol.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any


class Context:
    def __init__(self, data: dict[str, Any]) -> None:
        self.function_name: str = data["function_name"]
        self.function_version = "$LATEST"
        self.memory_limit_in_mb: int = data["memory_limit_in_mb"]
        self.invoked_function_arn: str = data["invoked_function_arn"]
        self.aws_request_id: str = data["aws_request_id"]
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = "local"
        self._deadline = time.monotonic() + data["timeout_s"]

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def main() -> None:
    # Ctrl-C reaches the whole process group; the parent stops workers by closing stdin.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    handler_path = Path(sys.argv[1])
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything printed by the handler lands on stderr
    sys.stdout = sys.stderr
    spec = importlib.util.spec_from_file_location("handler", handler_path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["handler"] = module  # Lambda imports it as the module "handler"
    spec.loader.exec_module(module)
    protocol.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        request = json.loads(line)
        try:
            result = module.lambda_handler(request["event"], Context(request["context"]))
            answer = {"result": result}
        except Exception as exc:  # a Lambda invocation error, reported like the runtime does
            traceback.print_exc()
            answer = {"error": {"errorType": type(exc).__name__, "errorMessage": str(exc)}}
        protocol.write(json.dumps(answer, default=str) + "\n")


if __name__ == "__main__":
    main()
