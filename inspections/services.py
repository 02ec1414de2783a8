"""Writes of inspections (RULES.md §1): planning rounds, batches and tasks; drawing and
changing teams; the supervisor's answers in the field; findings and their evidence; the
office's review and feedback; the unit's verification and rectification; acceptance;
circulars; and the periodic check of deadlines.

Every function here validates (Chinese messages, ``ValidationError({field: message})``),
runs in one transaction, moves a status with a conditional ``UPDATE … WHERE status = old``
that must change exactly one row, writes an audit record, and sends messages through
core.notify (whose outward copies leave after commit). Deadlines are working days from
core.calendar with the numbers of the policy in force; the finding records the version.
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import calendar, events
from core.audit import audit_record
from core.selectors import NoPolicy, policy_document
from core.uploads import check_upload
from inspections import notifications as note
from inspections.assignment import propose, team_conflicts
from inspections.choices import (
    EDITABLE_STATUSES,
    TRUE_VERDICTS,
    AssignmentSource,
    AssignmentStatus,
    CircularStatus,
    EvidenceStage,
    FindingStatus,
    InspectionMode,
    RectificationDecision,
    RoundKind,
    RoundStatus,
    TaskStatus,
    Verdict,
)
from inspections.models import (
    Circular,
    Evidence,
    Finding,
    FindingEvent,
    InspectionBatch,
    InspectionRound,
    InspectionTask,
    Rectification,
    TaskAssignment,
)
from org.models import Staff, Unit
from supervisors.models import Supervisor
from supervisors.selectors import active_supervisors

FINDING_KINDS: tuple[str, ...] = ("image", "video", "audio")  # what a supervisor's phone records
MATERIAL_KINDS: tuple[str, ...] = ("image", "document")  # what a unit attaches to its answers
TEXT_LIMIT = 4000


# --- helpers ------------------------------------------------------------------------------
def _today() -> date:
    return timezone.localdate()


def _policy(on: date | None = None) -> tuple[Any, Any]:
    """The policy version in force and its inspections section."""
    try:
        version, document = policy_document(on or _today())
    except NoPolicy as exc:
        raise ValidationError(str(exc)) from exc
    return version, document.inspections


def _add_working_days(start: date, days: int) -> date:
    try:
        return calendar.add_working_days(start, days)
    except calendar.CalendarUnknownYear as exc:
        raise ValidationError(str(exc)) from exc


def _is_working_day(day: date) -> bool:
    try:
        return calendar.is_working_day(day)
    except calendar.CalendarUnknownYear as exc:
        raise ValidationError(str(exc)) from exc


def _fmt(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _move(model: Any, obj: Any, old: Iterable[str] | str, message: str, **changes: Any) -> None:
    """Conditional transition: change ``obj`` only if its status is still one of ``old``;
    two clicks or two workers cannot both apply it."""
    olds = [old] if isinstance(old, str) else list(old)
    if model.objects.filter(pk=obj.pk, status__in=olds).update(**changes) != 1:
        raise ValidationError(message)
    obj.refresh_from_db()


def _collect(errors: dict[str, Any], check: Any, fallback: Any) -> Any:
    """Run one check and keep its field errors with the others, so that a form shows every
    problem at once."""
    try:
        return check()
    except ValidationError as exc:
        errors.update(exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages})
        return fallback


def _text(value: str, field: str, label: str, *, required: bool = True, limit: int = TEXT_LIMIT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("请填写%(label)s。") % {"label": label}})
    if len(value) > limit:
        raise ValidationError({field: _("%(label)s不能超过 %(n)s 个字。") % {"label": label, "n": limit}})
    return value


def _event(finding: Finding, action: str, label: str, actor: Any, note_text: str = "", *, for_unit: bool = False) -> None:
    FindingEvent.objects.create(
        finding=finding, action=action, label=label, note=note_text, actor=actor, for_unit=for_unit, at=timezone.now()
    )


def _url(name: str, pk: int) -> str:
    return reverse(f"inspections:{name}", args=[pk])


def _within_any(unit: Unit, roots: Iterable[Unit]) -> bool:
    return any(unit.path.startswith(root.path) for root in roots)


def _new_due(value: date | None, days: int, field: str) -> date:
    """A deadline the office sets: a future working day; by default ``days`` working days on."""
    today = _today()
    if value is None:
        return _add_working_days(today, days)
    if value <= today:
        raise ValidationError({field: _("新的期限须晚于今天。")})
    if not _is_working_day(value):
        raise ValidationError({field: _("%(day)s不是工作日，请选择工作日。") % {"day": _fmt(value)}})
    return value


# --- rounds and batches --------------------------------------------------------------------
def _month_start(value: date) -> date:
    return value.replace(day=1)


def _month_end(value: date) -> date:
    first = _month_start(value)
    return (first.replace(year=first.year + 1, month=1) if first.month == 12 else first.replace(month=first.month + 1)) - timedelta(days=1)


def _checklist(codes: Sequence[str] | None, policy: Any) -> list[dict[str, Any]]:
    items = [item.model_dump() for item in policy.checklist]
    if codes is None:
        return items
    known = {item["code"] for item in items}
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationError({"checklist": _("政策的检查项目中没有：%(codes)s。") % {"codes": "、".join(unknown)}})
    chosen = [item for item in items if item["code"] in set(codes)]
    if not chosen:
        raise ValidationError({"checklist": _("请至少选择一个检查项目。")})
    return chosen


def _validate_scope(scope: Sequence[Unit]) -> list[Unit]:
    units = list(scope)
    if not units:
        raise ValidationError({"scope": _("请选择检查范围（至少一个单位）。")})
    inactive = [u.name for u in units if not u.is_active]
    if inactive:
        raise ValidationError({"scope": _("以下单位已停用：%(names)s。") % {"names": "、".join(inactive)}})
    return units


def round_create(
    *,
    actor: Any,
    kind: str,
    month: date,
    scope: Sequence[Unit],
    theme: str = "",
    title: str = "",
    checklist_codes: Sequence[str] | None = None,
    note_text: str = "",
) -> InspectionRound:
    """Plan a round: a month, a scope of units and a checklist taken from the policy."""
    errors: dict[str, Any] = {}
    if kind not in RoundKind.values:
        errors["kind"] = _("请选择轮次类别。")
    month = _month_start(month)
    version, policy = _policy()
    theme = _collect(errors, lambda: _text(theme, "theme", _("专项主题"), required=kind == RoundKind.SPECIAL, limit=100), "")
    units = _collect(errors, lambda: _validate_scope(scope), [])
    checklist = _collect(errors, lambda: _checklist(checklist_codes, policy), [])
    if kind == RoundKind.REGULAR:
        existing = InspectionRound.objects.filter(kind=RoundKind.REGULAR, month=month).first()
        if existing is not None:
            errors["month"] = _("%(y)s年%(m)s月已有常态暗访轮次“%(t)s”（每月一轮）。") % {
                "y": month.year,
                "m": month.month,
                "t": existing.title,
            }
    if errors:
        raise ValidationError(errors)
    if not title.strip():
        title = (
            _("%(y)s年%(m)s月常态暗访") % {"y": month.year, "m": month.month}
            if kind == RoundKind.REGULAR
            else _("%(y)s年%(m)s月专项暗访：%(theme)s") % {"y": month.year, "m": month.month, "theme": theme}
        )
    try:
        with transaction.atomic():
            round_ = InspectionRound.objects.create(
                created_at=timezone.now(),
                title=title.strip()[:100],
                kind=kind,
                theme=theme,
                month=month,
                checklist=checklist,
                note=note_text.strip(),
                policy_version=version,
                created_by=actor,
            )
            round_.scope.set(units)
            audit_record(
                action="inspections.round.create",
                actor=actor,
                obj=round_,
                detail={"kind": kind, "month": month, "scope": len(units), "policy_version": version.pk},
            )
    except IntegrityError as exc:  # a regular round for the month was created at the same moment
        raise ValidationError({"month": _("该月已有常态暗访轮次（每月一轮）。")}) from exc
    return round_


def round_update(
    *,
    actor: Any,
    round_: InspectionRound,
    title: str,
    theme: str = "",
    scope: Sequence[Unit],
    checklist_codes: Sequence[str] | None = None,
    note_text: str = "",
) -> InspectionRound:
    """Change an open round. Units already targeted by tasks stay in the scope, and items
    already used by findings stay in the checklist."""
    if not round_.is_open:
        raise ValidationError(_("该轮次已结束，不能修改。"))
    errors: dict[str, Any] = {}
    title = _collect(errors, lambda: _text(title, "title", _("名称"), limit=100), "")
    theme = _collect(errors, lambda: _text(theme, "theme", _("专项主题"), required=round_.kind == RoundKind.SPECIAL, limit=100), "")
    units = _collect(errors, lambda: _validate_scope(scope), [])
    if errors:
        raise ValidationError(errors)
    targeted = Unit.objects.filter(pk__in=InspectionTask.objects.filter(round=round_).exclude(status=TaskStatus.CANCELLED).values("units"))
    outside = [u.name for u in targeted if not _within_any(u, units)]
    if outside:
        raise ValidationError({"scope": _("已有任务检查以下单位，不能移出范围：%(names)s。") % {"names": "、".join(outside)}})
    checklist = round_.checklist
    if checklist_codes is not None:
        _version, policy = _policy()
        known = {item["code"]: item for item in [*round_.checklist, *(i.model_dump() for i in policy.checklist)]}
        unknown = [code for code in checklist_codes if code not in known]
        if unknown:
            raise ValidationError({"checklist": _("没有这些检查项目：%(codes)s。") % {"codes": "、".join(unknown)}})
        if not checklist_codes:
            raise ValidationError({"checklist": _("请至少选择一个检查项目。")})
        used = set(Finding.objects.filter(task__round=round_).values_list("item_code", flat=True))
        dropped = [known[code]["name"] for code in used if code not in checklist_codes]
        if dropped:
            raise ValidationError({"checklist": _("已有问题线索使用以下检查项目，不能删除：%(names)s。") % {"names": "、".join(dropped)}})
        checklist = [known[code] for code in known if code in set(checklist_codes)]
    with transaction.atomic():
        updated = InspectionRound.objects.filter(pk=round_.pk, status=RoundStatus.OPEN).update(
            title=title, theme=theme, checklist=checklist, note=note_text.strip()
        )
        if updated != 1:
            raise ValidationError(_("该轮次已结束，不能修改。"))
        round_.scope.set(units)
        round_.refresh_from_db()
        audit_record(action="inspections.round.update", actor=actor, obj=round_, detail={"scope": len(units), "items": len(checklist)})
    return round_


def round_close(*, actor: Any, round_: InspectionRound) -> InspectionRound:
    """End a round: its figures are final. Tasks not yet dispatched must be dispatched or cancelled first."""
    planned = round_.tasks.filter(status=TaskStatus.PLANNED).count()
    if planned:
        raise ValidationError(_("还有 %(n)s 个任务未派发，请先派发或取消。") % {"n": planned})
    with transaction.atomic():
        _move(InspectionRound, round_, RoundStatus.OPEN, _("该轮次已经结束。"), status=RoundStatus.CLOSED, closed_at=timezone.now())
        audit_record(action="inspections.round.close", actor=actor, obj=round_)
    return round_


def batch_create(*, actor: Any, round_: InspectionRound, start_date: date, end_date: date, note_text: str = "") -> InspectionBatch:
    """A week's batch (每周一批) inside the round's month."""
    errors: dict[str, str] = {}
    if end_date < start_date:
        errors["end_date"] = _("结束日期不能早于开始日期。")
    elif (end_date - start_date).days > 6:
        errors["end_date"] = _("一个批次最长一周（7天）。")
    first, last = round_.month, _month_end(round_.month)
    if start_date > last or end_date < first:
        errors["start_date"] = _("批次须在轮次所在月份（%(y)s年%(m)s月）之内。") % {"y": first.year, "m": first.month}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = InspectionRound.objects.select_for_update().get(pk=round_.pk)  # numbers batches one at a time
        if locked.status != RoundStatus.OPEN:
            raise ValidationError(_("该轮次已结束，不能再增加批次。"))
        number = (locked.batches.aggregate(m=Max("number"))["m"] or 0) + 1
        batch = InspectionBatch.objects.create(
            created_at=timezone.now(),
            round=locked,
            number=number,
            start_date=start_date,
            end_date=end_date,
            note=note_text.strip()[:200],
            created_by=actor,
        )
        audit_record(action="inspections.batch.create", actor=actor, obj=batch, detail={"round": round_.pk, "number": number})
    return batch


# --- tasks --------------------------------------------------------------------------------
def _validate_task(
    *, batch: InspectionBatch, units: Sequence[Unit], mode: str, window_start: datetime, window_end: datetime, team_size: int | None
) -> tuple[Any, int]:
    errors: dict[str, str] = {}
    round_ = batch.round
    if not round_.is_open:
        raise ValidationError(_("该轮次已结束，不能再安排任务。"))
    if not units:
        errors["units"] = _("请选择检查对象。")
    else:
        scope = list(round_.scope.all())
        outside = [u.name for u in units if not _within_any(u, scope)]
        if outside:
            errors["units"] = _("以下单位不在本轮检查范围内：%(names)s。") % {"names": "、".join(outside)}
        inactive = [u.name for u in units if not u.is_active]
        if inactive:
            errors["units"] = _("以下单位已停用：%(names)s。") % {"names": "、".join(inactive)}
    if mode not in InspectionMode.values:
        errors["mode"] = _("请选择检查方式。")
    if window_end <= window_start:
        errors["window_end"] = _("结束时间须晚于开始时间。")
    else:
        first, last = timezone.localtime(window_start).date(), timezone.localtime(window_end).date()
        if first < batch.start_date or last > batch.end_date:
            errors["window_start"] = _("任务时间须在本批次（%(a)s至%(b)s）之内。") % {
                "a": _fmt(batch.start_date),
                "b": _fmt(batch.end_date),
            }
    version, policy = _policy()
    size = team_size if team_size is not None else policy.min_team_size
    if size < policy.min_team_size:
        errors["team_size"] = _("每个任务至少需要 %(n)s 名监督员（政策“%(v)s”）。") % {"n": policy.min_team_size, "v": version}
    if errors:
        raise ValidationError(errors)
    return version, size


def task_create(
    *,
    actor: Any,
    batch: InspectionBatch,
    units: Sequence[Unit],
    mode: str,
    window_start: datetime,
    window_end: datetime,
    team_size: int | None = None,
    instructions: str = "",
) -> InspectionTask:
    """A visit to one or more units of the round's scope, in a time window of the batch."""
    units = list(units)
    version, size = _validate_task(
        batch=batch, units=units, mode=mode, window_start=window_start, window_end=window_end, team_size=team_size
    )
    with transaction.atomic():
        task = InspectionTask.objects.create(
            created_at=timezone.now(),
            round=batch.round,
            batch=batch,
            mode=mode,
            window_start=window_start,
            window_end=window_end,
            team_size=size,
            instructions=_text(instructions, "instructions", _("任务要求"), required=False),
            policy_version=version,
            created_by=actor,
        )
        task.units.set(units)
        audit_record(
            action="inspections.task.create",
            actor=actor,
            obj=task,
            detail={"units": [u.pk for u in units], "mode": mode, "team_size": size},
        )
    return task


