"""Main paths of the cases module in a real browser: a citizen on a phone submits and
tracks a case; the office dispatches it; the unit signs for it and replies; the office
checks the reply and follows up; the citizen rates the reply; figures export to .xlsx."""

from __future__ import annotations

import io
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from openpyxl import load_workbook

from cases import services
from cases.models import Case, Channel
from core.testing import PASSWORD, build_world
from tests.browser.conftest import PHONE, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world() -> Any:
    world = build_world()  # calls ensure_defaults()
    import_module("cases.migrations.0002_default_channels").load(apps, None)
    return world


def _no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page scrolls sideways on a phone ({width}px)"


def _submit_on_phone(page: Any) -> tuple[str, str]:
    page.goto("/public/cases/")
    page.get_by_label("投诉", exact=True).check()
    page.fill("textarea[name=content]", "市民服务中心甲局窗口中午提前下班，排队群众无人办理。")
    page.fill("input[name=contact_name]", "周女士")
    page.fill("input[name=contact_phone]", "13511112222")
    _no_sideways_scroll(page)
    page.wait_for_timeout(3200)  # a person takes a few seconds; the form refuses robots that do not
    page.get_by_role("button", name="提交").click()
    page.wait_for_url("**/public/cases/receipt/")
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    password = page.get_by_test_id("query-password").inner_text().strip()
    return code, password


def test_citizen_submits_and_tracks_a_case_on_a_phone(page_factory: Any) -> None:
    _world()
    page = page_factory(PHONE)
    # anonymous only for reports: hiding the name fields and refusing a complaint is explained
    page.goto("/public/cases/")
    page.get_by_label("匿名举报（不留姓名和电话，只能凭查询码查看进展）").check()
    assert not page.locator("input[name=contact_name]").is_visible()
    page.get_by_label("匿名举报（不留姓名和电话，只能凭查询码查看进展）").uncheck()
    code, password = _submit_on_phone(page)
    assert len(code) == 10 and len(password) == 6
    screenshot(page, "cases-receipt-phone")
    page.get_by_role("link", name="查询进展").click()
    page.fill("input[name=password]", "000000")
    page.get_by_role("button", name="查询").click()
    assert "查询码或查询密码不正确" in page.get_by_test_id("form-errors").inner_text()
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="查询").click()
    assert page.get_by_test_id("public-status").inner_text() == "已受理"
    _no_sideways_scroll(page)
    screenshot(page, "cases-track-phone")
    case = Case.objects.get(tracking_code=code)
    assert case.channel.code == "online" and case.contact_phone == "13511112222"


