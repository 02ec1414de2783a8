"""Inspections' places in the navigation and on home pages: the office's queue (findings
to review, overdue steps), a unit's findings to verify or rectify, a supervisor's tasks."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, F, Q, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import permissions as gate
from core.registry import home_panel, nav_item
from inspections import selectors
from inspections.choices import AssignmentStatus, CircularStatus, FindingStatus, TaskStatus
from inspections.models import Circular, TaskAssignment

INSPECTIONS = _("明查暗访")  # the same menu as the supervisors' roster
nav_item(_("轮次与任务"), "inspections:rounds", "inspections.round.view", order=310, group=INSPECTIONS)
nav_item(_("我的任务"), "inspections:my_tasks", "inspections.task.respond", order=310, group=INSPECTIONS)
nav_item(_("问题线索"), "inspections:findings", "inspections.finding.view", order=320, group=INSPECTIONS)
nav_item(_("通报"), "inspections:circulars", "inspections.circular.view", order=330, group=INSPECTIONS)
nav_item(_("暗访统计"), "inspections:figures", "inspections.figures.view", order=340, group=INSPECTIONS)


def _overdue_q(today: Any) -> Q:
    return Q(status=FindingStatus.FED_BACK, verify_due__lt=today) | Q(status=FindingStatus.RECTIFYING, rectify_due__lt=today)


def _by_due(findings: Any) -> Any:
    """Soonest deadline first: the verification's while the unit verifies, then the rectification's."""
    due = Case(When(status=FindingStatus.FED_BACK, then=F("verify_due")), default=F("rectify_due"))
    return findings.annotate(due=due).order_by("due", "pk")


def _office(request: Any) -> dict[str, Any]:
    findings = selectors.finding_list(request.user)
    today = timezone.localdate()
    declined = gate.restrict(TaskAssignment.objects.all(), request.user, "inspections.assignment.view").filter(
        status=AssignmentStatus.DECLINED, task__status=TaskStatus.DISPATCHED, task__window_end__gte=timezone.now()
    )
    return {
        "to_review": list(findings.filter(status=FindingStatus.SUBMITTED).order_by("submitted_at")[:6]),
        "to_review_count": findings.filter(status=FindingStatus.SUBMITTED).count(),
        "to_feed_back": findings.filter(status=FindingStatus.CONFIRMED).count(),
        "to_accept": findings.filter(status__in=[FindingStatus.RECTIFIED, FindingStatus.DISPUTED]).count(),
        "overdue": list(_by_due(findings.filter(_overdue_q(today)))[:6]),
        "overdue_count": findings.filter(_overdue_q(today)).count(),
        "declined": declined.count(),
        "drafts": Circular.objects.filter(status=CircularStatus.DRAFT).count(),
    }


def _unit(request: Any) -> dict[str, Any] | None:
    findings = selectors.finding_list(request.user).filter(status__in=[FindingStatus.FED_BACK, FindingStatus.RECTIFYING])
    today = timezone.localdate()
    items = list(_by_due(findings)[:10])
    return {"items": items, "count": findings.count(), "overdue": findings.filter(_overdue_q(today)).count(), "today": today}


def _supervisor(request: Any) -> dict[str, Any] | None:
    tasks = selectors.my_tasks(request.user)
    returned = selectors.finding_list(request.user).filter(status__in=[FindingStatus.RETURNED, FindingStatus.DRAFT])
    return {"upcoming": tasks["upcoming"][:6], "returned": list(returned[:5])}


home_panel("inspections_office", "inspections/panels/office.html", "inspections.finding.review", _office, order=30)
home_panel("inspections_unit", "inspections/panels/unit.html", "inspections.finding.verify", _unit, order=30)
home_panel("inspections_supervisor", "inspections/panels/supervisor.html", "inspections.task.respond", _supervisor, order=10)
