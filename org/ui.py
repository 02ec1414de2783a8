"""The registry's places in the navigation and on home pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core import permissions as gate
from core.registry import home_panel, nav_item
from org.models import Enterprise, Post, Staff, Unit, Whereabouts

REGISTRY = _("组织机构")
nav_item(_("单位"), "org:units", "org.unit.view", order=100, group=REGISTRY)
nav_item(_("工作人员"), "org:staff_list", "org.staff.view", order=110, group=REGISTRY)
nav_item(_("离岗告示"), "org:whereabouts", "org.whereabouts.view", order=120, group=REGISTRY)
nav_item(_("企业"), "org:enterprises", "org.enterprise.view", order=130, group=REGISTRY)


def _registry_summary(request: Any) -> dict[str, Any]:
    user = request.user
    units = gate.restrict(Unit.objects.filter(is_active=True), user, "org.unit.view")
    staff = gate.restrict(Staff.objects.filter(is_active=True), user, "org.staff.view")
    posts = gate.restrict(Post.objects.filter(is_active=True), user, "org.post.view")
    away = gate.restrict(Whereabouts.objects.current(), user, "org.whereabouts.view").select_related("staff", "staff__unit")
    return {
        "units": units.count(),
        "staff": staff.count(),
        "enterprises": Enterprise.objects.filter(is_active=True).count() if gate.can(user, "org.enterprise.view") else None,
        "uncovered_posts": posts.filter(backup__isnull=True).count(),
        "away": list(away[:8]),
        "away_count": away.count(),
    }


home_panel("registry", "org/panels/registry.html", "org.staff.view", _registry_summary, order=200)
