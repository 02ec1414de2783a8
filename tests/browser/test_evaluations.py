"""Main paths of evaluations and service ratings in a real browser: scan-to-rate a window
on a phone (and a second answer refused politely), an on-the-spot bad rating that is
queued for a call-back, the office computing and the office head confirming results that
the rated unit then sees, and the questionnaire builder's freeze."""

from __future__ import annotations

from typing import Any

import pytest

from core.testing import PASSWORD, build_world
from evaluations import services
from evaluations.models import Campaign, Questionnaire, Response, ServiceRating
from evaluations.public import public_rating_url, target_url
from evaluations.tests import helpers
from tests.browser.conftest import PHONE, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page scrolls sideways on a phone ({width}px)"


def test_scan_to_rate_a_window_on_a_phone(page_factory: Any) -> None:
    world = build_world()
    campaign = helpers.campaign(world, extra=True)
    target = campaign.targets.get()
    page = page_factory(PHONE)
    page.goto(target_url(target))  # what the window's QR poster opens
    assert page.get_by_test_id("target").inner_text() == "甲局窗口"
    _no_sideways_scroll(page)
    page.get_by_test_id("submit").click()  # nothing chosen: refused, in Chinese
    assert "第1题为必答题" in page.get_by_test_id("form-errors").inner_text()
    page.get_by_text("满意", exact=True).click()
    page.get_by_text("一次办成").click()
    page.fill("textarea", "取号快，办理顺利")
    screenshot(page, "evaluations-answer-phone")
    page.get_by_test_id("submit").click()
    page.wait_for_load_state("networkidle")
    assert "感谢您的评价" in page.get_by_test_id("thanks").inner_text()
    response = Response.objects.get()
    assert (response.score, response.channel, response.target) == (80, "qr", target)
    page.goto(target_url(target))  # the same phone again
    assert "您已评价过" in page.get_by_test_id("already").inner_text()
    assert "同一手机或设备" in page.content()
    assert Response.objects.count() == 1
    screenshot(page, "evaluations-already-phone")


def test_bad_service_rating_is_queued_for_a_call_back(page_factory: Any) -> None:
    world = build_world()
    page = page_factory(PHONE)
    page.goto(public_rating_url(world.window_a))
    assert page.get_by_test_id("unit").inner_text() == "甲局窗口"
    page.get_by_text("不满意", exact=True).click()
    page.fill("#comment", "排队一个小时没人引导")
    page.fill("#contact_phone", "1380013")  # a mistyped number is refused and nothing is lost
    page.get_by_test_id("submit").click()
    assert "排队一个小时没人引导" in page.input_value("#comment")
    assert not ServiceRating.objects.exists()
    page.fill("#contact_phone", "13800138000")
    page.get_by_test_id("submit").click()
    assert "工作人员将回访" in page.get_by_test_id("thanks").inner_text()
    _no_sideways_scroll(page)
    rating = ServiceRating.objects.get()
    assert rating.status == "callback"
    office = page_factory()
    login(office, "office", PASSWORD)
    office.goto(f"/evaluations/ratings/{rating.pk}/")
    office.select_option("form[data-step=callback] select[name=verified]", "1")
    office.fill("form[data-step=callback] textarea[name=note]", "电话回访，属实")
    office.click("form[data-step=callback] button[type=submit]")
    assert office.get_by_test_id("status").inner_text() == "待单位处理"
    assert office.get_by_test_id("due").is_visible()


def test_office_computes_head_confirms_unit_sees_its_result(page_factory: Any) -> None:
    world = build_world()
    (window_b,) = helpers.extra_windows(world, 1)
    campaign = helpers.campaign(world, units=[world.window_a, window_b])
    a, b = campaign.targets.all()
    for score in (100, 100, 100, 80):
        helpers.answer(campaign, a, score)
    helpers.answer(campaign, b, 60)
    services.campaign_close(actor=world.office, campaign=campaign)
    office = page_factory()
    login(office, "office", PASSWORD)
    office.goto(f"/evaluations/campaigns/{campaign.pk}/")
    office.get_by_role("button", name="计算得分").click()
    assert office.get_by_test_id("average").inner_text() == "77.50"  # (95 + 60) / 2
    assert office.get_by_test_id("confirm").count() == 0  # only the office head confirms
    head = page_factory()
    head.on("dialog", lambda dialog: dialog.accept())
    login(head, "officehead", PASSWORD)
    head.goto(f"/evaluations/campaigns/{campaign.pk}/results/")
    head.get_by_test_id("confirm").click()
    head.get_by_role("button", name="公布结果").click()
    campaign.refresh_from_db()
    assert campaign.status == "published"
    with head.expect_download() as download:
        head.get_by_test_id("export-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    liaison = page_factory(PHONE)
    login(liaison, "liaison_a", PASSWORD)
    liaison.goto(f"/evaluations/campaigns/{campaign.pk}/results/")
    rows = liaison.get_by_test_id("result-row")
    assert rows.count() == 1 and "甲局窗口" in rows.inner_text() and "95.00" in rows.inner_text()
    assert "窗口1" not in liaison.content()
    _no_sideways_scroll(liaison)
    screenshot(liaison, "evaluations-unit-results-phone")


def test_questionnaire_builder_and_freeze(page_factory: Any) -> None:
    build_world()
    page = page_factory()
    login(page, "office", PASSWORD)
    page.goto("/evaluations/questionnaires/new/")
    page.fill("input[name=title]", "窗口服务满意度")
    page.fill("input[name=q-0-text]", "您对本窗口的服务是否满意？")
    page.select_option("select[name=q-1-kind]", "single")
    page.fill("input[name=q-1-text]", "办事次数")
    page.fill("textarea[name=q-1-options]", "一次办成\n两次及以上")
    page.click("form.xn-card button[type=submit]")
    assert page.get_by_test_id("status").inner_text() == "草稿"
    questionnaire = Questionnaire.objects.get()
    assert [q.kind for q in questionnaire.questions.all()] == ["satisfaction", "single"]
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="发布").click()
    assert page.get_by_test_id("status").inner_text() == "已发布（冻结）"
    response = page.goto(f"/evaluations/questionnaires/{questionnaire.pk}/edit/")
    assert response.status == 403 and "已发布的问卷不能修改" in page.content()
    page.goto(f"/evaluations/questionnaires/{questionnaire.pk}/")
    page.get_by_role("button", name="复制为新版本").click()
    assert Questionnaire.objects.filter(based_on=questionnaire, version=2).exists()
    assert not Campaign.objects.exists()