def task_update(
    *,
    actor: Any,
    task: InspectionTask,
    units: Sequence[Unit],
    mode: str,
    window_start: datetime,
    window_end: datetime,
    team_size: int,
    instructions: str = "",
) -> InspectionTask:
    """Change a task before it is dispatched. Members who would now conflict are refused."""
    units = list(units)
    version, size = _validate_task(
        batch=task.batch, units=units, mode=mode, window_start=window_start, window_end=window_end, team_size=team_size
    )
    members = [a.supervisor for a in task.assignments.select_related("supervisor__employer").exclude(status=AssignmentStatus.DECLINED)]
    problems = team_conflicts(members, units)
    if problems:
        raise ValidationError({"units": problems})
    with transaction.atomic():
        updated = InspectionTask.objects.filter(pk=task.pk, status=TaskStatus.PLANNED).update(
            mode=mode,
            window_start=window_start,
            window_end=window_end,
            team_size=size,
            instructions=_text(instructions, "instructions", _("任务要求"), required=False),
            policy_version=version,
        )
        if updated != 1:
            raise ValidationError(_("任务已派发或已取消，不能修改。"))
        task.units.set(units)
        task.refresh_from_db()
        audit_record(action="inspections.task.update", actor=actor, obj=task, detail={"units": [u.pk for u in units], "mode": mode})
    return task


def _members(task: InspectionTask) -> list[TaskAssignment]:
    return list(task.assignments.exclude(status=AssignmentStatus.DECLINED).select_related("supervisor", "supervisor__user"))


