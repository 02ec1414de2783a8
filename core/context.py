"""The current request's address, for audit records written deep inside services."""

from __future__ import annotations

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)


def client_ip(request) -> str | None:  # type: ignore[no-untyped-def]
    """The client's address. Behind a proxy (XN_BEHIND_PROXY) the first X-Forwarded-For."""
    from django.conf import settings

    if getattr(settings, "USE_X_FORWARDED_HOST", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None
