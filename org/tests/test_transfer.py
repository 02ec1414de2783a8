"""Import and export of units, staff and enterprises as real .xlsx files: all or nothing,
with a report naming each bad row."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from core.models import Job, JobStatus
from core.testing import client_for, credit_code, make_enterprise, make_staff
from core.uploads import XLSX
from core.xlsx import build_workbook
from org.models import Enterprise, Staff, Unit
from org.transfer import ENTERPRISE_COLUMNS, STAFF_COLUMNS, UNIT_COLUMNS

pytestmark = pytest.mark.django_db


def _upload(client, what: str, headers: list[str], rows: list[list]) -> Job:
    data = build_workbook([("导入", headers, rows)])
    response = client.post(f"/org/import/{what}/", {"file": SimpleUploadedFile("导入.xlsx", data, XLSX)})
    assert response.status_code == 302, response.content.decode()[:500]
    return Job.objects.latest("id")


UNIT_HEADERS = [c.header for c in UNIT_COLUMNS]


def test_import_units_creates_the_tree_in_file_order(world) -> None:
    rows = [
        ["N1", "新局", "部门", "", "政府涉企涉民部门", "", "", "", 1],
        ["N1-D1", "新局办公室", "处室", "N1", "", "", "", "", 1],
        ["N1-W1", "新局窗口", "窗口", "N1", "", "", "政务中心", "", 2],
    ]
    job = _upload(client_for(world.office), "units", UNIT_HEADERS, rows)
    assert job.status == JobStatus.DONE, job.report
    assert job.report["created"] == 3
    office = Unit.objects.get(code="N1-D1")
    assert office.parent.code == "N1" and office.path.startswith(Unit.objects.get(code="N1").path)


def test_one_bad_row_changes_nothing_and_every_bad_row_is_named(world) -> None:
    rows = [
        ["N1", "新局", "部门", "", "政府涉企涉民部门", "", "", "", 1],
        ["N2", "无类别局", "部门", "", "", "", "", "", 1],
        ["N3", "某科", "科室", "N1", "", "", "", "", 1],
        ["N4", "孤儿科", "处室", "NOPE", "", "", "", "", 1],
        ["N1", "重复编码", "部门", "", "党群部门", "", "", "", 1],
    ]
    job = _upload(client_for(world.office), "units", UNIT_HEADERS, rows)
    assert job.status == JobStatus.REJECTED
    rows_named = {(e["row"], e["column"]) for e in job.report["errors"]}
    assert (3, "考评类别") in rows_named
    assert (4, "类型") in rows_named
    assert (5, "上级单位编码") in rows_named
    assert (6, "编码") in rows_named
    assert not Unit.objects.filter(code__in=["N1", "N2", "N3", "N4"]).exists()
    # the error report is a real workbook naming the rows
    report = load_workbook(io.BytesIO(job.result_file.read()))
    cells = list(report.active.iter_rows(values_only=True))
    assert cells[0] == ("行号", "列", "问题") and {r[0] for r in cells[1:]} >= {3, 4, 5, 6}
    page = client_for(world.office).get(f"/jobs/{job.pk}/").content.decode()
    assert "没有导入任何数据" in page


def test_missing_column_and_wrong_file_type(world) -> None:
    job = _upload(client_for(world.office), "units", ["名称"], [["x"]])
    assert job.status == JobStatus.REJECTED and "缺少必需的列“编码”" in job.report["errors"][0]["message"]
    response = client_for(world.office).post("/org/import/units/", {"file": SimpleUploadedFile("x.xlsx", b"not a workbook", XLSX)})
    assert response.status_code == 400 and "内容不是允许的类型" in response.content.decode()


def test_import_staff_and_enterprises_update_existing(world) -> None:
    existing = make_staff(world.unit_a, name="老员工", employee_no="E1")
    job = _upload(
        client_for(world.office),
        "staff",
        [c.header for c in STAFF_COLUMNS],
        [
            ["老员工", "A", "工作人员", "科长", "E1", "13812345678", ""],
            ["新员工", "A-D1", "处室负责人", "处长", "E2", "", ""],
        ],
    )
    assert job.status == JobStatus.DONE and job.report["created"] == 1 and job.report["updated"] == 1
    existing.refresh_from_db()
    assert existing.title == "科长" and existing.phone == "13812345678"
    assert Staff.objects.get(employee_no="E2").unit == world.division_a
    good, bad = credit_code(777), "91350100M000100Y44"
    job = _upload(
        client_for(world.office),
        "enterprises",
        [c.header for c in ENTERPRISE_COLUMNS],
        [
            ["甲公司", good, "", "", "", "", ""],
            ["乙公司", bad, "", "", "", "", ""],
        ],
    )
    assert job.status == JobStatus.REJECTED and job.report["errors"][0]["row"] == 3
    assert not Enterprise.objects.filter(credit_code=good).exists()


def test_import_is_for_the_office_only(world) -> None:
    data = build_workbook([("x", UNIT_HEADERS, [])])
    for persona in (world.liaison_a, world.viewer, world.supervisor):
        response = client_for(persona).post("/org/import/units/", {"file": SimpleUploadedFile("a.xlsx", data, XLSX)})
        assert response.status_code == 403
    assert client_for(world.office).get("/org/import/nope/").status_code == 404


def test_exports_round_trip_and_are_scoped(world) -> None:
    make_staff(world.unit_a, name="甲员工", phone="13812345678")
    make_staff(world.unit_b, name="乙员工")
    make_enterprise(name="出口企业有限公司")
    response = client_for(world.liaison_a).post("/org/export/staff/")
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    sheet = load_workbook(io.BytesIO(job.result_file.read())).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["甲员工"]  # the liaison's own unit only
    phones = [row[5] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert phones == ["138****5678"]
    # the exported units file imports back unchanged
    client_for(world.office).post("/org/export/units/")
    units_file = Job.objects.latest("id").result_file.read()
    response = client_for(world.office).post("/org/import/units/", {"file": SimpleUploadedFile("u.xlsx", units_file, XLSX)})
    job = Job.objects.latest("id")
    assert job.status == JobStatus.DONE and job.report["updated"] == Unit.objects.count() and job.report["created"] == 0
    assert client_for(world.liaison_a).post("/org/export/enterprises/").status_code == 403
