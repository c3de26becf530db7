"""Local Lambda functions: each manifest function in worker processes, started on first use.

Like Lambda execution environments, a worker has exactly its manifest environment, pays its
cold start once, then stays warm and handles one invocation at a time. As on Lambda, one
function runs several invocations at once, each in its own worker (up to its concurrency),
so races between concurrent requests happen here as they would deployed.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from infrastructure import manifest
from infrastructure.manifest import Physical

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "123456789012"  # moto's default account: ARNs agree with the resources it creates
DEFAULT_CONCURRENCY = 4


class InvocationError(RuntimeError):
    """The handler raised (or the worker died): Lambda would report a function error."""


def _concurrency(fn: manifest.Function, default: int = DEFAULT_CONCURRENCY) -> int:
    """How many invocations of ``fn`` run at once: the default, or less where the manifest caps it."""
    cap = getattr(fn.trigger, "max_concurrency", None)
    return max(1, min(default, cap)) if cap else max(1, default)


class _Worker:
    """One execution environment: a process running infrastructure.local.worker."""

    def __init__(self, fn: manifest.Function, env: dict[str, str], handler: Path) -> None:
        self.fn = fn
        self.process = subprocess.Popen(
            [sys.executable, "-m", "infrastructure.local.worker", str(handler)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        if not self.process.stdout.readline():
            raise InvocationError(f"{fn.name}: the worker failed to start (see its log above)")

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def invoke(self, event: dict[str, Any]) -> Any:
        process = self.process
        assert process.stdin and process.stdout
        context = {
            "function_name": self.fn.name,
            "memory_limit_in_mb": self.fn.memory_mb,
            "invoked_function_arn": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{self.fn.name}",
            "aws_request_id": str(uuid.uuid4()),
            "timeout_s": self.fn.timeout_s,
        }
        try:
            process.stdin.write(json.dumps({"event": event, "context": context}) + "\n")
            process.stdin.flush()
        except (BrokenPipeError, ValueError) as exc:  # killed by a stop, or died
            raise InvocationError(f"{self.fn.name}: the worker is gone") from exc
        # Lambda stops a function at its timeout; so does this (plus a second of grace).
        readable, _, _ = select.select([process.stdout], [], [], self.fn.timeout_s + 1)
        if not readable:
            process.kill()
            raise InvocationError(f"{self.fn.name}: Task timed out after {self.fn.timeout_s} seconds")
        line = process.stdout.readline()
        if not line:
            raise InvocationError(f"{self.fn.name}: the worker exited during the invocation")
        answer = json.loads(line)
        if "error" in answer:
            raise InvocationError(
                f"{self.fn.name}: {answer['error']['errorType']}: {answer['error']['errorMessage']}"
            )
        return answer["result"]

    def kill(self) -> None:
        """Ends the environment at once: a worker keeps nothing worth a graceful exit (its
        logs are unbuffered), and a stop should not wait out a long invocation either."""
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()

    def reap(self, deadline: float) -> None:
        """Wait for the process until ``deadline``, then kill it; never leaves a zombie."""
        try:
            self.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.kill()
            self.process.wait()


class LocalFunction:
    """A function's warm workers: an invocation takes an idle one or starts one, up to
    ``concurrency``; beyond that it waits for one to be free (no function here has reserved
    concurrency, so on AWS the account's limit of 1,000 would not throttle these either)."""

    def __init__(
        self,
        fn: manifest.Function,
        env: dict[str, str],
        concurrency: int = DEFAULT_CONCURRENCY,
        handler: Path | None = None,
    ) -> None:
        self.fn = fn
        self.concurrency = concurrency
        self._env = env
        self._handler = handler or ROOT / fn.source_dir / "handler.py"
        self._slots = threading.BoundedSemaphore(concurrency)
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._stopped = False

    def invoke(self, event: dict[str, Any]) -> Any:
        with self._slots:
            worker = self._take()
            try:
                result = worker.invoke(event)
            finally:
                # A handler error leaves a healthy worker; a timeout or a crash leaves none.
                self._release(worker)
            return result

    def _take(self) -> _Worker:
        with self._lock:
            if self._stopped:
                raise InvocationError(f"{self.fn.name}: the offline stack is stopping")
            while self._idle:
                worker = self._idle.pop()
                if worker.alive:
                    self._busy.add(worker)
                    return worker
                worker.reap(time.monotonic())  # died while idle: collect it
        worker = _Worker(self.fn, self._env, self._handler)  # a cold start, outside the lock: others go on
        with self._lock:
            self._busy.add(worker)
            if self._stopped:
                worker.kill()
        return worker

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            self._busy.discard(worker)
            if worker.alive and not self._stopped:
                self._idle.append(worker)
                return
        worker.reap(time.monotonic())  # killed if still running: a worker is never left behind

    @property
    def workers(self) -> int:
        """Live workers (idle or busy): at most ``concurrency``."""
        with self._lock:
            return sum(w.alive for w in (*self._idle, *self._busy))

    def close(self) -> list[_Worker]:
        """Take no more invocations and kill every worker, busy ones too (an invocation in
        flight ends as it would in an environment shut down); ``reap`` them after."""
        with self._lock:
            self._stopped = True
            workers = [*self._idle, *self._busy]
            self._idle.clear()
        for worker in workers:
            worker.kill()
        return workers

    def stop(self) -> None:
        for worker in self.close():
            worker.reap(time.monotonic() + 1)


class Functions:
    """All manifest functions, wired to one endpoint (moto) through AWS_ENDPOINT_URL only."""

    def __init__(
        self,
        physical: Physical,
        aws_endpoint_url: str,
        region: str,
        extra_env: dict[str, str] | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
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
            fn.name: LocalFunction(
                fn, {**base, **manifest.function_environment(fn, physical)}, _concurrency(fn, concurrency)
            )
            for fn in manifest.FUNCTIONS
        }

    def __getitem__(self, name: str) -> LocalFunction:
        return self._functions[name]

    def invoke(self, name: str, event: dict[str, Any]) -> Any:
        return self._functions[name].invoke(event)

    def stop(self) -> None:
        # Every worker of every function is killed first, then all are awaited together.
        workers = [worker for function in self._functions.values() for worker in function.close()]
        deadline = time.monotonic() + 1
        for worker in workers:
            worker.reap(deadline)
