"""Reads of inspections, always through the gate (core.permissions): each selector takes
the user and returns only what the user may see. ``findings_verified_true`` is the one
read for other modules (accountability), not scoped by a user."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from core import permissions as gate
from inspections.choices import TRUE_VERDICTS, AssignmentStatus, CircularStatus, FindingStatus, TaskStatus
from inspections.models import (
    Circular,
    Evidence,
    Finding,
    FindingEvent,
    InspectionBatch,
    InspectionRound,
    InspectionTask,
    TaskAssignment,
)
from org.models import Staff


# --- rounds, batches, tasks ---------------------------------------------------------------
def round_list(user: Any) -> QuerySet[InspectionRound]:
    qs = InspectionRound.objects.annotate(
        n_scope=Count("scope", distinct=True), n_tasks=Count("tasks", filter=~Q(tasks__status=TaskStatus.CANCELLED), distinct=True)
    )
    # an aggregate query ignores Meta.ordering: order it again
    return gate.restrict(qs, user, "inspections.round.view").order_by("-month", "-id")


def round_get(user: Any, pk: int, perm: str = "inspections.round.view") -> InspectionRound:
    return gate.get_object(user, perm, InspectionRound.objects.select_related("policy_version__policy", "created_by"), pk=pk)


def round_batches(round_: InspectionRound) -> list[InspectionBatch]:
    tasks = InspectionTask.objects.prefetch_related("units", Prefetch("assignments", TaskAssignment.objects.select_related("supervisor")))
    return list(round_.batches.prefetch_related(Prefetch("tasks", tasks)))


def batch_get(user: Any, pk: int, perm: str = "inspections.round.view") -> InspectionBatch:
    # batches are planning data: whoever may see (or change) rounds may see (or change) them
    return gate.get_object(user, perm, InspectionBatch.objects.select_related("round"), pk=pk)


def task_list(user: Any) -> QuerySet[InspectionTask]:
    qs = InspectionTask.objects.select_related("round", "batch").prefetch_related(
        "units", Prefetch("assignments", TaskAssignment.objects.select_related("supervisor"))
    )
    return gate.restrict(qs, user, "inspections.task.view")


def task_get(user: Any, pk: int, perm: str = "inspections.task.view") -> InspectionTask:
    qs = InspectionTask.objects.select_related("round", "batch", "policy_version").prefetch_related("units")
    return gate.get_object(user, perm, qs, pk=pk)


def task_team(task: InspectionTask) -> list[TaskAssignment]:
    return list(task.assignments.select_related("supervisor", "supervisor__employer", "created_by").order_by("id"))


def my_assignment(user: Any, task: InspectionTask) -> TaskAssignment | None:
    """The user's own assignment on a task they may see (None for the office)."""
    return (
        gate.restrict(TaskAssignment.objects.filter(task=task), user, "inspections.assignment.view").filter(supervisor__user=user).first()
    )


def my_tasks(user: Any) -> dict[str, list[TaskAssignment]]:
    """A supervisor's tasks: upcoming (not yet over, not declined) and past."""
    qs = gate.restrict(
        TaskAssignment.objects.select_related("task", "task__round").prefetch_related("task__units"), user, "inspections.assignment.view"
    ).filter(supervisor__user=user)
    now = timezone.now()
    upcoming = list(
        qs.filter(task__window_end__gte=now, task__status=TaskStatus.DISPATCHED)
        .exclude(status=AssignmentStatus.DECLINED)
        .order_by("task__window_start")
    )
    past = list(qs.exclude(pk__in=[a.pk for a in upcoming]).order_by("-task__window_start")[:30])
    return {"upcoming": upcoming, "past": past}


def assignment_list(user: Any) -> QuerySet[TaskAssignment]:
    qs = TaskAssignment.objects.select_related("task", "task__round", "supervisor").prefetch_related("task__units")
    return gate.restrict(qs, user, "inspections.assignment.view")


