"""moto in server mode as AWS for the offline stack, answering one request at a time.

Functions run concurrently (as on Lambda), so moto receives concurrent requests. Its
backends are not thread-safe: a cancelled transaction deep-copies a table while another
request writes it ("dictionary changed size during iteration"), scans iterate dicts that
puts resize. So every request is dispatched under one lock, a small WSGI middleware around
moto's own application; handlers still run concurrently, only their AWS calls queue.

The one request that waits inside moto is an SQS long poll (ReceiveMessage with
WaitTimeSeconds): it gives the lock up while it waits, or it would stall everything else.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from moto.sqs.models import Queue
from werkzeug.serving import BaseWSGIServer, make_server

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

# One lock for every moto backend in this process: EventBridge delivers to SQS, a
# transaction touches several tables, so per-service locks would not be enough.
MOTO_LOCK = threading.RLock()
_wait_for_messages = Queue.wait_for_messages


def _waiting_without_the_lock(self: Queue, timeout: int) -> None:
    """A long poll waits for a send, which needs the lock: release it while waiting."""
    held = 0
    while True:  # the lock is reentrant: give up every level this thread holds
        try:
            MOTO_LOCK.release()
        except RuntimeError:
            break
        held += 1
    try:
        _wait_for_messages(self, timeout)
    finally:
        for _ in range(held):
            MOTO_LOCK.acquire()


def serialized(app: WsgiApp) -> WsgiApp:
    """Dispatch each request under MOTO_LOCK, its body read in full before the lock is released."""

    def dispatch(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        with MOTO_LOCK:
            return list(app(environ, start_response))

    return dispatch


class SerializedMotoServer:
    """ThreadedMotoServer's interface (start, get_host_and_port, stop), requests serialized."""

    def __init__(self, ip_address: str = "127.0.0.1", port: int = 0) -> None:
        Queue.wait_for_messages = _waiting_without_the_lock  # type: ignore[method-assign]
        self._server: BaseWSGIServer = make_server(
            ip_address,
            port,
            serialized(DomainDispatcherApplication(create_backend_app)),
            threaded=True,
            request_handler=MotoRequestHandler,
        )
        self._thread = threading.Thread(target=self._server.serve_forever, name="moto", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def get_host_and_port(self) -> tuple[str, int]:
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