def _notify_dispatched(task: InspectionTask, assignments: Iterable[TaskAssignment]) -> None:
    when = timezone.localtime(task.window_start)
    title = _("您有新的检查任务（%(m)s月%(d)s日 %(t)s），请登录查看并确认") % {"m": when.month, "d": when.day, "t": when.strftime("%H:%M")}
    note.send([a.supervisor.user for a in assignments if a.supervisor.user_id], note.TASK_DISPATCHED, title, _url("task", task.pk))


@dataclass
class AssignResult:
    assignments: list[TaskAssignment]
    notes: list[str] = field(default_factory=list)  # e.g. a preference the draw had to relax


def task_assign(*, actor: Any, task: InspectionTask, rng: random.Random | None = None) -> AssignResult:
    """Fill the team up to its size by a random draw (see inspections.assignment)."""
    if task.status == TaskStatus.CANCELLED:
        raise ValidationError(_("任务已取消。"))
    _version, policy = _policy()
    with transaction.atomic():
        InspectionTask.objects.select_for_update().filter(pk=task.pk).get()  # one draw at a time per task
        needed = task.team_size - len(_members(task))
        if needed <= 0:
            raise ValidationError(_("该任务的监督员已经够了。"))
        proposal = propose(task, needed, avoid_consecutive=policy.avoid_consecutive_rounds, rng=rng)
        if proposal.short:
            raise ValidationError(" ".join(proposal.notes))
        created = [
            TaskAssignment.objects.create(
                task=task, supervisor=supervisor, source=AssignmentSource.AUTO, created_by=actor, created_at=timezone.now()
            )
            for supervisor in proposal.supervisors
        ]
        audit_record(
            action="inspections.task.assign",
            actor=actor,
            obj=task,
            detail={"supervisors": [s.pk for s in proposal.supervisors], "notes": proposal.notes},
        )
        if task.status == TaskStatus.DISPATCHED:
            for assignment in created:
                assignment.supervisor = Supervisor.objects.select_related("user").get(pk=assignment.supervisor_id)
            _notify_dispatched(task, created)
    return AssignResult(assignments=created, notes=proposal.notes)


def _check_candidates(task: InspectionTask, supervisors: Sequence[Supervisor]) -> None:
    units = list(task.units.all())
    day = timezone.localtime(task.window_start).date()
    in_term = set(active_supervisors(day).values_list("pk", flat=True))
    errors = team_conflicts(supervisors, units)
    for supervisor in supervisors:
        if supervisor.pk not in in_term:
            errors.append(_("%(sup)s在%(day)s不是在任监督员。") % {"sup": supervisor.name, "day": _fmt(day)})
    busy = (
        TaskAssignment.objects.filter(
            supervisor__in=supervisors, task__window_start__lt=task.window_end, task__window_end__gt=task.window_start
        )
        .exclude(task=task)
        .exclude(task__status=TaskStatus.CANCELLED)
        .exclude(status=AssignmentStatus.DECLINED)
        .select_related("supervisor")
    )
    for assignment in busy:
        errors.append(_("%(sup)s在同一时段已有其他任务。") % {"sup": assignment.supervisor.name})
    if errors:
        raise ValidationError({"supervisors": errors})


def task_team_set(*, actor: Any, task: InspectionTask, supervisors: Sequence[Supervisor], reason: str) -> list[TaskAssignment]:
    """The office chooses the team itself (before dispatch). Members it adds by hand are
    kept with the reason for the override; conflicts of interest are never allowed."""
    supervisors = list(dict.fromkeys(supervisors))
    if task.status != TaskStatus.PLANNED:
        raise ValidationError(_("任务已派发或已取消：请用“替换”调整人员。"))
    if len(supervisors) < task.team_size:
        raise ValidationError(
            {"supervisors": _("本任务需要 %(n)s 名监督员，只选了 %(k)s 名。") % {"n": task.team_size, "k": len(supervisors)}}
        )
    current = {a.supervisor_id: a for a in task.assignments.all()}
    added = [s for s in supervisors if s.pk not in current]
    removed = [pk for pk in current if pk not in {s.pk for s in supervisors}]
    if not added and not removed:
        return list(task.assignments.all())
    reason = _text(reason, "reason", _("人工调整的理由"), limit=200)
    _check_candidates(task, added)
    with transaction.atomic():
        InspectionTask.objects.select_for_update().filter(pk=task.pk, status=TaskStatus.PLANNED).get()
        TaskAssignment.objects.filter(task=task, supervisor_id__in=removed).delete()
        for supervisor in added:
            TaskAssignment.objects.create(
                task=task,
                supervisor=supervisor,
                source=AssignmentSource.MANUAL,
                override_reason=reason,
                created_by=actor,
                created_at=timezone.now(),
            )
        audit_record(
            action="inspections.task.team_override",
            actor=actor,
            obj=task,
            detail={"added": [s.pk for s in added], "removed": removed, "reason": reason},
        )
    return list(task.assignments.all())


def assignment_replace(
    *, actor: Any, assignment: TaskAssignment, supervisor: Supervisor | None = None, reason: str = "", rng: random.Random | None = None
) -> TaskAssignment:
    """Replace one member: by a new draw, or by a supervisor the office names (with a
    reason). Before dispatch the old member leaves the team; after dispatch only a member
    who declined can be replaced, and their declined assignment stays on record."""
    task = assignment.task
    if task.status == TaskStatus.CANCELLED:
        raise ValidationError(_("任务已取消。"))
    if task.status == TaskStatus.DISPATCHED and assignment.status != AssignmentStatus.DECLINED:
        raise ValidationError(_("任务已派发：只能替换已拒绝任务的监督员。"))
    if TaskAssignment.objects.filter(task=task, supervisor_id=assignment.supervisor_id, pk__gt=assignment.pk).exists():
        raise ValidationError(_("该监督员已被替换。"))
    with transaction.atomic():
        InspectionTask.objects.select_for_update().filter(pk=task.pk).get()
        if task.status == TaskStatus.PLANNED:
            TaskAssignment.objects.filter(pk=assignment.pk).delete()
        if supervisor is None:
            _version, policy = _policy()
            proposal = propose(task, 1, avoid_consecutive=policy.avoid_consecutive_rounds, rng=rng, exclude=[assignment.supervisor_id])
            if proposal.short:
                raise ValidationError(" ".join(proposal.notes))
            chosen, source, reason = proposal.supervisors[0], AssignmentSource.AUTO, ""
        else:
            reason = _text(reason, "reason", _("人工指定的理由"), limit=200)
            if TaskAssignment.objects.filter(task=task, supervisor=supervisor).exists():
                raise ValidationError({"supervisor": _("%(sup)s已在本任务中。") % {"sup": supervisor.name}})
            _check_candidates(task, [supervisor])
            chosen, source = supervisor, AssignmentSource.MANUAL
        new = TaskAssignment.objects.create(
            task=task, supervisor=chosen, source=source, override_reason=reason, created_by=actor, created_at=timezone.now()
        )
        audit_record(
            action="inspections.assignment.replace",
            actor=actor,
            obj=task,
            detail={"old": assignment.supervisor_id, "new": chosen.pk, "source": source, "reason": reason},
        )
        if task.status == TaskStatus.DISPATCHED:
            new.supervisor = Supervisor.objects.select_related("user").get(pk=chosen.pk)
            _notify_dispatched(task, [new])
    return new


def task_dispatch(*, actor: Any, task: InspectionTask) -> InspectionTask:
    """Send the task to its team. Only now do the supervisors see it."""
    version, policy = _policy()
    members = _members(task)
    needed = max(task.team_size, policy.min_team_size)
    if len(members) < needed:
        raise ValidationError(
            _("还差 %(k)s 名监督员：每个任务至少 %(n)s 人（政策“%(v)s”）。") % {"k": needed - len(members), "n": needed, "v": version}
        )
    problems = team_conflicts([a.supervisor for a in members], list(task.units.all()))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        _move(
            InspectionTask,
            task,
            TaskStatus.PLANNED,
            _("任务已经派发或已取消。"),
            status=TaskStatus.DISPATCHED,
            dispatched_at=timezone.now(),
            dispatched_by=actor,
        )
        audit_record(action="inspections.task.dispatch", actor=actor, obj=task, detail={"supervisors": [a.supervisor_id for a in members]})
        _notify_dispatched(task, members)
    return task


