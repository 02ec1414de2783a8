"""Import and export of units, staff and enterprises as .xlsx, run as background jobs.

Imports are all-or-nothing: every row goes through the same service as the pages, inside
one transaction; if any row is refused, the transaction is rolled back and the job's
report names each bad row and why. Exports write the columns the import reads, so an
exported file can be edited and imported back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import permissions as gate
from core.audit import audit_record
from core.jobs import Progress, attach_result, register_handler
from core.models import Job, JobStatus
from core.xlsx import Column, RowError, build_workbook, error_report_workbook, parse_text, read_rows
from org import services
from org.choices import StaffRole, UnitKind
from org.models import Enterprise, Staff, Unit, UnitCategory


def _choice(choices: Any, what: str) -> Callable[[Any], str]:
    by_label = {str(label): value for value, label in choices.choices}

    def parse(value: Any) -> str:
        text = str(value).strip()
        if text in by_label:
            return by_label[text]
        if text in choices.values:
            return text
        raise ValueError(_("%(what)s应为：%(options)s。") % {"what": what, "options": "、".join(by_label)})

    return parse


def _int(value: Any) -> int:
    try:
        return int(float(value))
    except (TypeError, ValueError) as exc:
        raise ValueError(_("应为整数。")) from exc


UNIT_COLUMNS = [
    Column("编码", "code", True, parse_text(30)),
    Column("名称", "name", True, parse_text(100)),
    Column("类型", "kind", True, _choice(UnitKind, "类型")),
    Column("上级单位编码", "parent_code", False, parse_text(30)),
    Column("考评类别", "category", False, parse_text(60)),
    Column("简称", "short_name", False, parse_text(40)),
    Column("办公地点", "location", False, parse_text(120)),
    Column("办公电话", "phone", False, parse_text(30)),
    Column("排序", "sort_order", False, _int),
]
STAFF_COLUMNS = [
    Column("姓名", "name", True, parse_text(40)),
    Column("单位编码", "unit_code", True, parse_text(30)),
    Column("职务类别", "role_in_unit", False, _choice(StaffRole, "职务类别")),
    Column("职务", "title", False, parse_text(60)),
    Column("工号", "employee_no", False, parse_text(30)),
    Column("手机号码", "phone", False, parse_text(20)),
    Column("身份证号", "id_number", False, parse_text(18)),
]
ENTERPRISE_COLUMNS = [
    Column("企业名称", "name", True, parse_text(120)),
    Column("统一社会信用代码", "credit_code", True, parse_text(18)),
    Column("法定代表人", "legal_representative", False, parse_text(40)),
    Column("行业", "industry", False, parse_text(60)),
    Column("地址", "address", False, parse_text(200)),
    Column("联系人", "contact_name", False, parse_text(40)),
    Column("联系电话", "contact_phone", False, parse_text(20)),
]
HEADER_OF = {c.key: c.header for c in UNIT_COLUMNS + STAFF_COLUMNS + ENTERPRISE_COLUMNS}
HEADER_OF.update({"parent": "上级单位编码", "unit": "单位编码"})


class _Rejected(Exception):
    """Raised inside the import transaction to roll every row back."""


def _row_errors(row: int, exc: ValidationError) -> list[RowError]:
    if hasattr(exc, "error_dict"):
        return [RowError(row, HEADER_OF.get(field, field), m) for field, errs in exc.error_dict.items() for e in errs for m in e.messages]
    return [RowError(row, "", m) for m in exc.messages]


def _run_import(job: Job, progress: Progress, columns: list[Column], apply: Callable[[dict[str, Any]], str], what: str) -> None:
    with job.input_file.open("rb") as handle:
        parsed = read_rows(handle.read(), columns)
    errors = list(parsed.errors)
    unreadable = {e.row for e in errors}
    progress.total(len(parsed.rows))
    counts = {"created": 0, "updated": 0}
    if not any(e.row in (0, 1) for e in errors):  # the file itself is readable
        try:
            with transaction.atomic():
                # every row that parsed goes through the service, so that the report names
                # every problem at once; any problem rolls everything back
                for done, row in enumerate(parsed.rows, start=1):
                    if row["_row"] not in unreadable:
                        try:
                            with transaction.atomic():
                                counts[apply(row)] += 1
                        except ValidationError as exc:
                            errors.extend(_row_errors(row["_row"], exc))
                    progress.advance(done, _("已检查 %(n)s 行") % {"n": done})
                if errors:
                    raise _Rejected
                audit_record(action=f"org.{what}.import", actor=job.created_by, obj=job, detail=counts)
        except _Rejected:
            pass
    if errors:
        errors.sort(key=lambda e: e.row)
        job.status = JobStatus.REJECTED
        job.report = {"errors": [{"row": e.row, "column": e.column, "message": e.message} for e in errors]}
        job.message = _("有 %(n)s 处错误，没有导入任何数据。") % {"n": len(errors)}
        attach_result(job, "错误报告.xlsx", error_report_workbook(errors))
    else:
        job.report = {**counts, "summary": _("新增 %(c)s 条，更新 %(u)s 条。") % {"c": counts["created"], "u": counts["updated"]}}
        job.message = job.report["summary"]


# --- units --------------------------------------------------------------------------------
def _category(value: str | None) -> UnitCategory | None:
    if not value:
        return None
    category = UnitCategory.objects.filter(name=value).first() or UnitCategory.objects.filter(code=value).first()
    if category is None:
        raise ValidationError({"category": _("没有名为“%(v)s”的考评类别。") % {"v": value}})
    return category


def import_units(job: Job, progress: Progress) -> None:
    actor = job.created_by
    pending: dict[str, dict[str, Any]] = {}

    def apply(row: dict[str, Any]) -> str:
        fields = {
            "name": row["name"],
            "code": row["code"],
            "kind": row["kind"],
            "category": _category(row.get("category")),
            "short_name": row.get("short_name") or "",
            "location": row.get("location") or "",
            "phone": row.get("phone") or "",
            "sort_order": row.get("sort_order") or 0,
        }
        parent = None
        if row.get("parent_code"):
            parent = Unit.objects.filter(code=row["parent_code"]).first()
            if parent is None:
                raise ValidationError(
                    {"parent": _("上级单位编码“%(c)s”不存在（须已登记，或在本文件中更靠前的行）。") % {"c": row["parent_code"]}}
                )
        if row["code"] in pending:
            raise ValidationError(
                {"code": _("编码“%(c)s”在文件中重复（第%(r)s行已出现）。") % {"c": row["code"], "r": pending[row["code"]]["_row"]}}
            )
        pending[row["code"]] = row
        existing = Unit.objects.filter(code=row["code"]).first()
        if existing is None:
            services.unit_create(actor=actor, parent=parent, audit=False, **fields)
            return "created"
        services.unit_update(actor=actor, unit=existing, parent=parent, **fields)
        return "updated"

    _run_import(job, progress, UNIT_COLUMNS, apply, "unit")


def export_units(job: Job, progress: Progress) -> None:
    qs = gate.restrict(Unit.objects.select_related("parent", "category"), job.created_by, "org.unit.export").order_by("path")
    progress.total(qs.count())
    rows = (
        (
            u.code,
            u.name,
            u.get_kind_display(),
            u.parent.code if u.parent else "",
            u.category.name if u.category else "",
            u.short_name,
            u.location,
            u.phone,
            u.sort_order,
        )
        for u in qs.iterator(chunk_size=2000)
    )
    attach_result(job, "单位.xlsx", build_workbook([("单位", [c.header for c in UNIT_COLUMNS], rows)]))
    job.report = {"summary": _("已导出 %(n)s 个单位。") % {"n": job.total}}


# --- staff --------------------------------------------------------------------------------
def import_staff(job: Job, progress: Progress) -> None:
    actor = job.created_by
    scope = gate.restrict(Unit.objects.all(), actor, "org.staff.change")

    def apply(row: dict[str, Any]) -> str:
        unit = scope.filter(code=row["unit_code"]).first()
        if unit is None:
            raise ValidationError({"unit": _("单位编码“%(c)s”不存在或不在您的权限范围内。") % {"c": row["unit_code"]}})
        fields = {
            "name": row["name"],
            "unit": unit,
            "role_in_unit": row.get("role_in_unit") or StaffRole.STAFF,
            "title": row.get("title") or "",
            "employee_no": row.get("employee_no") or "",
            "phone": row.get("phone") or "",
            "id_number": row.get("id_number") or "",
        }
        existing = Staff.objects.filter(unit=unit, employee_no=fields["employee_no"]).first() if fields["employee_no"] else None
        if existing is None:
            services.staff_create(actor=actor, audit=False, **fields)
            return "created"
        services.staff_update(actor=actor, staff=existing, **fields)
        return "updated"

    _run_import(job, progress, STAFF_COLUMNS, apply, "staff")


def export_staff(job: Job, progress: Progress) -> None:
    qs = gate.restrict(Staff.objects.select_related("unit"), job.created_by, "org.staff.export").order_by("unit__path", "name")
    progress.total(qs.count())
    # phones are exported masked: the file leaves the platform, the audit trail cannot follow it
    rows = (
        (s.name, s.unit.code, s.get_role_in_unit_display(), s.title, s.employee_no, s.phone_masked, "")
        for s in qs.iterator(chunk_size=2000)
    )
    attach_result(job, "工作人员.xlsx", build_workbook([("工作人员", [c.header for c in STAFF_COLUMNS], rows)]))
    job.report = {"summary": _("已导出 %(n)s 名工作人员（手机号已脱敏）。") % {"n": job.total}}


# --- enterprises --------------------------------------------------------------------------------
def import_enterprises(job: Job, progress: Progress) -> None:
    actor = job.created_by
    seen: dict[str, int] = {}

    def apply(row: dict[str, Any]) -> str:
        fields = {c.key: row.get(c.key) or "" for c in ENTERPRISE_COLUMNS}
        code = fields["credit_code"].upper()
        if code in seen:
            raise ValidationError({"credit_code": _("信用代码在文件中重复（第%(r)s行已出现）。") % {"r": seen[code]}})
        seen[code] = row["_row"]
        existing = Enterprise.objects.filter(credit_code=code).first()
        if existing is None:
            services.enterprise_create(actor=actor, audit=False, **fields)
            return "created"
        services.enterprise_update(actor=actor, enterprise=existing, **fields)
        return "updated"

    _run_import(job, progress, ENTERPRISE_COLUMNS, apply, "enterprise")


def export_enterprises(job: Job, progress: Progress) -> None:
    qs = gate.restrict(Enterprise.objects.all(), job.created_by, "org.enterprise.export").order_by("name")
    progress.total(qs.count())
    rows = (
        (e.name, e.credit_code, e.legal_representative, e.industry, e.address, e.contact_name, e.contact_phone_masked)
        for e in qs.iterator(chunk_size=2000)
    )
    attach_result(job, "企业.xlsx", build_workbook([("企业", [c.header for c in ENTERPRISE_COLUMNS], rows)]))
    job.report = {"summary": _("已导出 %(n)s 家企业。") % {"n": job.total}}


def template_workbook(what: str) -> bytes:
    columns = {"units": UNIT_COLUMNS, "staff": STAFF_COLUMNS, "enterprises": ENTERPRISE_COLUMNS}[what]
    return build_workbook([("导入模板", [c.header + ("*" if c.required else "") for c in columns], [])])


JOBS = {
    "units": ("org.unit", import_units, export_units, "单位"),
    "staff": ("org.staff", import_staff, export_staff, "工作人员"),
    "enterprises": ("org.enterprise", import_enterprises, export_enterprises, "企业"),
}


def register() -> None:
    for what, (_perm, importer, exporter, _label) in JOBS.items():
        register_handler(f"org.import_{what}", importer)
        register_handler(f"org.export_{what}", exporter)
