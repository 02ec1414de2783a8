"""Drawing a team for a task (RULES.md §1): at random among supervisors in term, never one
employed by a target unit, its parent or its children (回避), never one already busy at
the same time, spreading the load evenly, and — as the policy asks — not the same
supervisor on the same unit in consecutive rounds.

Conflict of interest and double booking are hard rules; the consecutive-rounds rule is
a preference: when too few supervisors are left it is relaxed, and the proposal says so.
``propose`` only reads; ``inspections.services`` writes the team.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.choices import AssignmentStatus, TaskStatus
from inspections.models import InspectionRound, InspectionTask, TaskAssignment
from supervisors.models import Supervisor
from supervisors.selectors import active_supervisors


def conflicting_units(supervisor: Supervisor, units: Iterable[Any]) -> list[Any]:
    """The units among ``units`` a supervisor must not inspect: their employer, a unit above
    it or a unit below it (the same rule as ``supervisors.selectors.conflicted_units_q``)."""
    employer = supervisor.employer.path
    return [unit for unit in units if unit.path.startswith(employer) or employer.startswith(unit.path)]


def _branch(path: str) -> str:
    """The top unit of a path ("/0000012/0000040/" → "/0000012/"): visiting a window of a
    department counts as visiting the department."""
    first = path.strip("/").split("/")[0]
    return f"/{first}/"


def previous_round(round_: InspectionRound) -> InspectionRound | None:
    """The round just before this one (by month, then creation), of any kind."""
    return (
        InspectionRound.objects.filter(Q(month__lt=round_.month) | Q(month=round_.month, pk__lt=round_.pk))
        .order_by("-month", "-pk")
        .first()
    )


def _branches_by_supervisor(tasks: Iterable[InspectionTask]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    rows = (
        TaskAssignment.objects.filter(task__in=tasks)
        .exclude(status=AssignmentStatus.DECLINED)
        .exclude(task__status=TaskStatus.CANCELLED)
        .values_list("supervisor_id", "task_id")
    )
    task_branches: dict[int, set[str]] = {}
    for task in InspectionTask.objects.filter(pk__in={task_id for _s, task_id in rows}).prefetch_related("units"):
        task_branches[task.pk] = {_branch(unit.path) for unit in task.units.all()}
    for supervisor_id, task_id in rows:
        out.setdefault(supervisor_id, set()).update(task_branches.get(task_id, set()))
    return out


@dataclass
class Proposal:
    supervisors: list[Supervisor] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    short: int = 0  # how many more are needed than could be found


def propose(
    task: InspectionTask, needed: int, *, avoid_consecutive: bool, rng: random.Random | None = None, exclude: Iterable[int] = ()
) -> Proposal:
    """Up to ``needed`` supervisors for ``task``, besides those already on it (and those in
    ``exclude``, e.g. the member being replaced)."""
    rng = rng or random.SystemRandom()
    units = list(task.units.all())
    branches = {_branch(unit.path) for unit in units}
    on_task = set(TaskAssignment.objects.filter(task=task).values_list("supervisor_id", flat=True)) | set(exclude)
    day = timezone.localtime(task.window_start).date()
    candidates = [s for s in active_supervisors(day) if s.pk not in on_task and not conflicting_units(s, units)]
    busy = set(
        TaskAssignment.objects.filter(task__window_start__lt=task.window_end, task__window_end__gt=task.window_start)
        .exclude(task=task)
        .exclude(task__status=TaskStatus.CANCELLED)
        .exclude(status=AssignmentStatus.DECLINED)
        .values_list("supervisor_id", flat=True)
    )
    candidates = [s for s in candidates if s.pk not in busy]
    # load: assignments this round first, then this year — the least loaded go first
    this_round = Counter(
        TaskAssignment.objects.filter(task__round=task.round)
        .exclude(status=AssignmentStatus.DECLINED)
        .exclude(task__status=TaskStatus.CANCELLED)
        .values_list("supervisor_id", flat=True)
    )
    this_year = Counter(
        TaskAssignment.objects.filter(task__round__month__year=task.round.month.year)
        .exclude(status=AssignmentStatus.DECLINED)
        .exclude(task__status=TaskStatus.CANCELLED)
        .values_list("supervisor_id", flat=True)
    )
    rng.shuffle(candidates)  # the draw: ties in load are broken at random
    candidates.sort(key=lambda s: (this_round[s.pk], this_year[s.pk]))
    # the same branch again in this round, or in the round before, is avoided if possible
    same_round = _branches_by_supervisor(InspectionTask.objects.filter(round=task.round).exclude(pk=task.pk))
    preferred: list[Supervisor] = [s for s in candidates if not (same_round.get(s.pk, set()) & branches)]
    if avoid_consecutive:
        before = previous_round(task.round)
        if before is not None:
            last = _branches_by_supervisor(InspectionTask.objects.filter(round=before))
            preferred = [s for s in preferred if not (last.get(s.pk, set()) & branches)]
    notes: list[str] = []
    chosen = preferred[:needed]
    if len(chosen) < needed:
        extra = [s for s in candidates if s not in chosen][: needed - len(chosen)]
        if extra:
            chosen += extra
            notes.append(
                _("可选监督员不足：%(names)s本轮或上一轮检查过同一单位，已放宽“不连续检查同一单位”的要求。")
                % {"names": "、".join(s.name for s in extra)}
            )
    short = needed - len(chosen)
    if short > 0:
        notes.append(_("回避、时间冲突后可用的在任监督员不足，还差 %(n)s 人。") % {"n": short})
    return Proposal(supervisors=chosen, notes=notes, short=short)


def team_conflicts(supervisors: Sequence[Supervisor], units: Sequence[Any]) -> list[str]:
    """Messages naming every supervisor/unit pair that conflicts."""
    messages = []
    for supervisor in supervisors:
        for unit in conflicting_units(supervisor, units):
            messages.append(
                _("%(sup)s的工作单位是%(employer)s，与检查对象“%(unit)s”存在回避关系（本单位及其上下级单位）。")
                % {"sup": supervisor.name, "employer": supervisor.employer.name, "unit": unit.name}
            )
    return messages