def task_cancel(*, actor: Any, task: InspectionTask, reason: str) -> InspectionTask:
    reason = _text(reason, "reason", _("取消原因"), limit=200)
    if task.findings.exclude(status=FindingStatus.DRAFT).exists():
        raise ValidationError(_("该任务已有提交的问题线索，不能取消。"))
    members = _members(task)
    with transaction.atomic():
        _move(
            InspectionTask,
            task,
            (TaskStatus.PLANNED, TaskStatus.DISPATCHED),
            _("任务已经取消。"),
            status=TaskStatus.CANCELLED,
            cancelled_at=timezone.now(),
            cancel_reason=reason,
        )
        audit_record(action="inspections.task.cancel", actor=actor, obj=task, detail={"reason": reason})
        if task.dispatched_at:
            note.send(
                [a.supervisor.user for a in members if a.supervisor.user_id],
                note.TASK_CHANGED,
                _("您的一项检查任务已取消"),
                _url("task", task.pk),
            )
    return task


# --- in the field: the supervisor's answers ------------------------------------------------
def _own_assignment(actor: Any, task: InspectionTask, assignment: TaskAssignment | None = None) -> TaskAssignment:
    """The actor's own assignment on a dispatched, not cancelled task (``assignment``, if
    given, must be it)."""
    own = TaskAssignment.objects.filter(task=task, supervisor__user=actor).select_related("task", "supervisor").first()
    if own is None or task.dispatched_at is None or (assignment is not None and assignment.pk != own.pk):
        raise ValidationError(_("这不是派给您的任务。"))
    if task.status == TaskStatus.CANCELLED:
        raise ValidationError(_("任务已取消。"))
    return own


def _window_dates(task: InspectionTask) -> tuple[date, date]:
    return timezone.localtime(task.window_start).date(), timezone.localtime(task.window_end).date()


def assignment_accept(*, actor: Any, assignment: TaskAssignment) -> TaskAssignment:
    task = assignment.task
    _own_assignment(actor, task, assignment)
    if _today() > _window_dates(task)[1]:
        raise ValidationError(_("任务时间已过。"))
    with transaction.atomic():
        _move(
            TaskAssignment,
            assignment,
            AssignmentStatus.PENDING,
            _("您已答复过这项任务。"),
            status=AssignmentStatus.ACCEPTED,
            responded_at=timezone.now(),
        )
        audit_record(action="inspections.assignment.accept", actor=actor, obj=assignment, detail={"task": task.pk})
    return assignment


def assignment_decline(*, actor: Any, assignment: TaskAssignment, reason: str) -> TaskAssignment:
    """Decline with a reason (before arriving); the office is told so it can replace."""
    task = assignment.task
    _own_assignment(actor, task, assignment)
    reason = _text(reason, "reason", _("拒绝理由"), limit=200)
    with transaction.atomic():
        _move(
            TaskAssignment,
            assignment,
            (AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED),
            _("已到达或已报告的任务不能再拒绝。"),
            status=AssignmentStatus.DECLINED,
            decline_reason=reason,
            responded_at=timezone.now(),
        )
        audit_record(action="inspections.assignment.decline", actor=actor, obj=assignment, detail={"task": task.pk, "reason": reason})
        note.send(
            note.office_users(),
            note.ASSIGNMENT_DECLINED,
            _("监督员%(sup)s拒绝了任务%(ref)s，请替换") % {"sup": assignment.supervisor.name, "ref": task.reference},
            _url("task", task.pk),
            body=reason,
        )
    return assignment


def _arrive(assignment: TaskAssignment, actor: Any) -> None:
    """Mark arrival if not yet marked: only on the days of the task's window."""
    if assignment.arrived_at is not None:
        return
    first, last = _window_dates(assignment.task)
    today = _today()
    if today < first:
        raise ValidationError(_("任务尚未开始（%(day)s），不能登记到达。") % {"day": _fmt(first)})
    if today > last:
        raise ValidationError(_("任务时间已过（%(day)s），未登记到达的不能再补登。") % {"day": _fmt(last)})
    _move(
        TaskAssignment,
        assignment,
        (AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED),
        _("已拒绝的任务不能登记到达。"),
        status=AssignmentStatus.ARRIVED,
        arrived_at=timezone.now(),
        responded_at=Coalesce(F("responded_at"), timezone.now()),
    )
    audit_record(action="inspections.assignment.arrive", actor=actor, obj=assignment, detail={"task": assignment.task_id})


def assignment_arrive(*, actor: Any, assignment: TaskAssignment) -> TaskAssignment:
    """The supervisor is there (this is what the attendance rate counts)."""
    _own_assignment(actor, assignment.task, assignment)
    if assignment.arrived_at is not None:
        raise ValidationError(_("已登记到达。"))
    with transaction.atomic():
        _arrive(assignment, actor)
    return assignment


def assignment_report_no_problem(*, actor: Any, assignment: TaskAssignment) -> TaskAssignment:
    """“No problem found”: the visit counts as attended, with no finding."""
    task = assignment.task
    _own_assignment(actor, task, assignment)
    mine = Finding.objects.filter(task=task, recorded_by=assignment.supervisor)
    if mine.exclude(status=FindingStatus.DRAFT).exists():
        raise ValidationError(_("您已就本任务提交了问题线索。"))
    if mine.exists():
        raise ValidationError(_("您还有未提交的问题线索草稿：请提交或删除后再报告“未发现问题”。"))
    with transaction.atomic():
        _arrive(assignment, actor)
        _move(
            TaskAssignment,
            assignment,
            AssignmentStatus.ARRIVED,
            _("您已报告过本任务。"),
            status=AssignmentStatus.REPORTED,
            no_problem=True,
            reported_at=timezone.now(),
        )
        audit_record(action="inspections.assignment.no_problem", actor=actor, obj=assignment, detail={"task": task.pk})
    return assignment


