"""Local Lambda functions: each manifest function in its own worker process, started on first use.

Like a Lambda execution environment, a worker has exactly its manifest environment, pays its
cold start once, then stays warm and handles one invocation at a time.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from typing import Any

from infrastructure import manifest
from infrastructure.manifest import Physical

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "123456789012"  # moto's default account: ARNs agree with the resources it creates


class InvocationError(RuntimeError):
    """The handler raised (or the worker died): Lambda would report a function error."""


class LocalFunction:
    def __init__(self, fn: manifest.Function, env: dict[str, str]) -> None:
        self.fn = fn
        self._env = env
        self._process: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()

    def _start(self) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "infrastructure.local.worker",
                str(ROOT / self.fn.source_dir / "handler.py"),
            ],
            cwd=ROOT,
            env=self._env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        ready = process.stdout.readline()
        if not ready:
            raise InvocationError(f"{self.fn.name}: the worker failed to start (see its log above)")
        return process

    def invoke(self, event: dict[str, Any]) -> Any:
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._process = self._start()
            process = self._process
            assert process.stdin and process.stdout
            context = {
                "function_name": self.fn.name,
                "memory_limit_in_mb": self.fn.memory_mb,
                "invoked_function_arn": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{self.fn.name}",
                "aws_request_id": str(uuid.uuid4()),
                "timeout_s": self.fn.timeout_s,
            }
            process.stdin.write(json.dumps({"event": event, "context": context}) + "\n")
            process.stdin.flush()
            # Lambda stops a function at its timeout; so does this (plus a second of grace).
            readable, _, _ = select.select([process.stdout], [], [], self.fn.timeout_s + 1)
            if not readable:
                process.kill()
                self._process = None
                raise InvocationError(f"{self.fn.name}: Task timed out after {self.fn.timeout_s} seconds")
            line = process.stdout.readline()
            if not line:
                self._process = None
                raise InvocationError(f"{self.fn.name}: the worker exited during the invocation")
            answer = json.loads(line)
            if "error" in answer:
                raise InvocationError(
                    f"{self.fn.name}: {answer['error']['errorType']}: {answer['error']['errorMessage']}"
                )
            return answer["result"]

    def stop(self) -> None:
        # An invocation in flight (a long sync run) holds the lock: stopping kills its worker
        # rather than waiting out the function's timeout, as Lambda would on a shutdown.
        if not self._lock.acquire(timeout=1):
            process = self._process
            if process and process.poll() is None:
                process.kill()
            return
        try:
            if self._process and self._process.poll() is None:
                assert self._process.stdin
                self._process.stdin.close()
                try:
                    self._process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self._process.kill()
            self._process = None
        finally:
            self._lock.release()


class Functions:
    """All manifest functions, wired to one endpoint (moto) through AWS_ENDPOINT_URL only."""

    def __init__(
        self, physical: Physical, aws_endpoint_url: str, region: str, extra_env: dict[str, str] | None = None
    ) -> None:
        base = {
            **(extra_env or {}),
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": os.pathsep.join([str(ROOT / "layers" / "shared" / "python"), str(ROOT)]),
            "PYTHONUNBUFFERED": "1",
            "AWS_ENDPOINT_URL": aws_endpoint_url,
            "AWS_DEFAULT_REGION": region,
            "AWS_REGION": region,
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
        }
        self._functions = {
            fn.name: LocalFunction(fn, {**base, **manifest.function_environment(fn, physical)})
            for fn in manifest.FUNCTIONS
        }

    def __getitem__(self, name: str) -> LocalFunction:
        return self._functions[name]

    def invoke(self, name: str, event: dict[str, Any]) -> Any:
        return self._functions[name].invoke(event)

    def stop(self) -> None:
        for function in self._functions.values():
            function.stop()
