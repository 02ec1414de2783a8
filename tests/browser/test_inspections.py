"""Main paths of inspections in a real browser: a supervisor records a finding with a photo
on a phone (through a poor connection: a failed upload is retried, a reload loses nothing)
and submits it; the office confirms and feeds it back; the unit's liaison verifies and
rectifies; the office accepts; a circular is generated and opened back with python-docx."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from core.testing import PASSWORD, build_world
from inspections import services
from inspections.choices import FindingStatus
from inspections.models import Evidence, Finding
from inspections.tests.helpers import Clock, at, build, submitted_finding
from tests.browser.conftest import DESKTOP, PHONE, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def insp(monkeypatch: Any) -> Any:
    """The inspections world at 2026-03-03 09:20, on the spot of a dispatched task (the
    live server runs in this process, so it sees the same clock)."""
    from django.utils import timezone

    clock = Clock(at(2026, 3, 2, 9))
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return build(build_world(), clock)


def photo(tmp_path: Path, name: str = "IMG_2026.jpg") -> Path:
    from PIL import Image

    path = tmp_path / name
    Image.new("RGB", (640, 480), (200, 60, 40)).save(path, "JPEG")
    return path


def test_a_supervisor_records_a_finding_with_a_photo_on_a_phone(page_factory: Any, insp: Any, tmp_path: Path) -> None:
    page = page_factory(PHONE)
    login(page, "supervisor", PASSWORD)
    page.goto(f"/inspections/tasks/{insp.task.pk}/")
    assert "甲局窗口" in page.locator("[data-testid=task-units]").inner_text()
    page.click("[data-testid=record-finding]")
    page.wait_for_url("**/edit/")
    finding = Finding.objects.get()
    page.select_option("select[name=item_code]", "conduct")
    page.fill("textarea[name=description]", "3号窗口工作人员上班时间用手机玩游戏，群众排队等候。")
    page.fill("input[name=place]", "二楼3号窗口")
    # a file that is not what it claims is refused at once, in Chinese
    fake = tmp_path / "fake.jpg"
    fake.write_bytes(b"this is not a photo " * 40)
    page.set_input_files("[data-testid=file-input]", str(fake))
    page.wait_for_selector("[data-testid=upload-row].text-danger")
    assert "内容不是允许的类型" in page.locator("[data-testid=upload-row].text-danger").inner_text()
    page.click("[data-testid=upload-row].text-danger button")
    # the first try of the real photo is lost on the way: it goes up again by itself
    attempts: list[str] = []

    def flaky(route: Any) -> None:
        attempts.append(route.request.url)
        if len(attempts) == 1:
            route.abort()
        else:
            route.continue_()

    page.route(f"**/findings/{finding.pk}/evidence/", flaky)
    page.set_input_files("[data-testid=file-input]", str(photo(tmp_path)))
    page.wait_for_selector("#evidence-list [data-testid=evidence] img")
    assert len(attempts) == 2 and Evidence.objects.filter(finding=finding).count() == 1
    # a reload (the phone's browser killed the tab) loses nothing typed, nor the photo
    page.reload()
    assert page.input_value("textarea[name=description]") == "3号窗口工作人员上班时间用手机玩游戏，群众排队等候。"
    assert page.input_value("select[name=item_code]") == "conduct"
    assert page.locator("#evidence-list [data-testid=evidence]").count() == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the recording page scrolls sideways on a phone ({width}px)"
    screenshot(page, "inspections-record-phone")
    page.click("[data-testid=submit]")
    page.wait_for_url(f"**/inspections/tasks/{insp.task.pk}/?forget={finding.pk}")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.SUBMITTED and finding.description.startswith("3号窗口")
    assert finding.evidence.get().locked_at is not None
    assert page.evaluate(f"window.localStorage.getItem('xn-finding-{finding.pk}')") is None


def test_a_photo_waiting_to_go_up_survives_a_reload(page_factory: Any, insp: Any, tmp_path: Path) -> None:
    finding = services.finding_start(actor=insp.world.supervisor, task=insp.task)
    page = page_factory(PHONE)
    login(page, "supervisor", PASSWORD)
    upload = f"**/findings/{finding.pk}/evidence/"
    page.route(upload, lambda route: route.abort())  # no signal at all
    page.goto(f"/inspections/findings/{finding.pk}/edit/")
    page.set_input_files("[data-testid=file-input]", str(photo(tmp_path)))
    page.wait_for_selector("text=网络不好，正在重试")  # kept in the browser (IndexedDB) before the first try
    assert not finding.evidence.exists()
    page.unroute(upload)  # the signal is back
    page.reload()
    page.wait_for_selector("#evidence-list [data-testid=evidence] img")
    assert finding.evidence.count() == 1


def test_the_office_the_unit_and_the_circular(page_factory: Any, insp: Any) -> None:
    finding = submitted_finding(insp)
    office = page_factory(DESKTOP, accept_downloads=True)
    office.on("dialog", lambda dialog: dialog.accept())
    login(office, "office", PASSWORD)
    office.goto(f"/inspections/findings/{finding.pk}/")
    office.check("input[name=action][value=confirm]")
    office.click("[data-testid=review-form] button[type=submit]")
    office.click("[data-testid=feed-back]")
    office.wait_for_selector("[data-testid=verify-due]")
    assert office.locator("[data-testid=status]").inner_text() == "已反馈，待核查"
    # the unit's liaison (here on a phone) sees the finding and its evidence — not who recorded it
    unit = page_factory(PHONE)
    login(unit, "liaison_a", PASSWORD)
    unit.goto("/")
    unit.click(f"text={finding.reference}")
    assert "周立新" not in unit.content() and "RW0" not in unit.content()
    assert unit.locator("[data-testid=evidence] img").count() == 1
    unit.check("input[name=verdict][value=true]")
    unit.fill("textarea[name=explanation]", "经查属实，已对当事人批评教育并责令书面检查。")
    unit.click("[data-testid=verify-form] button[type=submit]")
    unit.wait_for_selector("[data-testid=rectify-form]")
    assert unit.locator("[data-testid=verdict]").inner_text() == "属实"
    unit.fill("textarea[name=text]", "已修订窗口考勤制度，每日由科长抽查在岗情况。")
    unit.click("[data-testid=rectify-form] button[type=submit]")
    unit.wait_for_selector("[data-testid=rectification]")
    assert unit.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(unit, "inspections-unit-rectified")
    # the office accepts, then drafts a circular and opens its .docx
    office.goto(f"/inspections/findings/{finding.pk}/")
    office.check("input[name=decision][value=accept]")
    office.click("[data-testid=acceptance-form] button[type=submit]")
    office.wait_for_selector("text=整改验收通过，办结")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED
    office.goto("/inspections/circulars/new/")
    office.check(f"input[name=findings][value='{finding.pk}']")
    office.click("[data-testid=draft-circular]")
    office.wait_for_selector("[data-testid=number]")
    number = office.locator("[data-testid=number]").inner_text()
    assert number == "效办通〔2026〕1号"
    with office.expect_download() as info:
        office.click("[data-testid=download-docx]")
    content = Path(info.value.path()).read_bytes()
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert number in text and "关于2026年3月常态暗访发现问题的通报" in text and "一、甲局窗口" in text and "玩手机游戏" in text
    screenshot(office, "inspections-circular-draft")


def test_the_office_plans_a_round_draws_a_team_and_dispatches(page_factory: Any, insp: Any) -> None:
    from openpyxl import load_workbook

    from inspections.models import InspectionRound

    world = insp.world
    page = page_factory(DESKTOP, accept_downloads=True)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, "office", PASSWORD)
    page.goto("/inspections/rounds/new/")
    page.select_option("select[name=kind]", "special")
    page.fill("input[name=month]", "2026-03")
    page.fill("input[name=theme]", "上下班制度执行情况专项抽查")
    page.check(f"input[name=scope_categories][value='{world.unit_a.category_id}']")
    page.click("form.xn-card button[type=submit]")
    page.wait_for_selector("text=2026年3月专项暗访：上下班制度执行情况专项抽查")
    round_ = InspectionRound.objects.get(theme="上下班制度执行情况专项抽查")
    page.fill("input[name=start_date]", "2026-03-09")
    page.fill("input[name=end_date]", "2026-03-13")
    page.click("form[action$='/batches/new/'] button[type=submit]")
    page.click("[data-testid=batch-1] >> text=新建任务")
    page.select_option("select[name=units]", [str(world.window_a.pk)])
    page.fill("input[name=window_start]", "2026-03-10T08:30")
    page.fill("input[name=window_end]", "2026-03-10T10:00")
    page.click("form.xn-card button[type=submit]")
    page.click("[data-testid=assign]")
    page.wait_for_selector("text=已随机抽派监督员。")
    page.click("[data-testid=dispatch]")
    page.wait_for_selector("text=任务已派发，监督员已收到通知。")
    task = round_.tasks.get()
    assert task.status == "dispatched" and task.assignments.count() == 2
    page.goto(f"/inspections/rounds/{round_.pk}/coverage/")
    assert page.locator("[data-testid=pending]").inner_text().count("甲局") == 1
    page.goto("/inspections/figures/?month=2026-03")
    with page.expect_download() as info:
        page.click("[data-testid=export]")
    assert info.value.suggested_filename == "明查暗访统计-2026年3月.xlsx"
    sheet = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))["总体"]
    row = {sheet.cell(1, c).value: sheet.cell(2, c).value for c in range(1, sheet.max_column + 1)}
    assert row["统计期间"] == "2026年3月" and (row["常态轮次"], row["专项轮次"], row["派发任务"]) == (1, 1, 2)
