"""The kinds of message inspections send (core.notify), and who receives them.

Recipients are found through the permission table, not by role names: the office is
whoever holds ``inspections.finding.review``; a unit's recipients are the users of that
unit or a unit above it whose role holds the permission the message asks them to use.
Titles sent to supervisors never name the unit to be visited: an SMS may be read over
a shoulder, and a visit must stay unannounced.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from accounts.models import User
from core import permissions as gate
from core.notify import notify, register_kind

TASK_DISPATCHED = "inspections.task_dispatched"
TASK_CHANGED = "inspections.task_changed"
ASSIGNMENT_DECLINED = "inspections.assignment_declined"
FINDING_SUBMITTED = "inspections.finding_submitted"
FINDING_REVIEWED = "inspections.finding_reviewed"
FINDING_FED_BACK = "inspections.finding_fed_back"
UNIT_REPLIED = "inspections.unit_replied"
DECISION = "inspections.decision"
DEADLINE_REMINDER = "inspections.deadline_reminder"
DEADLINE_OVERDUE = "inspections.deadline_overdue"
CIRCULAR_PUBLISHED = "inspections.circular_published"

register_kind(TASK_DISPATCHED, "明查暗访：新任务", ("sms", "log"))
register_kind(TASK_CHANGED, "明查暗访：任务变更", ("sms", "log"))
register_kind(ASSIGNMENT_DECLINED, "明查暗访：监督员拒绝任务", ("log",))
register_kind(FINDING_SUBMITTED, "明查暗访：新提交的问题线索", ())
register_kind(FINDING_REVIEWED, "明查暗访：问题线索审核结果", ("log",))
register_kind(FINDING_FED_BACK, "明查暗访：问题反馈待核查", ("sms", "email", "log"))
register_kind(UNIT_REPLIED, "明查暗访：单位核查、整改情况", ())
register_kind(DECISION, "明查暗访：效能办审核意见", ("email", "log"))
register_kind(DEADLINE_REMINDER, "明查暗访：核查、整改即将到期", ("sms", "log"))
register_kind(DEADLINE_OVERDUE, "明查暗访：核查、整改逾期", ("sms", "email", "log"))
register_kind(CIRCULAR_PUBLISHED, "明查暗访：通报印发", ("email", "log"))


def _roles_holding(perm: str, scopes: Iterable[gate.Scope] | None = None) -> list[str]:
    wanted = set(scopes) if scopes is not None else None
    return [role for role, scope in gate.rules()[perm].items() if wanted is None or scope in wanted]


def office_users() -> QuerySet[User]:
    return User.objects.filter(role__in=_roles_holding("inspections.finding.review", [gate.ALL]), is_active=True)


def unit_users(unit: Any, perm: str = "inspections.finding.verify") -> QuerySet[User]:
    """Users of ``unit`` or of a unit above it whose role may use ``perm`` in their unit."""
    ancestors = [int(part) for part in unit.path.strip("/").split("/") if part]
    return User.objects.filter(role__in=_roles_holding(perm, [gate.UNIT]), unit_id__in=ancestors, is_active=True)


def send(recipients: Iterable[Any], kind: str, title: str, url: str = "", body: str = "") -> None:
    recipients = list(recipients)
    if recipients:
        notify(recipients=recipients, kind=kind, title=title, url=url, body=body)
