"""The figures of a period as a real .xlsx (core.xlsx): overall, per round, per month and
per unit, with the numerators and denominators of each rate beside it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core.xlsx import build_workbook
from inspections.figures import Figures


def _headers() -> list[str]:
    return [
        _("常态轮次"),
        _("专项轮次"),
        _("派发任务"),
        _("派员人次"),
        _("出勤人次"),
        _("出勤率(%)"),
        _("出勤任务"),
        _("有线索的任务"),
        _("线索反馈率(%)"),
        _("提交线索"),
        _("确认线索"),
        _("核查属实"),
        _("按期整改"),
        _("范围内单位"),
        _("已检查单位"),
        _("覆盖率(%)"),
        _("全覆盖轮次"),
    ]


def _values(fig: Figures) -> list[Any]:
    def pct(rate: Any) -> float | None:
        return float(rate.percent) if rate.percent is not None else None

    return [
        fig.rounds,
        fig.special_rounds,
        fig.tasks_dispatched,
        fig.assignments_dispatched,
        fig.assignments_attended,
        pct(fig.attendance),
        fig.tasks_attended,
        fig.tasks_with_findings,
        pct(fig.lead_feedback),
        fig.findings_submitted,
        fig.findings_confirmed,
        fig.findings_verified_true,
        fig.findings_rectified_on_time,
        fig.units_in_scope,
        fig.units_visited,
        pct(fig.coverage),
        fig.full_coverage_rounds,
    ]


def figures_workbook(data: dict[str, Any]) -> bytes:
    period = data["period"]
    headers = _headers()
    return build_workbook(
        [
            (_("总体"), [_("统计期间"), *headers], [[period.label, *_values(data["overall"])]]),
            (
                _("按轮次"),
                [_("轮次"), _("类别"), _("月份"), *headers],
                [[r.title, r.get_kind_display(), f"{r.month:%Y-%m}", *_values(f)] for r, f in data["by_round"]],
            ),
            (_("按月"), [_("月份"), *headers], [[f"{m:%Y-%m}", *_values(f)] for m, f in data["by_month"]]),
            (_("按单位"), [_("单位"), _("编码"), *headers], [[u.name, u.code, *_values(f)] for u, f in data["by_unit"]]),
        ]
    )