# --- findings: recording and evidence -------------------------------------------------------
def _validate_finding_fields(
    finding: Finding, *, unit: Unit | None, item_code: str, observed_at: datetime | None, description: str, place: str, staff_hint: str
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    task = finding.task
    targets = list(task.units.all())
    if unit is None:
        errors["unit"] = _("请选择被检查单位。")
    elif not _within_any(unit, targets):
        errors["unit"] = _("“%(unit)s”不是本任务的检查对象。") % {"unit": unit.name}
    item = task.round.checklist_item(item_code)
    if item is None:
        errors["item_code"] = _("请选择本轮的检查项目。")
    if observed_at is None:
        errors["observed_at"] = _("请填写发现时间。")
    else:
        if observed_at > timezone.now() + timedelta(minutes=10):
            errors["observed_at"] = _("发现时间不能晚于现在。")
        elif timezone.localtime(observed_at).date() < _window_dates(task)[0]:
            errors["observed_at"] = _("发现时间早于任务开始日期。")
    values: dict[str, Any] = {}
    for name, value, label, limit in (
        ("description", description, _("问题描述"), TEXT_LIMIT),
        ("place", place, _("地点"), 200),
        ("staff_hint", staff_hint, _("人员特征"), 100),
    ):
        value = (value or "").strip()
        if len(value) > limit:
            errors[name] = _("%(label)s不能超过 %(n)s 个字。") % {"label": label, "n": limit}
        values[name] = value
    if errors:
        raise ValidationError(errors)
    return {"unit": unit, "item_code": item_code, "item_name": item["name"], "observed_at": observed_at, **values}  # type: ignore[index]


def finding_start(*, actor: Any, task: InspectionTask) -> Finding:
    """Open a draft finding on the spot (this marks arrival if not yet marked), so that
    evidence can be uploaded to it one file at a time."""
    assignment = _own_assignment(actor, task)
    if assignment.status == AssignmentStatus.DECLINED:
        raise ValidationError(_("您已拒绝这项任务。"))
    if assignment.no_problem:
        raise ValidationError(_("您已报告本次检查未发现问题。"))
    first_item = task.round.checklist[0] if task.round.checklist else {"code": "", "name": ""}
    first_unit = task.units.order_by("path").first()
    if first_unit is None:  # a task is created with its units (_validate_task)
        raise ValidationError(_("该任务没有检查对象。"))
    with transaction.atomic():
        _arrive(assignment, actor)
        finding = Finding.objects.create(
            created_at=timezone.now(),
            task=task,
            recorded_by=assignment.supervisor,
            unit=first_unit,
            item_code=first_item["code"],
            item_name=first_item["name"],
            observed_at=timezone.now(),
        )
        audit_record(action="inspections.finding.start", actor=actor, obj=finding, detail={"task": task.pk})
    return finding


def _own_finding(actor: Any, finding: Finding) -> None:
    if finding.recorded_by.user_id != getattr(actor, "pk", None):
        raise ValidationError(_("只能修改您自己记录的问题线索。"))


def finding_update(
    *,
    actor: Any,
    finding: Finding,
    unit: Unit | None,
    item_code: str,
    observed_at: datetime | None,
    description: str = "",
    place: str = "",
    staff_hint: str = "",
) -> Finding:
    """Save what the supervisor typed (a draft, or a finding returned for more evidence)."""
    _own_finding(actor, finding)
    values = _validate_finding_fields(
        finding, unit=unit, item_code=item_code, observed_at=observed_at, description=description, place=place, staff_hint=staff_hint
    )
    changed = [name for name, value in values.items() if getattr(finding, name) != value]
    with transaction.atomic():
        if Finding.objects.filter(pk=finding.pk, status__in=EDITABLE_STATUSES).update(**values) != 1:
            raise ValidationError(_("问题线索已提交，不能再修改。"))
        finding.refresh_from_db()
        if changed:
            audit_record(action="inspections.finding.update", actor=actor, obj=finding, detail={"fields": changed})
    return finding


def evidence_add(
    *,
    actor: Any,
    finding: Finding,
    upload: Any,
    client_key: str = "",
    captured_at: datetime | None = None,
    stage: str = EvidenceStage.FINDING,
    rectification: Rectification | None = None,
    locked: bool = False,
) -> Evidence:
    """Store one file with its SHA-256, size, type (checked against the content), capture
    time and uploader. A retry with the same ``client_key`` returns the file already
    stored instead of a second copy."""
    if stage == EvidenceStage.FINDING:
        _own_finding(actor, finding)
        if finding.status not in EDITABLE_STATUSES:
            raise ValidationError(_("问题线索已提交，不能再添加证据。"))
        kinds = FINDING_KINDS
    else:
        kinds = MATERIAL_KINDS
    client_key = (client_key or "")[:64]
    if client_key:
        existing = Evidence.objects.filter(finding=finding, client_key=client_key).first()
        if existing is not None:
            return existing
    checked = check_upload(upload, kinds)
    now = timezone.now()
    if captured_at is not None and not (now - timedelta(days=366) < captured_at <= now + timedelta(minutes=10)):
        captured_at = None  # a phone with a wrong clock: better no capture time than a false one
    try:
        with transaction.atomic():
            if (
                stage == EvidenceStage.FINDING
                and not Finding.objects.select_for_update().filter(pk=finding.pk, status__in=EDITABLE_STATUSES).exists()
            ):
                raise ValidationError(_("问题线索已提交，不能再添加证据。"))
            evidence = Evidence(
                finding=finding,
                stage=stage,
                rectification=rectification,
                kind=checked.kind,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                original_name=checked.name[:200],
                captured_at=captured_at,
                uploaded_by=actor,
                uploaded_at=now,
                client_key=client_key,
                locked_at=now if locked else None,
            )
            evidence.file.save(checked.name or "evidence.bin", upload, save=False)
            evidence.save()
            audit_record(
                action="inspections.evidence.add",
                actor=actor,
                obj=evidence,
                detail={
                    "finding": finding.pk,
                    "stage": stage,
                    "sha256": checked.sha256,
                    "size": checked.size,
                    "type": checked.content_type,
                },
            )
    except IntegrityError:  # the same retry arrived twice at once: the first one won
        existing = Evidence.objects.filter(finding=finding, client_key=client_key).first()
        if existing is None:
            raise
        return existing
    return evidence


def evidence_delete(*, actor: Any, evidence: Evidence) -> None:
    """Remove a file from a finding still being written. Submitted evidence is locked:
    nobody can change or delete it."""
    if evidence.locked:
        raise ValidationError(_("已提交的证据由系统锁定，任何人都不能修改或删除。"))
    finding = evidence.finding
    _own_finding(actor, finding)
    if finding.status not in EDITABLE_STATUSES:
        raise ValidationError(_("问题线索已提交，不能再删除证据。"))
    storage, name = evidence.file.storage, evidence.file.name
    with transaction.atomic():
        audit_record(
            action="inspections.evidence.delete", actor=actor, obj=evidence, detail={"finding": finding.pk, "sha256": evidence.sha256}
        )
        Evidence.objects.filter(pk=evidence.pk, locked_at__isnull=True).delete()
        transaction.on_commit(lambda: storage.delete(name))


def finding_submit(*, actor: Any, finding: Finding) -> Finding:
    """Send the finding to the office. Its evidence is locked from now on."""
    _own_finding(actor, finding)
    errors: dict[str, str] = {}
    if not finding.description.strip():
        errors["description"] = _("请描述看到的问题。")
    item = finding.task.round.checklist_item(finding.item_code)
    has_evidence = finding.evidence.filter(stage=EvidenceStage.FINDING).exists()
    if item is not None and item.get("requires_evidence") and not has_evidence:
        errors["evidence"] = _("检查项目“%(item)s”须附照片、视频或录音作为证据。") % {"item": item["name"]}
    if errors:
        raise ValidationError(errors)
    assignment = TaskAssignment.objects.get(task=finding.task, supervisor=finding.recorded_by)
    now = timezone.now()
    with transaction.atomic():
        Finding.objects.select_for_update().filter(pk=finding.pk).first()  # no upload slips in while locking
        _arrive(assignment, actor)
        was_returned = finding.status == FindingStatus.RETURNED
        _move(
            Finding,
            finding,
            EDITABLE_STATUSES,
            _("问题线索已经提交。"),
            status=FindingStatus.SUBMITTED,
            submitted_at=Coalesce(F("submitted_at"), now),
        )
        Evidence.objects.filter(finding=finding, locked_at__isnull=True).update(locked_at=now)
        TaskAssignment.objects.filter(pk=assignment.pk, status=AssignmentStatus.ARRIVED).update(
            status=AssignmentStatus.REPORTED, reported_at=now
        )
        audit_record(
            action="inspections.finding.submit",
            actor=actor,
            obj=finding,
            detail={"evidence": list(finding.evidence.values_list("sha256", flat=True)), "resubmitted": was_returned},
        )
        _event(finding, "submit", _("补充后重新提交") if was_returned else _("监督员提交"), actor)
        note.send(
            note.office_users(),
            note.FINDING_SUBMITTED,
            _("新的问题线索%(ref)s待审核：%(unit)s") % {"ref": finding.reference, "unit": finding.unit.name},
            _url("finding", finding.pk),
        )
    return finding


def finding_discard(*, actor: Any, finding: Finding) -> None:
    """Throw away a draft that was never submitted, with its files."""
    _own_finding(actor, finding)
    if finding.status != FindingStatus.DRAFT or finding.submitted_at is not None:
        raise ValidationError(_("只能删除从未提交过的草稿。"))
    files = [(e.file.storage, e.file.name) for e in finding.evidence.all()]
    with transaction.atomic():
        audit_record(action="inspections.finding.discard", actor=actor, obj=finding, detail={"files": len(files)})
        Evidence.objects.filter(finding=finding, locked_at__isnull=True).delete()
        if Finding.objects.filter(pk=finding.pk, status=FindingStatus.DRAFT, submitted_at__isnull=True).delete()[0] == 0:
            raise ValidationError(_("只能删除从未提交过的草稿。"))
        for storage, name in files:
            transaction.on_commit(functools.partial(storage.delete, name))


# --- the office's review and feedback -------------------------------------------------------
def _notify_recorder(finding: Finding, title: str) -> None:
    user = finding.recorded_by.user
    if user is not None:
        note.send([user], note.FINDING_REVIEWED, title, _url("finding", finding.pk))


def finding_dismiss(*, actor: Any, finding: Finding, reason: str) -> Finding:
    reason = _text(reason, "reason", _("不予采用的理由"), limit=300)
    with transaction.atomic():
        _move(
            Finding,
            finding,
            FindingStatus.SUBMITTED,
            _("只有待审核的问题线索可以不予采用。"),
            status=FindingStatus.DISMISSED,
            review_note=reason,
            reviewed_by=actor,
            reviewed_at=timezone.now(),
            closed_at=timezone.now(),
        )
        audit_record(action="inspections.finding.dismiss", actor=actor, obj=finding, detail={"reason": reason})
        _event(finding, "dismiss", _("不予采用"), actor, reason)
        _notify_recorder(finding, _("问题线索%(ref)s不予采用") % {"ref": finding.reference})
    return finding


def finding_return(*, actor: Any, finding: Finding, reason: str) -> Finding:
    """Send back to the supervisor for more evidence; what was submitted stays locked."""
    reason = _text(reason, "reason", _("需要补充的内容"), limit=300)
    with transaction.atomic():
        _move(
            Finding,
            finding,
            FindingStatus.SUBMITTED,
            _("只有待审核的问题线索可以退回。"),
            status=FindingStatus.RETURNED,
            review_note=reason,
            reviewed_by=actor,
            reviewed_at=timezone.now(),
            return_count=F("return_count") + 1,
        )
        audit_record(action="inspections.finding.return", actor=actor, obj=finding, detail={"reason": reason})
        _event(finding, "return", _("退回补充证据"), actor, reason)
        _notify_recorder(finding, _("问题线索%(ref)s被退回，请补充证据") % {"ref": finding.reference})
    return finding


def _check_staff(staff: Staff | None, finding: Finding) -> None:
    if staff is not None and not staff.unit.path.startswith(finding.unit.path):
        raise ValidationError(
            {"staff": _("%(name)s不是%(unit)s（含下级单位）的工作人员。") % {"name": staff.name, "unit": finding.unit.name}}
        )


def finding_confirm(*, actor: Any, finding: Finding, staff: Staff | None = None, note_text: str = "") -> Finding:
    """The office confirms the finding (and may name the staff member concerned)."""
    _check_staff(staff, finding)
    now = timezone.now()
    with transaction.atomic():
        changes: dict[str, Any] = {"status": FindingStatus.CONFIRMED, "confirmed_at": now, "reviewed_by": actor, "reviewed_at": now}
        if staff is not None:
            changes["staff"] = staff
        if note_text.strip():
            changes["review_note"] = note_text.strip()[:300]
        _move(Finding, finding, FindingStatus.SUBMITTED, _("只有待审核的问题线索可以确认。"), **changes)
        audit_record(action="inspections.finding.confirm", actor=actor, obj=finding, detail={"staff": getattr(staff, "pk", None)})
        _event(finding, "confirm", _("效能办确认"), actor, note_text.strip())
        _notify_recorder(finding, _("问题线索%(ref)s已确认") % {"ref": finding.reference})
    return finding


def finding_feed_back(*, actor: Any, finding: Finding) -> Finding:
    """Tell the unit (反馈): from now on, and only now, the unit sees the finding, its
    evidence and its deadline to verify (``verify_days`` working days)."""
    version, policy = _policy()
    today = _today()
    due = _add_working_days(today, policy.verify_days)
    with transaction.atomic():
        _move(
            Finding,
            finding,
            FindingStatus.CONFIRMED,
            _("只有已确认的问题线索可以反馈给单位。"),
            status=FindingStatus.FED_BACK,
            fed_back_at=timezone.now(),
            fed_back_by=actor,
            verify_due=due,
            policy_version=version,
        )
        audit_record(
            action="inspections.finding.feed_back",
            actor=actor,
            obj=finding,
            detail={"unit": finding.unit_id, "verify_due": due, "verify_days": policy.verify_days, "policy_version": version.pk},
        )
        _event(
            finding,
            "feed_back",
            _("效能办反馈"),
            actor,
            _("请于%(due)s前核查（%(n)s个工作日）。") % {"due": _fmt(due), "n": policy.verify_days},
            for_unit=True,
        )
        note.send(
            note.unit_users(finding.unit),
            note.FINDING_FED_BACK,
            _("效能办反馈问题%(ref)s，请于%(due)s前核查") % {"ref": finding.reference, "due": _fmt(due)},
            _url("finding", finding.pk),
        )
    return finding


# --- the unit: verification and rectification ----------------------------------------------
def _check_files(files: Iterable[Any]) -> list[Any]:
    """Check every attachment before anything is written: one bad file refuses them all."""
    files = [f for f in files if f]
    errors = []
    for upload in files:
        try:
            check_upload(upload, MATERIAL_KINDS)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"files": errors})
    return files


