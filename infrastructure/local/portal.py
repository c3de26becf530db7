"""Serves the built portal (``web/dist``) offline the way CloudFront does in AWS.

Files from ``web/dist``, a ``config.json`` naming this stack's API, hosted UI and payment
gateway, client-side routes falling back to ``index.html``, and the response headers of the
CDK's response-headers policy (CSP, HSTS and friends), so a page that breaks under the
deployed policy breaks here first.
"""

from __future__ import annotations

import json
import mimetypes
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from infrastructure.portal_policy import content_security_policy

DIST = Path(__file__).resolve().parents[2] / "web" / "dist"
DEV_SERVER = "http://localhost:5173"


def security_headers(connect: list[str]) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(connect, upgrade_insecure_requests=False),
        "Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "strict-origin-when-cross-origin",
    }


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class PortalServer:
    def __init__(self, dist: Path = DIST, host: str = "127.0.0.1", port: int = 0) -> None:
        self.dist = dist
        self.config: dict[str, Any] = {}
        portal = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                status, headers, body = portal.answer(urlsplit(self.path).path)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.url = f"http://{host}:{self.server.server_address[1]}"

    @property
    def built(self) -> bool:
        return (self.dist / "index.html").is_file()

    def configure(self, config: dict[str, Any]) -> None:
        self.config = config

    def answer(self, path: str) -> tuple[int, dict[str, str], bytes]:
        connect = sorted(
            {origin(self.config[k]) for k in ("apiUrl", "cognitoDomain", "paymentsUrl") if k in self.config}
        )
        headers = security_headers(connect)
        if path == "/config.json":
            body = json.dumps(self.config).encode()
            return 200, {**headers, "Content-Type": "application/json", "Cache-Control": "no-cache"}, body
        file = (self.dist / path.lstrip("/")).resolve()
        if not file.is_relative_to(self.dist.resolve()) or not file.is_file():
            # A client-side route: the app's shell answers, as CloudFront's error responses do.
            file = self.dist / "index.html"
        if not file.is_file():
            return 404, {**headers, "Content-Type": "text/plain"}, b"The portal is not built: run make web."
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        # Hashed assets never change; the shell must be re-read to pick up a new build.
        cache = "public, max-age=31536000, immutable" if "/assets/" in path else "no-cache"
        return 200, {**headers, "Content-Type": kind, "Cache-Control": cache}, file.read_bytes()

    def start(self) -> PortalServer:
        threading.Thread(target=self.server.serve_forever, name="portal", daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_portal(
    cognito: Any,
    pool_id: str,
    client_id: str,
    region: str,
    invoke: Any,
    *,
    jwks_url: str,
    api_url: str,
    payments_url: str,
    payments_key: str,
    portal: PortalServer | None = None,
    hosted_ui_port: int = 0,
) -> tuple[PortalServer, Any]:
    """The portal and the Cognito hosted UI it signs in through, its URLs registered on the
    pool's app client as the CDK app registers the deployed portal's."""
    from infrastructure.local.hosted_ui import HostedUI, HostedUIServer, register_client

    portal = portal or PortalServer()
    # The built portal, and Vite's dev server (make web-dev) on its fixed port.
    origins = [portal.url, DEV_SERVER]
    register_client(
        cognito, pool_id, client_id, [f"{o}/callback" for o in origins], [f"{o}/" for o in origins]
    )
    hosted_ui = HostedUIServer(
        HostedUI(cognito, pool_id, region, invoke, jwks_url=jwks_url), port=hosted_ui_port
    )
    portal.configure(
        {
            "apiUrl": api_url,
            "cognitoDomain": hosted_ui.url,
            "clientId": client_id,
            "region": region,
            "userPoolId": pool_id,
            "redirectUri": f"{portal.url}/callback",
            "logoutUri": f"{portal.url}/",
            "paymentsUrl": payments_url,
            "paymentsPublishableKey": payments_key,
        }
    )
    return portal.start(), hosted_ui
