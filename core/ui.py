"""The core app's places in the navigation and on home pages."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import calendar
from core.models import Job, Notification, PolicyStatus, PolicyVersion
from core.registry import SYSTEM, home_panel, nav_item

nav_item(_("政策参数"), "core:policies", "core.policy.change", order=900, group=SYSTEM)
nav_item(_("工作日历"), "core:calendar", "core.calendar.change", order=910, group=SYSTEM)
nav_item(_("审计日志"), "core:audit", "core.audit.view", order=920, group=SYSTEM)


def _inbox(request: Any) -> dict[str, Any]:
    items = list(Notification.objects.filter(recipient=request.user, read_at__isnull=True)[:5])
    return {"items": items}


def _office_attention(request: Any) -> dict[str, Any] | None:
    """Drafts waiting for publication; a coming year the calendar does not know."""
    drafts = list(PolicyVersion.objects.filter(status=PolicyStatus.DRAFT).select_related("policy"))
    today = timezone.localdate()
    missing_year = None
    if today.month >= 11:
        try:
            calendar.is_working_day(today.replace(year=today.year + 1, month=1, day=2))
        except calendar.CalendarUnknownYear as exc:
            missing_year = str(exc)
    jobs = list(Job.objects.filter(created_by=request.user)[:5])
    return {"drafts": drafts, "missing_year": missing_year, "jobs": jobs}


home_panel("inbox", "core/panels/inbox.html", "core.notification.view", _inbox, order=1000)
home_panel("office_attention", "core/panels/office_attention.html", "core.policy.change", _office_attention, order=50)