def _check_due(due: date | None, what: str) -> None:
    if due is not None and _today() > due:
        raise ValidationError(
            _("已超过%(what)s期限（%(due)s），系统不再接受报送。请联系效能办重新限期。") % {"what": what, "due": _fmt(due)}
        )


def finding_verify(
    *, actor: Any, finding: Finding, verdict: str, explanation: str, staff: Staff | None = None, files: Iterable[Any] = ()
) -> Finding:
    """The unit's answer: true, partly true or untrue, with reasons and attachments. True
    or partly true opens the rectification with its deadline and tells the accountability
    module (event ``inspections.finding.verified_true``); untrue goes to the office."""
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": _("请选择核查结论：属实、部分属实或不属实。")})
    explanation = _text(explanation, "explanation", _("核查说明"))
    _check_staff(staff, finding)
    _check_due(finding.verify_due, _("核查"))
    files = _check_files(files)
    now = timezone.now()
    changes: dict[str, Any] = {"verdict": verdict, "verification_text": explanation, "verified_at": now, "verified_by": actor}
    if staff is not None:
        changes["staff"] = staff
    detail: dict[str, Any] = {"verdict": verdict}
    rectify_due: date | None = None
    if verdict in TRUE_VERDICTS:
        version, policy = _policy()
        rectify_due = _add_working_days(_today(), policy.rectify_days)
        changes.update(status=FindingStatus.RECTIFYING, rectify_due=rectify_due, policy_version=version)
        detail.update(rectify_due=rectify_due, rectify_days=policy.rectify_days, policy_version=version.pk)
    else:
        changes["status"] = FindingStatus.DISPUTED
    with transaction.atomic():
        _move(Finding, finding, FindingStatus.FED_BACK, _("该问题不在待核查状态。"), **changes)
        for upload in files:
            evidence_add(actor=actor, finding=finding, upload=upload, stage=EvidenceStage.VERIFICATION, locked=True)
        audit_record(action="inspections.finding.verify", actor=actor, obj=finding, detail=detail)
        label = _("单位核查：%(v)s") % {"v": Verdict(verdict).label}
        if rectify_due is not None:
            label += _("，限%(due)s前整改") % {"due": _fmt(rectify_due)}
        _event(finding, "verify", label, actor, explanation, for_unit=True)
        note.send(
            note.office_users(),
            note.UNIT_REPLIED,
            _("%(unit)s核查问题%(ref)s：%(v)s") % {"unit": finding.unit.name, "ref": finding.reference, "v": Verdict(verdict).label},
            _url("finding", finding.pk),
        )
        if verdict in TRUE_VERDICTS:
            events.publish("inspections.finding.verified_true", finding=finding)
    return finding


def _tell_unit(finding: Finding, message: str) -> None:
    """Tell the unit's users of the office's decision on one of its findings."""
    note.send(note.unit_users(finding.unit), note.DECISION, message, _url("finding", finding.pk))


def finding_untrue_accept(*, actor: Any, finding: Finding, note_text: str = "") -> Finding:
    """The office agrees with the unit that the finding is untrue: it is closed."""
    with transaction.atomic():
        _move(
            Finding,
            finding,
            FindingStatus.DISPUTED,
            _("该问题不在待审核（单位称不属实）状态。"),
            status=FindingStatus.UNTRUE,
            decision_note=note_text.strip()[:300],
            closed_at=timezone.now(),
        )
        audit_record(action="inspections.finding.untrue_accept", actor=actor, obj=finding, detail={"note": note_text})
        _event(finding, "untrue_accept", _("效能办认定不属实，办结"), actor, note_text.strip(), for_unit=True)
        _tell_unit(finding, _("问题%(ref)s经审核不属实，已办结") % {"ref": finding.reference})
    return finding


def finding_untrue_reject(*, actor: Any, finding: Finding, reason: str, new_due: date | None = None) -> Finding:
    """The office does not accept “untrue”: the unit must verify again by a new deadline."""
    reason = _text(reason, "reason", _("不同意的理由"), limit=300)
    version, policy = _policy()
    due = _new_due(new_due, policy.verify_days, "new_due")
    with transaction.atomic():
        _move(
            Finding,
            finding,
            FindingStatus.DISPUTED,
            _("该问题不在待审核（单位称不属实）状态。"),
            status=FindingStatus.FED_BACK,
            verdict="",
            verify_due=due,
            decision_note=reason,
            policy_version=version,
        )
        audit_record(action="inspections.finding.untrue_reject", actor=actor, obj=finding, detail={"reason": reason, "verify_due": due})
        _event(finding, "untrue_reject", _("效能办不同意“不属实”，限%(due)s前重新核查") % {"due": _fmt(due)}, actor, reason, for_unit=True)
        _tell_unit(finding, _("问题%(ref)s须重新核查，期限%(due)s") % {"ref": finding.reference, "due": _fmt(due)})
    return finding


