"""Template context every page gets: site names, navigation and the unread count."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from core import permissions as gate
from core.registry import nav_items, public_links


def platform(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    context: dict[str, Any] = {"xn_site_name": settings.XN_SITE_NAME, "xn_office_name": settings.XN_OFFICE_NAME}
    if user is None or not user.is_authenticated:
        context["public_links"] = [
            {"label": link.label, "url": reverse(link.url_name), "description": link.description} for link in public_links()
        ]
        return context
    nav: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for item in nav_items():
        if not gate.can(user, item.perm):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        entry = {"label": item.label, "url": url, "active": request.path.startswith(url) and url != "/"}
        if not item.group:
            nav.append(entry)
            continue
        group = groups.get(str(item.group))
        if group is None:
            group = groups[str(item.group)] = {"label": item.group, "children": [], "active": False}
            nav.append(group)
        group["children"].append(entry)
        group["active"] = group["active"] or entry["active"]
    # a menu of one entry is just that entry
    nav = [entry["children"][0] if len(entry.get("children", ())) == 1 else entry for entry in nav]
    from core.notify import unread_count

    context.update({"nav": nav, "unread_count": unread_count(user), "role_label": user.get_role_display()})
    return context
