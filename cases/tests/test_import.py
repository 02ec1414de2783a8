"""Import of cases from .xlsx: all-or-nothing with a row-level error report, and no
duplicates when the same file (with source numbers) is imported twice."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from cases import transfer
from cases.models import Case
from core.models import Job, JobStatus
from core.testing import client_for
from core.xlsx import build_workbook

pytestmark = pytest.mark.django_db
HEADERS = [c.header for c in transfer.COLUMNS]


def _file(rows: list[list[Any]]) -> SimpleUploadedFile:
    content = build_workbook([("诉求件", HEADERS, rows)])
    return SimpleUploadedFile("诉求件.xlsx", content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _row(**values: Any) -> list[Any]:
    base = {
        "渠道": "12345热线",
        "类别": "投诉",
        "受理时间": "2026-03-02 09:30",
        "标题": "",
        "诉求内容": "反映某窗口办事排队时间过长。",
        "姓名": "张三",
        "联系电话": "13800001234",
        "匿名": "否",
        "同意单位联系": "否",
        "涉及单位编码": "",
        "紧急": "否",
        "来源编号": "",
    }
    base.update(values)
    return [base[h] for h in HEADERS]


def test_import_creates_cases_and_a_repeat_creates_no_duplicates(world: Any, channels: Any) -> None:
    rows = [_row(来源编号="A-1"), _row(来源编号="A-2", 类别="咨询", 涉及单位编码="A"), _row(类别="举报", 匿名="是", 姓名="", 联系电话="")]
    client = client_for(world.office)
    response = client.post("/cases/import/", {"file": _file(rows)})
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.status == JobStatus.DONE, job.report
    assert Case.objects.count() == 3 and Case.objects.get(external_id="A-2").concerned_unit == world.unit_a
    client.post("/cases/import/", {"file": _file(rows[:2])})
    again = Job.objects.order_by("-id").first()
    assert again.report["existing"] == 2 and again.report["created"] == 0
    assert Case.objects.count() == 3


def test_one_bad_row_imports_nothing_and_reports_every_bad_row(world: Any, channels: Any) -> None:
    rows = [_row(), _row(联系电话="123"), _row(渠道="不存在的渠道"), _row(诉求内容="")]
    client_for(world.office).post("/cases/import/", {"file": _file(rows)})
    job = Job.objects.get()
    assert job.status == JobStatus.REJECTED
    assert not Case.objects.exists()
    found = {(e["row"], e["column"]) for e in job.report["errors"]}
    assert found == {(3, "联系电话"), (4, "渠道"), (5, "诉求内容")}
    report = load_workbook(io.BytesIO(job.result_file.read())).active
    assert [c.value for c in report[1]] == ["行号", "列", "问题"] and report.max_row == 4


def test_import_refuses_a_file_that_is_not_a_spreadsheet(world: Any) -> None:
    fake = SimpleUploadedFile("cases.xlsx", b"not a workbook", content_type="application/octet-stream")
    response = client_for(world.office).post("/cases/import/", {"file": fake})
    assert response.status_code == 400 and "不是允许的类型" in response.content.decode()
    assert not Job.objects.exists()


def test_template_opens_with_the_columns(world: Any) -> None:
    response = client_for(world.office).get("/cases/import/?template=1")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:3] == ["渠道*", "类别*", "受理时间*"]
