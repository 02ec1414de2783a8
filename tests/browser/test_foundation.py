"""Main paths of the foundation in a real browser."""

from __future__ import annotations

from typing import Any

import pytest

from core.testing import PASSWORD, build_world
from org.models import Unit
from tests.browser.conftest import PHONE, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_creates_a_unit_and_sees_it(page_factory: Any) -> None:
    build_world()
    page = page_factory()
    login(page, "office", PASSWORD)
    page.goto("/org/units/new/")
    page.fill("input[name=name]", "临江市浏览器测试局")
    page.fill("input[name=code]", "BROWSER1")
    page.select_option("select[name=kind]", "department")
    page.select_option("select[name=category]", label="政府涉企涉民部门")
    with page.expect_navigation():
        page.click("form.xn-card button[type=submit]")
    assert page.locator("h1").inner_text().startswith("临江市浏览器测试局")
    assert Unit.objects.filter(code="BROWSER1", path__startswith="/").exists()
    page.goto("/org/units/?q=浏览器测试")
    assert page.get_by_role("link", name="临江市浏览器测试局").is_visible()


def test_form_errors_are_shown_in_chinese_and_nothing_saved(page_factory: Any) -> None:
    build_world()
    page = page_factory()
    login(page, "office", PASSWORD)
    page.goto("/org/units/new/")
    page.fill("input[name=name]", "缺类别的部门")
    page.fill("input[name=code]", "NOCAT")
    page.select_option("select[name=kind]", "department")
    with page.expect_navigation():
        page.click("form.xn-card button[type=submit]")
    assert "部门必须属于一个考评类别" in page.locator("[data-field=category]").inner_text()
    assert not Unit.objects.filter(code="NOCAT").exists()


def test_liaison_of_unit_a_cannot_open_unit_b_staff(page_factory: Any) -> None:
    world = build_world()
    from core.testing import make_staff

    staff_b = make_staff(world.unit_b, name="乙局张三")
    staff_a = make_staff(world.unit_a, name="甲局李四")
    page = page_factory()
    login(page, "liaison_a", PASSWORD)
    response = page.goto(f"/org/staff/{staff_b.pk}/")
    assert response.status == 404
    assert "乙局张三" not in page.content()
    response = page.goto(f"/org/staff/{staff_a.pk}/")
    assert response.status == 200
    assert "甲局李四" in page.content()
    page.goto("/org/staff/")
    assert "乙局张三" not in page.content()


def test_home_page_on_a_phone(page_factory: Any) -> None:
    build_world()
    page = page_factory(PHONE)
    login(page, "office", PASSWORD)
    assert page.url.endswith("/")
    assert page.locator("h1").inner_text().endswith("您好")
    # the navigation collapses behind the menu button on a phone
    assert page.locator(".navbar-toggler").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page scrolls sideways on a phone ({width}px)"
    assert screenshot(page, "home-phone-office").stat().st_size > 5000


def test_import_with_a_bad_row_reports_it_and_changes_nothing(page_factory: Any, tmp_path: Any) -> None:
    from core.xlsx import build_workbook
    from org.transfer import UNIT_COLUMNS

    build_world()
    bad = tmp_path / "单位.xlsx"
    bad.write_bytes(
        build_workbook(
            [
                (
                    "单位",
                    [c.header for c in UNIT_COLUMNS],
                    [
                        ["IMP1", "导入局", "部门", "", "政府涉企涉民部门", "", "", "", 1],
                        ["IMP2", "错类型", "科室", "IMP1", "", "", "", "", 1],
                    ],
                )
            ]
        )
    )
    page = page_factory()
    login(page, "office", PASSWORD)
    page.goto("/org/import/units/")
    page.set_input_files("input[name=file]", str(bad))
    page.click("form.xn-card button[type=submit]")
    page.wait_for_selector("[data-testid=job-status]")
    page.wait_for_function(
        "document.querySelector('#job-status').dataset.status !== 'queued' && document.querySelector('#job-status').dataset.status !== 'running'"
    )
    assert "有错误，未导入" in page.locator("[data-testid=job-status]").inner_text()
    assert "类型应为" in page.locator("[data-testid=job-errors]").inner_text()
    assert not Unit.objects.filter(code__in=["IMP1", "IMP2"]).exists()
    with page.expect_download() as download_info:
        page.click("[data-testid=job-download]")
    from openpyxl import load_workbook

    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    report = load_workbook(saved).active
    assert [c.value for c in report[2]][:2] == [3, "类型"]


def test_language_switch_to_english_and_back(page_factory: Any) -> None:
    build_world()
    page = page_factory()
    page.goto("/accounts/login/")
    assert page.locator("h1").inner_text() == "登录"
    with page.expect_navigation():
        page.select_option("#xn-language", "en")
    assert page.locator("h1").inner_text() == "Sign in"
    with page.expect_navigation():
        page.select_option("#xn-language", "zh-hans")
    assert page.locator("h1").inner_text() == "登录"