def rectification_report(*, actor: Any, finding: Finding, text: str, files: Iterable[Any] = ()) -> Rectification:
    """The unit reports what it did, by the rectification deadline (限期整改)."""
    text = _text(text, "text", _("整改情况"))
    _check_due(finding.rectify_due, _("整改"))
    files = _check_files(files)
    with transaction.atomic():
        _move(Finding, finding, FindingStatus.RECTIFYING, _("该问题不在整改中。"), status=FindingStatus.RECTIFIED)
        due = finding.rectify_due
        if due is None:  # set whenever a finding enters rectification
            raise ValidationError(_("该问题没有整改期限，请联系效能办重新限期。"))
        report = Rectification.objects.create(finding=finding, text=text, due=due, reported_by=actor, reported_at=timezone.now())
        for upload in files:
            evidence_add(actor=actor, finding=finding, upload=upload, stage=EvidenceStage.RECTIFICATION, rectification=report, locked=True)
        audit_record(action="inspections.rectification.report", actor=actor, obj=finding, detail={"rectification": report.pk})
        _event(finding, "rectify", _("单位报送整改情况"), actor, text, for_unit=True)
        note.send(
            note.office_users(),
            note.UNIT_REPLIED,
            _("%(unit)s报送问题%(ref)s的整改情况，待验收") % {"unit": finding.unit.name, "ref": finding.reference},
            _url("finding", finding.pk),
        )
    return report


def finding_untrue_decide(*, actor: Any, finding: Finding, decision: str, note: str, new_due: date | None = None) -> Finding:
    """The office's answer to a unit's “untrue”: accept closes it, anything else sends it back."""
    if decision == "accept":
        return finding_untrue_accept(actor=actor, finding=finding, note_text=note)
    return finding_untrue_reject(actor=actor, finding=finding, reason=note, new_due=new_due)


def _pending_report(finding: Finding) -> Rectification:
    report = finding.rectifications.filter(decision=RectificationDecision.PENDING).order_by("-reported_at").first()
    if report is None:
        raise ValidationError(_("没有待验收的整改报告。"))
    return report


def rectification_accept(*, actor: Any, finding: Finding, note_text: str = "") -> Finding:
    """The office accepts the rectification (验收): the finding is closed."""
    report = _pending_report(finding)
    now = timezone.now()
    with transaction.atomic():
        _move(Finding, finding, FindingStatus.RECTIFIED, _("该问题不在待验收状态。"), status=FindingStatus.CLOSED, closed_at=now)
        Rectification.objects.filter(pk=report.pk, decision=RectificationDecision.PENDING).update(
            decision=RectificationDecision.ACCEPTED, decision_note=note_text.strip()[:300], decided_at=now, decided_by=actor
        )
        audit_record(action="inspections.rectification.accept", actor=actor, obj=finding, detail={"rectification": report.pk})
        _event(finding, "accept", _("整改验收通过，办结"), actor, note_text.strip(), for_unit=True)
        _tell_unit(finding, _("问题%(ref)s整改验收通过") % {"ref": finding.reference})
    return finding


def rectification_reject(*, actor: Any, finding: Finding, reason: str, new_due: date | None = None) -> Finding:
    """The office rejects the rectification: back to the unit with a reason and a new deadline."""
    reason = _text(reason, "reason", _("不通过的理由"), limit=300)
    report = _pending_report(finding)
    version, policy = _policy()
    due = _new_due(new_due, policy.rectify_days, "new_due")
    now = timezone.now()
    with transaction.atomic():
        _move(
            Finding,
            finding,
            FindingStatus.RECTIFIED,
            _("该问题不在待验收状态。"),
            status=FindingStatus.RECTIFYING,
            rectify_due=due,
            policy_version=version,
        )
        Rectification.objects.filter(pk=report.pk, decision=RectificationDecision.PENDING).update(
            decision=RectificationDecision.REJECTED, decision_note=reason, decided_at=now, decided_by=actor, new_due=due
        )
        audit_record(action="inspections.rectification.reject", actor=actor, obj=finding, detail={"reason": reason, "rectify_due": due})
        _event(finding, "reject", _("整改验收不通过，限%(due)s前重新整改") % {"due": _fmt(due)}, actor, reason, for_unit=True)
        _tell_unit(finding, _("问题%(ref)s整改验收不通过，请于%(due)s前重新整改") % {"ref": finding.reference, "due": _fmt(due)})
    return finding


def rectification_decide(*, actor: Any, finding: Finding, decision: str, note: str, new_due: date | None = None) -> Finding:
    """验收: accept closes the finding, anything else sends it back with a new deadline."""
    if decision == "accept":
        return rectification_accept(actor=actor, finding=finding, note_text=note)
    return rectification_reject(actor=actor, finding=finding, reason=note, new_due=new_due)


def finding_deadline_set(*, actor: Any, finding: Finding, new_due: date | None, reason: str) -> Finding:
    """The office sets a new deadline for the step the unit owes (e.g. after it was missed).
    A missed deadline stays on record (``verify_late``/``rectify_late``)."""
    reason = _text(reason, "reason", _("重新限期的理由"), limit=300)
    if finding.status == FindingStatus.FED_BACK:
        field, late, what, old = "verify_due", "verify_late", _("核查"), finding.verify_due
    elif finding.status == FindingStatus.RECTIFYING:
        field, late, what, old = "rectify_due", "rectify_late", _("整改"), finding.rectify_due
    else:
        raise ValidationError(_("只有待核查或整改中的问题可以重新限期。"))
    if new_due is None:
        raise ValidationError({"new_due": _("请填写新的期限。")})
    due = _new_due(new_due, 0, "new_due")
    changes: dict[str, Any] = {field: due}
    if old is not None and old < _today():
        changes[late] = True
    with transaction.atomic():
        _move(Finding, finding, finding.status, _("问题状态已变化，请刷新后再试。"), **changes)
        audit_record(
            action="inspections.finding.deadline",
            actor=actor,
            obj=finding,
            detail={"step": field, "from": old, "to": due, "reason": reason},
        )
        _event(
            finding,
            "deadline",
            _("效能办重新限期：%(what)s期限改为%(due)s") % {"what": what, "due": _fmt(due)},
            actor,
            reason,
            for_unit=True,
        )
        _tell_unit(finding, _("问题%(ref)s的%(what)s期限改为%(due)s") % {"ref": finding.reference, "what": what, "due": _fmt(due)})
    return finding


def finding_overturn(*, actor: Any, finding: Finding, reason: str) -> Finding:
    """A finding verified true is later judged untrue (e.g. on the unit's appeal): it is
    closed as untrue, and the accountability module is told
    (``inspections.finding.untrue_on_review``) to withdraw what it proposed."""
    reason = _text(reason, "reason", _("认定不属实的理由"), limit=300)
    if finding.verdict not in TRUE_VERDICTS:
        raise ValidationError(_("只有核查属实的问题可以改判为不属实。"))
    with transaction.atomic():
        _move(
            Finding,
            finding,
            (FindingStatus.RECTIFYING, FindingStatus.RECTIFIED, FindingStatus.CLOSED),
            _("该问题的状态不能改判。"),
            status=FindingStatus.UNTRUE,
            decision_note=reason,
            closed_at=timezone.now(),
        )
        audit_record(action="inspections.finding.overturn", actor=actor, obj=finding, detail={"reason": reason, "verdict": finding.verdict})
        _event(finding, "overturn", _("经复核认定不属实"), actor, reason, for_unit=True)
        _tell_unit(finding, _("问题%(ref)s经复核认定不属实") % {"ref": finding.reference})
        events.publish("inspections.finding.untrue_on_review", finding=finding)
    return finding


# --- circulars ------------------------------------------------------------------------------
CIRCULAR_FIELDS = ("number", "title", "issuer", "addressee", "body", "issue_date", "copy_to")


