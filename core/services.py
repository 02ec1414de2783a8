"""Writes of the core app: the office's calendar table and policy versions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticError

from core import calendar
from core.audit import audit_record
from core.models import CalendarDay, CalendarYear, Policy, PolicyStatus, PolicyVersion
from core.policy_errors import explain
from core.policy_schema import PolicyDocument


# --- calendar -----------------------------------------------------------------------------
def calendar_day_set(*, actor: Any, day: date, kind: str, name: str = "") -> CalendarDay:
    """Enter (or change) the office's correction for one date."""
    with transaction.atomic():
        record, created = CalendarDay.objects.update_or_create(date=day, defaults={"kind": kind, "name": name, "created_by": actor})
        audit_record(action="core.calendar_day.set", actor=actor, obj=record, detail={"kind": kind, "name": name})
        transaction.on_commit(calendar.invalidate)
    calendar.invalidate()
    return record


def calendar_day_delete(*, actor: Any, day: CalendarDay) -> None:
    with transaction.atomic():
        audit_record(action="core.calendar_day.delete", actor=actor, obj=day)
        CalendarDay.objects.filter(pk=day.pk).delete()
        transaction.on_commit(calendar.invalidate)
    calendar.invalidate()


def calendar_year_confirm(*, actor: Any, year: int, note: str = "") -> CalendarYear:
    """Declare that the office's table holds all of ``year``'s holidays and adjusted days."""
    if not CalendarDay.objects.filter(date__year=year).exists():
        raise ValidationError(_("%(year)s年还没有录入任何节假日或调休日，不能确认。") % {"year": year})
    with transaction.atomic():
        record, _created = CalendarYear.objects.update_or_create(
            year=year, defaults={"note": note, "confirmed_by": actor, "confirmed_at": timezone.now()}
        )
        audit_record(action="core.calendar_year.confirm", actor=actor, obj=record, detail={"note": note})
    calendar.invalidate()
    return record


# --- policies -----------------------------------------------------------------------------
def policy_validate(document: Any) -> dict[str, Any]:
    """The document as stored, or ValidationError listing every problem in Chinese."""
    if not isinstance(document, dict):
        raise ValidationError(_("政策参数必须是一个 JSON 对象。"))
    try:
        parsed = PolicyDocument.model_validate(document)
    except PydanticError as exc:
        raise ValidationError(explain(exc, PolicyDocument)) from exc
    return parsed.model_dump(mode="json")


def _next_version(policy: Policy) -> int:
    return (policy.versions.aggregate(m=Max("version"))["m"] or 0) + 1


def policy_draft_create(*, actor: Any, source: PolicyVersion, note: str = "") -> PolicyVersion:
    """Start a new version of ``source``'s policy as a draft copy of ``source``."""
    policy = source.policy
    with transaction.atomic():
        Policy.objects.select_for_update().filter(pk=policy.pk).get()
        if policy.versions.filter(status=PolicyStatus.DRAFT).exists():
            raise ValidationError(_("该政策已有一个草稿版本，请先编辑或发布它。"))
        version = PolicyVersion.objects.create(
            policy=policy,
            version=_next_version(policy),
            document=source.document,
            note=note,
            based_on=source,
            created_by=actor,
        )
        audit_record(action="core.policy.draft", actor=actor, obj=version, detail={"based_on": source.pk})
    return version


def policy_draft_update(*, actor: Any, version: PolicyVersion, document: Any, note: str) -> PolicyVersion:
    """Change a draft. A published version is never edited in place."""
    cleaned = policy_validate(document)
    with transaction.atomic():
        updated = PolicyVersion.objects.filter(pk=version.pk, status=PolicyStatus.DRAFT).update(document=cleaned, note=note)
        if not updated:
            raise ValidationError(_("已发布的版本不能修改；请新建版本。"))
        audit_record(action="core.policy.update", actor=actor, obj=version, detail={"note": note})
    version.refresh_from_db()
    return version


def policy_publish(*, actor: Any, version: PolicyVersion, effective_from: date) -> PolicyVersion:
    """Publish a draft, in force from ``effective_from`` (today or later)."""
    policy_validate(version.document)
    if effective_from < timezone.localdate():
        raise ValidationError(_("生效日期不能早于今天：已经算出的结果不能被新版本追溯改变。"))
    latest = version.policy.versions.filter(status=PolicyStatus.PUBLISHED).aggregate(m=Max("effective_from"))["m"]
    if latest and effective_from < latest:
        raise ValidationError(_("生效日期不能早于已发布版本的生效日期（%(date)s）。") % {"date": latest})
    with transaction.atomic():
        updated = PolicyVersion.objects.filter(pk=version.pk, status=PolicyStatus.DRAFT).update(
            status=PolicyStatus.PUBLISHED, effective_from=effective_from, published_by=actor, published_at=timezone.now()
        )
        if not updated:
            raise ValidationError(_("该版本已经发布。"))
        audit_record(action="core.policy.publish", actor=actor, obj=version, detail={"effective_from": effective_from})
    version.refresh_from_db()
    return version


def policy_copy(*, actor: Any, source: PolicyVersion, code: str, name: str) -> PolicyVersion:
    """A new policy line that starts as a draft copy of ``source``."""
    try:
        with transaction.atomic():
            policy = Policy.objects.create(code=code, name=name, description=_("复制自：%(src)s") % {"src": source})
            version = PolicyVersion.objects.create(policy=policy, version=1, document=source.document, based_on=source, created_by=actor)
            audit_record(action="core.policy.copy", actor=actor, obj=policy, detail={"source": source.pk})
    except IntegrityError as exc:
        raise ValidationError({"code": _("代码“%(code)s”已被使用。") % {"code": code}}) from exc
    return version


def policy_make_current(*, actor: Any, policy: Policy) -> Policy:
    """Adopt ``policy`` as the one the platform uses (it must have a published version)."""
    if not policy.versions.filter(status=PolicyStatus.PUBLISHED).exists():
        raise ValidationError(_("该政策还没有已发布的版本，不能采用。"))
    with transaction.atomic():
        Policy.objects.filter(is_current=True).exclude(pk=policy.pk).update(is_current=False)
        Policy.objects.filter(pk=policy.pk).update(is_current=True)
        audit_record(action="core.policy.make_current", actor=actor, obj=policy)
    policy.refresh_from_db()
    return policy
