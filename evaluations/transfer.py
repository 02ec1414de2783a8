"""The all-or-nothing .xlsx import of a unit's handled cases (办件), run as a background
job: every row is checked (every problem reported, with its row), and only if none has a
problem are they all written in one transaction; otherwise nothing changes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import permissions as gate
from core.audit import audit_record
from core.jobs import Progress, attach_result, register_handler
from core.models import Job, JobStatus
from core.xlsx import Column, RowError, build_workbook, error_report_workbook, parse_text, read_rows
from evaluations.services import handled_case_upsert
from org.models import Unit
from org.validators import normalise_phone, validate_mobile


def _datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, datetime.min.time())
    else:
        text = str(value).strip().replace("/", "-")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(_("日期时间格式应为 2025-03-01 或 2025-03-01 10:30。")) from exc
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _phone(value: Any) -> str:
    text = normalise_phone(str(int(value)) if isinstance(value, float) else str(value))
    from django.core.exceptions import ValidationError

    try:
        validate_mobile(text)
    except ValidationError as exc:
        raise ValueError(exc.messages[0]) from exc
    return text


COLUMNS = [
    Column("办件编号", "ref", True, parse_text(40)),
    Column("办理单位编码", "unit_code", True, parse_text(30)),
    Column("事项", "summary", True, parse_text(200)),
    Column("联系人", "contact_name", False, parse_text(40)),
    Column("联系电话", "contact_phone", False, _phone),
    Column("办结时间", "closed_at", True, _datetime),
]


def import_handled_cases(job: Job, progress: Progress) -> None:
    actor = job.created_by
    with job.input_file.open("rb") as handle:
        parsed = read_rows(handle.read(), COLUMNS)
    errors = list(parsed.errors)
    progress.total(len(parsed.rows))
    units = {u.code: u for u in gate.restrict(Unit.objects.filter(is_active=True), actor, "evaluations.sample.change")}
    seen: dict[str, int] = {}
    for row in parsed.rows:
        if row.get("unit_code") and row["unit_code"] not in units:
            errors.append(RowError(row["_row"], "办理单位编码", _("单位编码“%(c)s”不存在或已停用。") % {"c": row["unit_code"]}))
        ref = row.get("ref")
        if ref in seen:
            errors.append(RowError(row["_row"], "办件编号", _("办件编号在文件中重复（第%(r)s行已出现）。") % {"r": seen[ref]}))
        elif ref:
            seen[ref] = row["_row"]
        if row.get("closed_at") and row["closed_at"] > timezone.now():
            errors.append(RowError(row["_row"], "办结时间", _("办结时间不能晚于现在。")))
    if errors:
        errors.sort(key=lambda e: e.row)
        job.status = JobStatus.REJECTED
        job.report = {"errors": [{"row": e.row, "column": e.column, "message": e.message} for e in errors]}
        job.message = _("有 %(n)s 处错误，没有导入任何数据。") % {"n": len(errors)}
        attach_result(job, "错误报告.xlsx", error_report_workbook(errors))
        return
    counts = {"created": 0, "updated": 0}
    with transaction.atomic():
        for done, row in enumerate(parsed.rows, start=1):
            _case, created = handled_case_upsert(
                unit=units[row["unit_code"]],
                ref=row["ref"],
                summary=row["summary"],
                closed_at=row["closed_at"],
                contact_name=row.get("contact_name") or "",
                contact_phone=row.get("contact_phone") or "",
            )
            counts["created" if created else "updated"] += 1
            progress.advance(done)
        audit_record(action="evaluations.handled_case.import", actor=actor, obj=job, detail=counts)
    job.report = {**counts, "summary": _("新增办件 %(c)s 件，更新 %(u)s 件。") % {"c": counts["created"], "u": counts["updated"]}}
    job.message = job.report["summary"]


def template_workbook() -> bytes:
    return build_workbook([(_("办件导入模板"), [c.header + ("*" if c.required else "") for c in COLUMNS], [])])


def register() -> None:
    register_handler("evaluations.import_handled_cases", import_handled_cases)
