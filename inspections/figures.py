"""The figures of inspections (RULES.md §1), computed from the records every time — never
stored — for a round, a month or a year, overall and per unit:

* rounds held and special checks (rounds of each kind);
* tasks dispatched: tasks sent to their team and not cancelled;
* attendance rate = supervisor-task assignments attended ÷ assignments dispatched
  (an assignment is attended when its supervisor marked arrival — recording a finding or
  reporting “no problem found” marks it; a declined assignment counts as not attended);
* lead feedback rate = tasks attended (≥1 assignment attended) that produced at least one
  submitted finding ÷ tasks attended;
* findings submitted, confirmed, verified true (true or partly true, not later judged
  untrue) and rectified on time (accepted, reported by its deadline, none missed);
* coverage = units in scope visited (an attended task targeted the unit or a unit below
  it) ÷ units in scope, per round; summed over rounds for a month or a year.

Rates are rounded half-up to two decimals of a percent. The list filters (filters.py)
use the same definitions, so each figure links to exactly the records it counts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet

from inspections.choices import TRUE_VERDICTS, FindingStatus, RectificationDecision, RoundKind, TaskStatus
from inspections.models import Finding, InspectionRound, InspectionTask, Rectification, TaskAssignment

# --- definitions shared with the list filters -------------------------------------------------
DISPATCHED_TASK = Q(dispatched_at__isnull=False) & ~Q(status=TaskStatus.CANCELLED)
ATTENDED_ASSIGNMENT = Q(arrived_at__isnull=False)


def task_attended() -> Exists:
    return Exists(TaskAssignment.objects.filter(task=OuterRef("pk"), arrived_at__isnull=False))


def task_has_finding(unit_path: str | None = None) -> Exists:
    findings = Finding.objects.filter(task=OuterRef("pk"), submitted_at__isnull=False)
    if unit_path:
        findings = findings.filter(unit__path__startswith=unit_path)
    return Exists(findings)


def task_targets(unit_path: str) -> Exists:
    through = InspectionTask.units.through
    return Exists(through.objects.filter(inspectiontask_id=OuterRef("pk"), unit__path__startswith=unit_path))


def _accepted_on_time() -> Exists:
    return Exists(
        Rectification.objects.filter(finding=OuterRef("pk"), decision=RectificationDecision.ACCEPTED, reported_at__date__lte=F("due"))
    )


FINDING_STAGES: dict[str, Any] = {
    "submitted": lambda: Q(submitted_at__isnull=False),
    "confirmed": lambda: Q(confirmed_at__isnull=False),
    "verified_true": lambda: Q(verdict__in=TRUE_VERDICTS) & ~Q(status=FindingStatus.UNTRUE),
    "rectified_on_time": lambda: Q(status=FindingStatus.CLOSED, verdict__in=TRUE_VERDICTS, rectify_late=False) & _accepted_on_time(),
}


def _flag(stage: str) -> ExpressionWrapper:
    return ExpressionWrapper(FINDING_STAGES[stage](), output_field=BooleanField())


STAGE_LABELS = {"submitted": "提交", "confirmed": "确认", "verified_true": "核查属实", "rectified_on_time": "按期整改"}


# --- the period ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    """A year, a month (its first day) or one round."""

    year: int | None = None
    month: date | None = None
    round: InspectionRound | None = None

    def rounds(self) -> QuerySet[InspectionRound]:
        qs = InspectionRound.objects.all()
        if self.round is not None:
            return qs.filter(pk=self.round.pk)
        if self.month is not None:
            return qs.filter(month=self.month)
        if self.year is not None:
            return qs.filter(month__year=self.year)
        return qs

    def query(self) -> dict[str, str]:
        """The list pages' query parameters for this period."""
        if self.round is not None:
            return {"round": str(self.round.pk)}
        if self.month is not None:
            return {"month": f"{self.month:%Y-%m}"}
        if self.year is not None:
            return {"year": str(self.year)}
        return {}

    @property
    def label(self) -> str:
        if self.round is not None:
            return self.round.title
        if self.month is not None:
            return f"{self.month.year}年{self.month.month}月"
        return f"{self.year}年" if self.year else "全部"


