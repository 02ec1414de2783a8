"""The kinds of message the cases module sends (core.notify), and who receives them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from core.notify import register_kind
from core.permissions import OFFICE_ROLES, UNIT_ROLES, Role

register_kind("cases.dispatched", "新派诉求件待签收", ("log",))
register_kind("cases.returned", "诉求件退单待审核", ("log",))
register_kind("cases.replied", "诉求件答复待审核", ("log",))
register_kind("cases.extension", "诉求件延期申请与审批", ("log",))
register_kind("cases.deadline_warning", "诉求件临期预警", ("log",))
register_kind("cases.overdue_reminder", "诉求件逾期催办", ("sms", "log"))
register_kind("cases.escalation_prompt", "诉求件逾期提请通报", ("log",))
register_kind("cases.reopened", "诉求件重办与提级督办", ("log",))
register_kind("cases.deadline_unknown", "诉求件办理期限无法计算", ("email", "log"))


def unit_users(unit: Any) -> QuerySet:
    """The liaisons and heads of ``unit`` and of every unit above it."""
    from accounts.models import User

    if unit is None:
        return User.objects.none()
    ancestors = [int(pk) for pk in unit.path.strip("/").split("/") if pk]
    return User.objects.filter(unit_id__in=ancestors, role__in=sorted(UNIT_ROLES), is_active=True)


def office_users(head_only: bool = False) -> QuerySet:
    from accounts.models import User

    roles = [Role.OFFICE_HEAD] if head_only else sorted(OFFICE_ROLES)
    return User.objects.filter(role__in=roles, is_active=True)
