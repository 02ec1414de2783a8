"""The accounts app's places in the navigation and on home pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, User
from core.registry import SYSTEM, home_panel, nav_item

nav_item(_("账号"), "accounts:users", "accounts.user.change", order=800, group=SYSTEM)
nav_item(_("接口令牌"), "accounts:tokens", "accounts.token.view", order=810, group=SYSTEM)


def _attention(request: Any) -> dict[str, Any]:
    now = timezone.now()
    locked = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=now - settings.AXES_COOLOFF_TIME
    )
    expired = User.objects.filter(is_active=True).filter(
        Q(password_changed_at__lt=now - timedelta(days=settings.XN_PASSWORD_MAX_AGE_DAYS)) | Q(password_changed_at__isnull=True)
    )
    expiring_tokens = ApiToken.objects.usable().filter(expires_at__lt=now + timedelta(days=14))
    return {
        "locked": list(locked.values_list("username", flat=True)[:20]),
        "expired": expired.count(),
        "expiring_tokens": list(expiring_tokens.select_related("user")[:10]),
        "accounts": User.objects.filter(is_active=True).count(),
    }


home_panel("accounts_attention", "accounts/panels/attention.html", "accounts.user.change", _attention, order=60)
