"""The cases module's places in the navigation and on home pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from cases import selectors
from core import permissions as gate
from core.registry import home_panel, nav_item, public_link

CASES = _("诉求办理")
nav_item(_("诉求"), "cases:list", "cases.case.view", order=200, group=CASES)
nav_item(_("回访"), "cases:follow_up_queue", "cases.followup.view", order=205, group=CASES)
nav_item(_("诉求统计"), "cases:figures", "cases.figures.view", order=210, group=CASES)


def _work(request: Any) -> dict[str, Any] | None:
    user = request.user
    counts = selectors.work_counts(user)
    context: dict[str, Any] = {"counts": counts, "office": gate.can(user, "cases.case.dispatch")}
    if context["office"]:
        context["problems"] = selectors.deadline_problems(user)
    return context


home_panel("cases_work", "cases/panels/work.html", "cases.case.view", _work, order=30)

public_link(_("提交诉求、投诉、建议"), "cases_public:submit", _("手机即可办理，提交后获得查询码"))
public_link(_("查询办理进度并评价"), "cases_public:track", _("凭查询码和查询密码"))
