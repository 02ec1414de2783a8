"""Audit records of logins, failed logins and logouts (Django's auth signals are the only
place these events surface)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from core.audit import audit_record
from core.context import client_ip


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action="login", actor=user, obj=user, ip=client_ip(request) if request else None)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    from accounts.models import User

    username = str(credentials.get("username", ""))[:150]
    user = User.objects.filter(username=username).first()
    audit_record(
        action="login_failed",
        actor=None,
        actor_label=username,
        object_type="accounts.user",
        object_id=str(user.pk) if user else "",
        object_repr=username,
        ip=client_ip(request) if request else None,
        success=False,
    )


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action="logout", actor=user, obj=user, ip=client_ip(request) if request else None)