def _circular_findings(findings: Iterable[Finding]) -> list[Finding]:
    findings = list(findings)
    if not findings:
        raise ValidationError({"findings": _("请选择要通报的问题（须已核查属实）。")})
    wrong = [f.reference for f in findings if not f.is_verified_true]
    if wrong:
        raise ValidationError({"findings": _("只有核查属实的问题可以通报：%(refs)s不是。") % {"refs": "、".join(wrong)}})
    return findings


def circular_next_number(year: int) -> str:
    """The next document number of the year, e.g. 临效办通〔2026〕3号: the prefix of the year's
    last circular (the office may have changed it), else the policy's."""
    latest = Circular.objects.filter(issue_date__year=year).order_by("-created_at", "-id").values_list("number", flat=True)
    seq, prefix = 0, ""
    pattern = re.compile(r"^(?P<prefix>.*)〔(?P<year>\d{4})〕(?P<seq>\d+)号$")
    for number in latest:
        match = pattern.match(number)
        if match and int(match["year"]) == year:
            seq = max(seq, int(match["seq"]))
            prefix = prefix or match["prefix"]
    if not prefix:
        _version, policy = _policy()
        prefix = policy.circular_number_prefix
    return f"{prefix}〔{year}〕{seq + 1}号"


def circular_create(*, actor: Any, findings: Iterable[Finding], title: str = "") -> Circular:
    """Draft a circular naming the chosen findings; the office edits it before publishing."""
    from inspections.documents import draft_body, draft_title

    findings = _circular_findings(findings)
    _version, policy = _policy()
    today = _today()
    with transaction.atomic():
        circular = Circular.objects.create(
            created_at=timezone.now(),
            number=circular_next_number(today.year),
            title=(title.strip() or draft_title(findings))[:200],
            issuer=policy.circular_issuer or settings.XN_OFFICE_NAME,
            addressee=policy.circular_addressee,
            body=draft_body(findings),
            issue_date=today,
            copy_to=policy.circular_copy_to,
            created_by=actor,
        )
        circular.findings.set(findings)
        audit_record(action="inspections.circular.create", actor=actor, obj=circular, detail={"findings": [f.pk for f in findings]})
    return circular


def circular_update(*, actor: Any, circular: Circular, findings: Iterable[Finding] | None = None, **fields: Any) -> Circular:
    """Edit a draft circular. A published one never changes."""
    if set(fields) - set(CIRCULAR_FIELDS):
        raise TypeError(f"unknown fields {set(fields) - set(CIRCULAR_FIELDS)}")
    values = {k: fields.get(k, getattr(circular, k)) for k in CIRCULAR_FIELDS}
    for name, label, limit in (
        ("number", _("文号"), 60),
        ("title", _("标题"), 200),
        ("issuer", _("发文机关"), 100),
        ("addressee", _("主送"), 200),
        ("body", _("正文"), 20000),
    ):
        values[name] = _text(values[name], name, label, limit=limit)
    values["copy_to"] = _text(values["copy_to"], "copy_to", _("抄送"), required=False, limit=300)
    if values["issue_date"] is None:
        raise ValidationError({"issue_date": _("请填写成文日期。")})
    chosen = _circular_findings(findings) if findings is not None else None
    with transaction.atomic():
        if Circular.objects.filter(pk=circular.pk, status=CircularStatus.DRAFT).update(**values) != 1:
            raise ValidationError(_("已印发的通报不能修改。"))
        if chosen is not None:
            circular.findings.set(chosen)
        circular.refresh_from_db()
        audit_record(action="inspections.circular.update", actor=actor, obj=circular, detail={"fields": sorted(fields)})
    return circular


def circular_publish(*, actor: Any, circular: Circular) -> Circular:
    """Publish: the .docx and .pdf are generated once, stored with their SHA-256, and the
    circular is immutable from then on."""
    import hashlib

    from inspections.documents import circular_docx, circular_pdf

    findings = list(circular.findings.select_related("unit"))
    _circular_findings(findings)
    if Circular.objects.filter(number=circular.number, status=CircularStatus.PUBLISHED).exclude(pk=circular.pk).exists():
        raise ValidationError({"number": _("文号“%(n)s”已被另一份已印发的通报使用。") % {"n": circular.number}})
    docx_bytes = circular_docx(circular)
    pdf_bytes = circular_pdf(circular)
    docx_hash, pdf_hash = hashlib.sha256(docx_bytes).hexdigest(), hashlib.sha256(pdf_bytes).hexdigest()
    with transaction.atomic():
        locked = Circular.objects.select_for_update().get(pk=circular.pk)
        if locked.status != CircularStatus.DRAFT:
            raise ValidationError(_("该通报已经印发。"))
        docx_name = circular.docx.storage.save(circular.docx.field.generate_filename(circular, "circular.docx"), ContentFile(docx_bytes))
        pdf_name = circular.pdf.storage.save(circular.pdf.field.generate_filename(circular, "circular.pdf"), ContentFile(pdf_bytes))
        try:
            Circular.objects.filter(pk=circular.pk, status=CircularStatus.DRAFT).update(
                status=CircularStatus.PUBLISHED,
                docx=docx_name,
                docx_sha256=docx_hash,
                pdf=pdf_name,
                pdf_sha256=pdf_hash,
                published_by=actor,
                published_at=timezone.now(),
            )
        except IntegrityError as exc:
            raise ValidationError({"number": _("文号“%(n)s”已被另一份已印发的通报使用。") % {"n": circular.number}}) from exc
        circular.refresh_from_db()
        audit_record(
            action="inspections.circular.publish",
            actor=actor,
            obj=circular,
            detail={"number": circular.number, "docx_sha256": docx_hash, "pdf_sha256": pdf_hash, "findings": [f.pk for f in findings]},
        )
        for finding in findings:
            _event(finding, "circular", _("列入通报%(n)s") % {"n": circular.number}, actor, for_unit=True)
        units = {f.unit_id: f.unit for f in findings}
        recipients = {user.pk: user for unit in units.values() for user in note.unit_users(unit, "inspections.finding.view")}
        note.send(
            recipients.values(), note.CIRCULAR_PUBLISHED, _("效能办印发通报：%(t)s") % {"t": circular.title}, _url("circular", circular.pk)
        )
    return circular


# --- the periodic check of deadlines -----------------------------------------------------------
def deadlines_check(*, today: date | None = None) -> dict[str, int]:
    """Remind units of a verification or rectification due within the policy's
    ``remind_days_before`` working days, and flag the overdue ones to the unit and the
    office — each once per deadline (a new deadline is reminded and flagged anew)."""
    today = today or _today()
    _version, policy = _policy(today)
    counts = {"reminded": 0, "overdue": 0}
    owed = Finding.objects.filter(
        Q(status=FindingStatus.FED_BACK, verify_due__isnull=False) | Q(status=FindingStatus.RECTIFYING, rectify_due__isnull=False)
    ).select_related("unit")
    for finding in owed.iterator():
        due = finding.current_due()
        assert due is not None
        what = _("核查") if finding.status == FindingStatus.FED_BACK else _("整改")
        url = _url("finding", finding.pk)
        if due < today:
            with transaction.atomic():
                if (
                    Finding.objects.filter(pk=finding.pk, status=finding.status)
                    .exclude(overdue_notified_for=due)
                    .update(overdue_notified_for=due)
                ):
                    audit_record(action="inspections.finding.overdue", obj=finding, detail={"step": what, "due": due}, actor_label="system")
                    title = _("问题%(ref)s%(what)s已逾期（期限%(due)s）") % {"ref": finding.reference, "what": what, "due": _fmt(due)}
                    note.send(note.unit_users(finding.unit), note.DEADLINE_OVERDUE, title, url)
                    note.send(note.office_users(), note.DEADLINE_OVERDUE, f"{finding.unit.name}：{title}", url)
                    counts["overdue"] += 1
            continue
        if policy.remind_days_before <= 0:
            continue
        try:
            left = calendar.working_days_between(today, due)
        except calendar.CalendarUnknownYear:
            continue
        if left <= policy.remind_days_before:
            with transaction.atomic():
                if (
                    Finding.objects.filter(pk=finding.pk, status=finding.status)
                    .exclude(reminder_sent_for=due)
                    .update(reminder_sent_for=due)
                ):
                    title = _("问题%(ref)s的%(what)s将于%(due)s到期") % {"ref": finding.reference, "what": what, "due": _fmt(due)}
                    note.send(note.unit_users(finding.unit), note.DEADLINE_REMINDER, title, url)
                    counts["reminded"] += 1
    return counts