def test_office_dispatches_unit_signs_and_replies_office_follows_up(page_factory: Any) -> None:
    world = _world()
    case, _password = services.case_create(
        actor=world.office,
        channel=Channel.objects.get(code="hotline_12345"),
        kind="complaint",
        content="甲局窗口工作人员态度恶劣，办理社保登记时拒绝解释所需材料。",
        contact_name="王小明",
        contact_phone="13812345678",
    )
    office = page_factory()
    login(office, "office", PASSWORD)
    office.goto(f"/cases/{case.pk}/")
    assert "138****5678" in office.get_by_test_id("identity").inner_text()
    office.get_by_test_id("reveal-phone").click()
    assert office.get_by_test_id("phone-full").inner_text() == "13812345678"
    dispatch = office.locator("#act-dispatch")
    dispatch.locator("select[name=unit]").select_option(label="甲局")
    dispatch.locator("input[name=note]").fill("请核实并答复")
    dispatch.get_by_role("button", name="派单").click()
    assert office.get_by_test_id("case-status").inner_text() == "待签收"
    screenshot(office, "cases-dispatched-office")

    unit = page_factory(PHONE)
    login(unit, "liaison_a", PASSWORD)
    unit.goto(f"/cases/{case.pk}/")
    assert "王小明" not in unit.content() and "138****5678" not in unit.content()
    assert "诉求人信息保密" in unit.get_by_test_id("identity").inner_text()
    unit.locator("#act-sign").get_by_role("button", name="签收").click()
    assert unit.get_by_test_id("case-status").inner_text() == "办理中"
    reply = unit.locator("#act-reply")
    reply.get_by_role("button", name="提交答复").click()  # empty: refused, explained, nothing saved
    assert "请填写答复内容" in unit.locator("#act-reply").inner_text() or "该字段是必填项" in unit.locator("#act-reply").inner_text()
    unit.locator("#act-reply textarea[name=reply]").fill("经核实属实，已对窗口人员批评教育，并电话向诉求人致歉、说明所需材料。")
    unit.locator("#act-reply").get_by_role("button", name="提交答复").click()
    assert unit.get_by_test_id("case-status").inner_text() == "已答复待审核"
    _no_sideways_scroll(unit)
    screenshot(unit, "cases-replied-unit-phone")

    office.goto(f"/cases/{case.pk}/")
    office.locator("#act-check_reply select[name=decision]").select_option("yes")
    office.locator("#act-check_reply").get_by_role("button", name="提交").click()
    assert office.get_by_test_id("case-status").inner_text() == "已办结待回访"
    office.goto("/cases/follow-up/")
    office.get_by_role("link", name=case.number).click()
    follow = office.locator("#act-follow_up")
    follow.locator("select[name=outcome]").select_option("answered")
    follow.locator("select[name=satisfaction]").select_option("satisfied")
    follow.locator("select[name=resolved]").select_option("True")
    follow.get_by_role("button", name="记录回访").click()
    assert office.get_by_test_id("case-status").inner_text() == "已结案"
    assert office.get_by_test_id("satisfaction").inner_text() == "满意"
    case.refresh_from_db()
    assert case.status == "closed" and case.satisfaction == "satisfied"


def test_citizen_rates_the_reply_on_a_phone(page_factory: Any) -> None:
    world = _world()
    page = page_factory(PHONE)
    code, password = _submit_on_phone(page)
    case = Case.objects.get(tracking_code=code)
    services.case_dispatch(actor=world.office, case=case, unit=world.unit_a)
    services.case_sign(actor=world.liaison_a, case=case)
    services.case_reply(actor=world.liaison_a, case=case, text="已调整窗口午间轮班，确保中午有人办理，感谢监督。")
    services.case_reply_check(actor=world.office, case=case, approve=True)
    page.goto(f"/public/cases/track/?code={code}")
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="查询").click()
    assert "已调整窗口午间轮班" in page.get_by_test_id("public-reply").inner_text()
    rate = page.get_by_test_id("rate")
    rate.get_by_label("基本满意").check()
    rate.get_by_label("是").check()
    page.get_by_role("button", name="提交评价").click()
    assert page.get_by_test_id("public-rating").inner_text() == "基本满意"
    _no_sideways_scroll(page)
    screenshot(page, "cases-rated-phone")
    case.refresh_from_db()
    assert case.status == "closed" and case.satisfaction == "basically_satisfied" and case.follow_ups.get().via == "public"


def test_figures_export_downloads_a_workbook(page_factory: Any) -> None:
    world = _world()
    case, _p = services.case_create(
        actor=world.office,
        channel=Channel.objects.get(code="leader_sms"),
        kind="request",
        content="请求协调解决小区停车难问题。",
        contact_name="李四",
        contact_phone="13900000000",
    )
    services.case_dispatch(actor=world.office, case=case, unit=world.unit_a)
    page = page_factory()
    login(page, "viewer", PASSWORD)
    page.goto("/cases/figures/?dimension=channel")
    assert "领导手机信息" in page.get_by_test_id("figures").inner_text()
    with page.expect_download() as info:
        page.get_by_test_id("export").click()
    sheet = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["领导手机信息"][1] == 1 and rows["合计"][2] == 1