# --- results -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def percent(self) -> Decimal | None:
        if not self.denominator:
            return None
        return (Decimal(self.numerator) * 100 / Decimal(self.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def __str__(self) -> str:
        return f"{self.percent}%" if self.percent is not None else "—"


@dataclass
class Figures:
    rounds: int = 0
    special_rounds: int = 0
    tasks_dispatched: int = 0
    assignments_dispatched: int = 0
    assignments_attended: int = 0
    tasks_attended: int = 0
    tasks_with_findings: int = 0
    findings_submitted: int = 0
    findings_confirmed: int = 0
    findings_verified_true: int = 0
    findings_rectified_on_time: int = 0
    units_in_scope: int = 0
    units_visited: int = 0
    full_coverage_rounds: int = 0

    @property
    def attendance(self) -> Rate:
        return Rate(self.assignments_attended, self.assignments_dispatched)

    @property
    def lead_feedback(self) -> Rate:
        return Rate(self.tasks_with_findings, self.tasks_attended)

    @property
    def coverage(self) -> Rate:
        return Rate(self.units_visited, self.units_in_scope)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rounds": self.rounds,
            "special_rounds": self.special_rounds,
            "tasks_dispatched": self.tasks_dispatched,
            "assignments_dispatched": self.assignments_dispatched,
            "assignments_attended": self.assignments_attended,
            "attendance_rate": self.attendance.percent,
            "tasks_attended": self.tasks_attended,
            "tasks_with_findings": self.tasks_with_findings,
            "lead_feedback_rate": self.lead_feedback.percent,
            "findings_submitted": self.findings_submitted,
            "findings_confirmed": self.findings_confirmed,
            "findings_verified_true": self.findings_verified_true,
            "findings_rectified_on_time": self.findings_rectified_on_time,
            "units_in_scope": self.units_in_scope,
            "units_visited": self.units_visited,
            "coverage_rate": self.coverage.percent,
            "full_coverage_rounds": self.full_coverage_rounds,
        }


@dataclass
class _TaskRow:
    pk: int
    round_id: int
    paths: list[str]
    assignments: int = 0
    attended: int = 0
    finding_paths: list[str] = field(default_factory=list)  # units of its submitted findings


@dataclass
class _FindingRow:
    round_id: int
    path: str
    submitted: bool
    confirmed: bool
    verified_true: bool
    on_time: bool


@dataclass
class Dataset:
    """Everything the figures of a period are computed from, loaded in a few queries."""

    rounds: list[InspectionRound]
    scope: dict[int, list[Any]]  # round → units in scope
    tasks: list[_TaskRow]
    findings: list[_FindingRow]

    @classmethod
    def load(cls, period: Period) -> Dataset:
        rounds = list(period.rounds().prefetch_related("scope").order_by("month", "pk"))
        ids = [r.pk for r in rounds]
        tasks: dict[int, _TaskRow] = {}
        for task in InspectionTask.objects.filter(DISPATCHED_TASK, round_id__in=ids).prefetch_related("units"):
            tasks[task.pk] = _TaskRow(pk=task.pk, round_id=task.round_id, paths=[u.path for u in task.units.all()])
        for task_id, arrived in TaskAssignment.objects.filter(task_id__in=tasks).values_list("task_id", "arrived_at"):
            tasks[task_id].assignments += 1
            tasks[task_id].attended += arrived is not None
        findings = []
        rows = (
            Finding.objects.filter(task__round_id__in=ids, submitted_at__isnull=False)
            .annotate(
                f_submitted=_flag("submitted"),
                f_confirmed=_flag("confirmed"),
                f_true=_flag("verified_true"),
                f_on_time=_flag("rectified_on_time"),
            )
            .values_list("task_id", "task__round_id", "unit__path", "f_submitted", "f_confirmed", "f_true", "f_on_time")
        )
        for task_id, round_id, path, submitted, confirmed, true, on_time in rows:
            findings.append(_FindingRow(round_id, path, bool(submitted), bool(confirmed), bool(true), bool(on_time)))
            if submitted and task_id in tasks:
                tasks[task_id].finding_paths.append(path)
        return cls(rounds=rounds, scope={r.pk: list(r.scope.all()) for r in rounds}, tasks=list(tasks.values()), findings=findings)

    # -- computing ---------------------------------------------------------------------------
    def figures(self, *, unit: Any | None = None, round_ids: set[int] | None = None) -> Figures:
        """Overall (``unit`` None) or for one unit and the units below it; optionally only
        for some of the rounds."""
        prefix = unit.path if unit is not None else ""

        def within(path: str) -> bool:
            return path.startswith(prefix)

        rounds = [r for r in self.rounds if round_ids is None or r.pk in round_ids]
        wanted = {r.pk for r in rounds}
        out = Figures()
        visited: dict[int, set[str]] = defaultdict(set)  # round → paths of units visited
        for task in self.tasks:
            if task.round_id not in wanted or not any(within(p) for p in task.paths):
                continue
            out.tasks_dispatched += 1
            out.assignments_dispatched += task.assignments
            out.assignments_attended += task.attended
            if task.attended:
                out.tasks_attended += 1
                visited[task.round_id].update(task.paths)
                if any(within(p) for p in task.finding_paths):
                    out.tasks_with_findings += 1
        for finding in self.findings:
            if finding.round_id in wanted and within(finding.path):
                out.findings_submitted += finding.submitted
                out.findings_confirmed += finding.confirmed
                out.findings_verified_true += finding.verified_true
                out.findings_rectified_on_time += finding.on_time
        for round_ in rounds:
            scope = [u for u in self.scope[round_.pk] if unit is None or u.path.startswith(prefix) or prefix.startswith(u.path)]
            if unit is not None and not scope:
                continue
            out.rounds += round_.kind == RoundKind.REGULAR
            out.special_rounds += round_.kind == RoundKind.SPECIAL
            if unit is not None:
                scope = [unit]  # the unit itself: was it (or a unit below it) visited in this round?
            seen = visited[round_.pk]
            covered = sum(1 for u in scope if any(p.startswith(u.path) for p in seen))
            out.units_in_scope += len(scope)
            out.units_visited += covered
            out.full_coverage_rounds += bool(scope) and covered == len(scope)
        return out

    def coverage(self, round_: InspectionRound) -> dict[str, list[Any]]:
        """Which units in a round's scope have been visited, which not yet."""
        seen = {p for t in self.tasks if t.round_id == round_.pk and t.attended for p in t.paths}
        planned = {p for t in self.tasks if t.round_id == round_.pk and not t.attended for p in t.paths}
        visited, pending, missing = [], [], []
        for unit in sorted(self.scope.get(round_.pk, []), key=lambda u: u.path):
            if any(p.startswith(unit.path) for p in seen):
                visited.append(unit)
            elif any(p.startswith(unit.path) for p in planned):
                pending.append(unit)
            else:
                missing.append(unit)
        return {"visited": visited, "pending": pending, "missing": missing}

    def units(self) -> list[Any]:
        """The units in scope of any round of the period (the rows of the per-unit table)."""
        seen: dict[int, Any] = {}
        for units in self.scope.values():
            for unit in units:
                seen.setdefault(unit.pk, unit)
        return sorted(seen.values(), key=lambda u: u.path)


def period_figures(period: Period) -> dict[str, Any]:
    """Overall, per round, per month and per unit figures of a period."""
    data = Dataset.load(period)
    months: dict[date, set[int]] = defaultdict(set)
    for round_ in data.rounds:
        months[round_.month].add(round_.pk)
    return {
        "period": period,
        "overall": data.figures(),
        "by_round": [(r, data.figures(round_ids={r.pk})) for r in data.rounds],
        "by_month": [(m, data.figures(round_ids=ids)) for m, ids in sorted(months.items())],
        "by_unit": [(u, data.figures(unit=u)) for u in data.units()],
    }


def round_coverage(round_: InspectionRound) -> dict[str, Any]:
    data = Dataset.load(Period(round=round_))
    return {**data.coverage(round_), "figures": data.figures()}


# --- supervisors' yearly figures (RULES.md §7) -------------------------------------------------
@dataclass
class SupervisorYear:
    supervisor: Any
    assignments_dispatched: int = 0
    assignments_attended: int = 0
    declined: int = 0
    tasks_with_own_findings: int = 0
    findings_submitted: int = 0
    findings_verified_true: int = 0

    @property
    def attendance(self) -> Rate:
        return Rate(self.assignments_attended, self.assignments_dispatched)

    @property
    def lead_feedback(self) -> Rate:
        return Rate(self.tasks_with_own_findings, self.assignments_attended)


def supervisor_year(year: int) -> list[SupervisorYear]:
    """Each supervisor's year: attendance rate, lead feedback rate (their attended tasks
    on which they submitted a finding ÷ their attended tasks), findings submitted and
    verified true."""
    from supervisors.models import Supervisor

    rows: dict[int, SupervisorYear] = {}

    def row(supervisor_id: int) -> SupervisorYear:
        return rows.setdefault(supervisor_id, SupervisorYear(supervisor=supervisor_id))

    assignments = TaskAssignment.objects.filter(task__round__month__year=year).filter(
        task__dispatched_at__isnull=False
    ).exclude(task__status=TaskStatus.CANCELLED)  # fmt: skip
    attended_tasks: dict[int, set[int]] = defaultdict(set)
    for supervisor_id, task_id, arrived, status in assignments.values_list("supervisor_id", "task_id", "arrived_at", "status"):
        entry = row(supervisor_id)
        entry.assignments_dispatched += 1
        entry.declined += status == "declined"
        if arrived is not None:
            entry.assignments_attended += 1
            attended_tasks[supervisor_id].add(task_id)
    findings = Finding.objects.filter(task__round__month__year=year, submitted_at__isnull=False).annotate(f_true=_flag("verified_true"))
    own_tasks: dict[int, set[int]] = defaultdict(set)
    for supervisor_id, task_id, is_true in findings.values_list("recorded_by_id", "task_id", "f_true"):
        entry = row(supervisor_id)
        entry.findings_submitted += 1
        entry.findings_verified_true += bool(is_true)
        own_tasks[supervisor_id].add(task_id)
    for supervisor_id, entry in rows.items():
        entry.tasks_with_own_findings = len(own_tasks[supervisor_id] & attended_tasks[supervisor_id])
    people = Supervisor.objects.in_bulk(list(rows))
    for entry in rows.values():
        entry.supervisor = people[entry.supervisor]
    return sorted(rows.values(), key=lambda e: e.supervisor.code)
