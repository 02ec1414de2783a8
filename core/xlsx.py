"""Real .xlsx files in and out (openpyxl), and all-or-nothing imports.

An import reads every row, validates each one (collecting *every* problem, not just the
first), and only if no row has a problem writes them all in one transaction. Otherwise
nothing changes and the report names each bad row and why.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


def build_workbook(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """A workbook with one sheet per (title, headers, rows); returns the file's bytes."""
    wb = Workbook(write_only=False)
    wb.remove(wb.active)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title=title[:31])
        ws.append(list(headers))
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center")
        widths = [max(8, len(str(h)) * 2 + 2) for h in headers]
        for row in rows:
            values = [_cell(v) for v in row]
            ws.append(values)
            for i, v in enumerate(values[: len(widths)]):
                widths[i] = min(60, max(widths[i], len(str(v or "")) + 2))
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, (str, int, float, date)) or value is None:
        return value
    return str(value)


@dataclass
class Column:
    header: str  # the Chinese column heading users see
    key: str
    required: bool = False
    parse: Callable[[Any], Any] = lambda v: v  # may raise ValueError with a Chinese message


@dataclass
class RowError:
    row: int  # row number as Excel shows it
    column: str
    message: str


@dataclass
class ImportResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_report(self) -> dict[str, Any]:
        return {
            "rows": len(self.rows),
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in self.errors],
        }


def read_rows(data: bytes | io.BytesIO | Any, columns: Sequence[Column]) -> ImportResult:
    """Parse the first sheet; headers are matched by their Chinese text, in any order."""
    result = ImportResult()
    try:
        wb = load_workbook(data if not isinstance(data, bytes) else io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        result.errors.append(RowError(0, "", _("无法读取该文件：请上传 Excel 2007 及以上版本的 .xlsx 文件。")))
        return result
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    try:
        header_row = next(rows)
    except StopIteration:
        result.errors.append(RowError(0, "", _("文件是空的。")))
        return result
    headers = [str(h).strip().rstrip("*") if h is not None else "" for h in header_row]
    index: dict[str, int] = {}
    for column in columns:
        if column.header in headers:
            index[column.key] = headers.index(column.header)
        elif column.required:
            result.errors.append(RowError(1, column.header, _("缺少必需的列“%(col)s”。") % {"col": column.header}))
    if result.errors:
        return result
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        parsed: dict[str, Any] = {"_row": number}
        for column in columns:
            position = index.get(column.key)
            raw = values[position] if position is not None and position < len(values) else None
            if isinstance(raw, str):
                raw = raw.strip()
            if raw is None or raw == "":
                if column.required:
                    result.errors.append(RowError(number, column.header, _("不能为空。")))
                parsed[column.key] = None
                continue
            try:
                parsed[column.key] = column.parse(raw)
            except (ValueError, TypeError) as exc:
                result.errors.append(RowError(number, column.header, str(exc)))
        result.rows.append(parsed)
    if not result.rows and not result.errors:
        result.errors.append(RowError(0, "", _("文件中没有数据行。")))
    return result


def error_report_workbook(errors: Sequence[RowError]) -> bytes:
    return build_workbook([(_("错误报告"), [_("行号"), _("列"), _("问题")], [(e.row, e.column, e.message) for e in errors])])


def parse_bool(value: Any) -> bool:
    text = str(value).strip().lower()
    if text in {"是", "true", "1", "y", "yes", "启用", "在用"}:
        return True
    if text in {"否", "false", "0", "n", "no", "停用"}:
        return False
    raise ValueError(_("应填“是”或“否”。"))


def parse_text(max_length: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = str(value).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if len(text) > max_length:
            raise ValueError(_("不能超过 %(n)s 个字符。") % {"n": max_length})
        return text

    return parse