def assignment_get(user: Any, pk: int, perm: str = "inspections.assignment.view") -> TaskAssignment:
    qs = TaskAssignment.objects.select_related("task", "task__round", "supervisor", "supervisor__employer")
    return gate.get_object(user, perm, qs, pk=pk)


# --- findings and evidence -----------------------------------------------------------------
def finding_list(user: Any) -> QuerySet[Finding]:
    qs = Finding.objects.select_related("unit", "task", "task__round", "recorded_by", "staff")
    return gate.restrict(qs, user, "inspections.finding.view")


def finding_get(user: Any, pk: int, perm: str = "inspections.finding.view") -> Finding:
    qs = Finding.objects.select_related(
        "unit", "task", "task__round", "recorded_by", "recorded_by__user", "staff", "policy_version__policy", "verified_by"
    )
    return gate.get_object(user, perm, qs, pk=pk)


def finding_evidence(user: Any, finding: Finding) -> QuerySet[Evidence]:
    return gate.restrict(finding.evidence.select_related("rectification"), user, "inspections.evidence.view")


def evidence_get(user: Any, pk: int) -> Evidence:
    return gate.get_object(user, "inspections.evidence.view", Evidence.objects.select_related("finding"), pk=pk)


def finding_history(user: Any, finding: Finding) -> QuerySet[FindingEvent]:
    """What happened to a finding; a unit sees only the entries meant for it."""
    events = finding.events.select_related("actor")
    if not gate.allows(user, "inspections.finding.view_source", finding):
        events = events.filter(for_unit=True)
    return events


def staff_for(finding: Finding) -> QuerySet[Staff]:
    """Staff a finding may name: active people of its unit and the units below it."""
    return (
        Staff.objects.filter(unit__path__startswith=finding.unit.path, is_active=True).select_related("unit").order_by("unit__path", "name")
    )


def findings_verified_true(*, start: date | None = None, end: date | None = None, unit_ids: list[int] | None = None) -> QuerySet[Finding]:
    """Findings a unit verified true or partly true and that were not later judged untrue,
    verified between ``start`` and ``end`` (inclusive), of the units ``unit_ids`` and the
    units below them; each with its unit and, if recorded, the staff member concerned.
    For the accountability module (RULES.md §5); not scoped by a user."""
    qs = (
        Finding.objects.filter(verdict__in=TRUE_VERDICTS)
        .exclude(status=FindingStatus.UNTRUE)
        .select_related("unit", "staff", "staff__unit")
    )
    if start is not None:
        qs = qs.filter(verified_at__date__gte=start)
    if end is not None:
        qs = qs.filter(verified_at__date__lte=end)
    if unit_ids is not None:
        from org.models import Unit

        paths = list(Unit.objects.filter(pk__in=unit_ids).values_list("path", flat=True))
        within = Q(pk__in=[])
        for path in paths:
            within |= Q(unit__path__startswith=path)
        qs = qs.filter(within)
    return qs.order_by("verified_at", "pk")


# --- circulars ------------------------------------------------------------------------------
def circular_list(user: Any) -> QuerySet[Circular]:
    """Published circulars go to every unit and the city's leaders; drafts are only for
    those who may edit them."""
    qs = gate.restrict(Circular.objects.annotate(n_findings=Count("findings")), user, "inspections.circular.view")
    if not gate.can(user, "inspections.circular.change"):
        qs = qs.filter(status=CircularStatus.PUBLISHED)
    return qs.order_by("-issue_date", "-id")


def circular_get(user: Any, pk: int) -> Circular:
    gate.check(user, "inspections.circular.view")
    return gate.get_object(user, "inspections.circular.view", circular_list(user), pk=pk)


def circular_candidates(user: Any) -> QuerySet[Finding]:
    """Findings that may be named in a circular: verified true (or partly), still standing."""
    return finding_list(user).filter(
        verdict__in=TRUE_VERDICTS, status__in=[FindingStatus.RECTIFYING, FindingStatus.RECTIFIED, FindingStatus.CLOSED]
    )
