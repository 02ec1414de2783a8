"""Import of cases from .xlsx, run as a background job (core.jobs).

All-or-nothing: every row goes through ``services.case_create`` (or ``case_push`` when
it carries the source system's number, so that importing the same file twice creates
no duplicate) inside one transaction; if any row is refused, everything is rolled back
and the job's report names each bad row and why.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services
from cases.choices import CaseKind
from cases.models import Channel
from core.audit import audit_record
from core.jobs import Progress, attach_result, register_handler
from core.models import Job, JobStatus
from core.xlsx import Column, RowError, build_workbook, error_report_workbook, parse_bool, parse_text, read_rows
from org.models import Unit


def _kind(value: Any) -> str:
    text = str(value).strip()
    by_label = {str(label): code for code, label in CaseKind.choices}
    if text in by_label:
        return by_label[text]
    if text in CaseKind.values:
        return text
    raise ValueError(_("类别应为：%(o)s。") % {"o": "、".join(by_label)})


def _moment(value: Any) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value).strip()
        for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d"):
            try:
                moment = datetime.strptime(text, pattern)  # noqa: DTZ007  (made aware just below)
                break
            except ValueError:
                continue
        else:
            raise ValueError(_("时间格式应为 2026-03-02 09:30。"))
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


COLUMNS = [
    Column("渠道", "channel", True, parse_text(60)),
    Column("类别", "kind", True, _kind),
    Column("受理时间", "received_at", True, _moment),
    Column("标题", "title", False, parse_text(100)),
    Column("诉求内容", "content", True, parse_text(services.CONTENT_MAX + 100)),
    Column("姓名", "contact_name", False, parse_text(40)),
    Column("联系电话", "contact_phone", False, parse_text(20)),
    Column("匿名", "anonymous", False, parse_bool),
    Column("同意单位联系", "contact_consent", False, parse_bool),
    Column("涉及单位编码", "unit_code", False, parse_text(30)),
    Column("紧急", "is_urgent", False, parse_bool),
    Column("来源编号", "external_id", False, parse_text(64)),
]
HEADER_OF = {c.key: c.header for c in COLUMNS} | {"concerned_unit": "涉及单位编码"}


class _Rejected(Exception):
    """Raised inside the import transaction to roll every row back."""


def _row_errors(row: int, exc: ValidationError) -> list[RowError]:
    if hasattr(exc, "error_dict"):
        return [RowError(row, HEADER_OF.get(field, field), m) for field, errs in exc.error_dict.items() for e in errs for m in e.messages]
    return [RowError(row, "", m) for m in exc.messages]


def import_cases(job: Job, progress: Progress) -> None:
    actor = job.created_by
    with job.input_file.open("rb") as handle:
        parsed = read_rows(handle.read(), COLUMNS)
    errors = list(parsed.errors)
    progress.total(len(parsed.rows))
    channels = {c.name: c for c in Channel.objects.all()} | {c.code: c for c in Channel.objects.all()}
    counts = {"created": 0, "existing": 0}
    seen: dict[str, int] = {}

    def apply(row: dict[str, Any]) -> str:
        channel = channels.get(row["channel"])
        if channel is None:
            raise ValidationError({"channel": _("没有名为“%(v)s”的渠道。") % {"v": row["channel"]}})
        unit = None
        if row.get("unit_code"):
            unit = Unit.objects.filter(code=row["unit_code"]).first()
            if unit is None:
                raise ValidationError({"concerned_unit": _("单位编码“%(c)s”不存在。") % {"c": row["unit_code"]}})
        fields = {
            "channel": channel,
            "kind": row["kind"],
            "received_at": row["received_at"],
            "title": row.get("title") or "",
            "content": row["content"],
            "contact_name": row.get("contact_name") or "",
            "contact_phone": row.get("contact_phone") or "",
            "anonymous": bool(row.get("anonymous")),
            "contact_consent": bool(row.get("contact_consent")),
            "concerned_unit": unit,
            "is_urgent": bool(row.get("is_urgent")),
        }
        external = row.get("external_id") or ""
        if external:
            if external in seen:
                raise ValidationError({"external_id": _("来源编号在文件中重复（第%(r)s行已出现）。") % {"r": seen[external]}})
            seen[external] = row["_row"]
            _case, created, _password = services.case_push(actor=actor, external_id=external, **fields)
            return "created" if created else "existing"
        services.case_create(actor=actor, **fields)
        return "created"

    unreadable = {e.row for e in errors}
    if not any(e.row <= 1 for e in errors):  # the file itself is readable: check every row
        try:
            with transaction.atomic():
                for done, row in enumerate(parsed.rows, start=1):
                    if row["_row"] in unreadable:
                        continue
                    try:
                        with transaction.atomic():
                            counts[apply(row)] += 1
                    except ValidationError as exc:
                        errors.extend(_row_errors(row["_row"], exc))
                    progress.advance(done, _("已检查 %(n)s 行") % {"n": done})
                if errors:
                    raise _Rejected
                audit_record(action="cases.case.import", actor=actor, obj=job, detail=counts)
        except _Rejected:
            pass
    if errors:
        errors.sort(key=lambda e: e.row)
        job.status = JobStatus.REJECTED
        job.report = {"errors": [{"row": e.row, "column": e.column, "message": e.message} for e in errors]}
        job.message = _("有 %(n)s 处错误，没有导入任何诉求件。") % {"n": len(errors)}
        attach_result(job, "错误报告.xlsx", error_report_workbook(errors))
    else:
        summary = _("新增 %(c)s 件，已存在（来源编号相同）%(e)s 件。") % {"c": counts["created"], "e": counts["existing"]}
        job.report = {**counts, "summary": summary}
        job.message = summary


def template_workbook() -> bytes:
    example = [
        "12345热线",
        "投诉",
        "2026-03-02 09:30",
        "",
        "反映某窗口办事排队时间过长。",
        "张三",
        "13800001234",
        "否",
        "否",
        "",
        "否",
        "12345-20260302-001",
    ]
    return build_workbook([("导入模板", [c.header + ("*" if c.required else "") for c in COLUMNS], [example])])


def register() -> None:
    register_handler("cases.import", import_cases)
