"""The portal's Content-Security-Policy, stated once: CloudFront's response-headers policy
(CDK) and the offline portal server both send it, so a page the deployed policy breaks
breaks offline first."""

from __future__ import annotations

from collections.abc import Sequence


def content_security_policy(connect: Sequence[str], *, upgrade_insecure_requests: bool) -> str:
    """Its own scripts and styles only; API calls to the ``connect`` origins. Offline serves
    plain HTTP on loopback, where ``upgrade-insecure-requests`` would break every call."""
    directives = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        " ".join(["connect-src 'self'", *connect]),
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    ]
    if upgrade_insecure_requests:
        directives.append("upgrade-insecure-requests")
    return "; ".join(directives)
