"""The roster's places in the navigation and on home pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.registry import home_panel, nav_item
from supervisors.models import Supervisor

# in the inspections menu, whose work the supervisors do
nav_item(_("监督员"), "supervisors:supervisors", "supervisors.supervisor.change", order=345, group=_("明查暗访"))


def _me(request: Any) -> dict[str, Any] | None:
    supervisor = Supervisor.objects.filter(user=request.user).select_related("employer").first()
    return {"supervisor": supervisor} if supervisor else None


home_panel("supervisor_me", "supervisors/panels/me.html", "supervisors.supervisor.view", _me, order=20)
