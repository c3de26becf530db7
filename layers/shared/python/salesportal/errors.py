"""Typed errors: raise these anywhere; salesportal.http maps them to status codes in one place."""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """An error a client can act on. ``code`` is stable and machine-readable."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details
        self.headers: dict[str, str] = {}  # response headers the status calls for

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class BadRequest(AppError):
    status, code = 400, "bad_request"


class Unauthorized(AppError):
    status, code = 401, "unauthorized"


class Forbidden(AppError):
    status, code = 403, "forbidden"


class NotFound(AppError):
    status, code = 404, "not_found"


class Conflict(AppError):
    status, code = 409, "conflict"


class PreconditionFailed(AppError):
    status, code = 412, "precondition_failed"


class PayloadTooLarge(AppError):
    status, code = 413, "payload_too_large"


class UnsupportedMediaType(AppError):
    status, code = 415, "unsupported_media_type"


class Unprocessable(AppError):
    status, code = 422, "validation_error"


class TooManyRequests(AppError):
    status, code = 429, "throttled"

    def __init__(
        self, message: str, *, code: str | None = None, details: Any = None, retry_after_s: int | None = None
    ) -> None:
        super().__init__(message, code=code, details=details)
        if retry_after_s is not None:
            self.headers["Retry-After"] = str(max(1, retry_after_s))


class PaymentRequired(AppError):
    status, code = 402, "payment_declined"


class Gone(AppError):
    status, code = 410, "gone"


class BadGateway(AppError):
    """A dependency answered wrongly or not at all; the same request may be retried."""

    status, code = 502, "dependency_failed"


class ServiceUnavailable(AppError):
    status, code = 503, "service_unavailable"
