"""Main paths of accountability in a real browser: a complaint judged valid on the case page
becomes a proposal on the office head's home page; the head accepts it; the staff member's
record shows it (the unit head reads it on a phone). A unit's liaison records the head's
apology with its proof on a phone. The office head treats a verified finding as serious —
a grassroots reassignment with its term — and the figures export opens as a workbook."""

from __future__ import annotations

import io
from datetime import date, timedelta
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from openpyxl import load_workbook

from accountability import services as acc_services
from accountability.models import Apology, Charge, Decision, Proposal, Sanction
from cases import services as case_services
from cases.models import Channel
from core.testing import PASSWORD, build_world, make_staff
from org.choices import StaffRole
from tests.browser.conftest import PHONE, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world() -> Any:
    world = build_world()  # calls ensure_defaults()
    import_module("cases.migrations.0002_default_channels").load(apps, None)
    world.clerk = make_staff(world.window_a, name="李明")
    world.head = make_staff(world.unit_a, name="甲局长", role_in_unit=StaffRole.HEAD)
    return world


def _no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page scrolls sideways on a phone ({width}px)"


def _replied_complaint(world: Any) -> Any:
    case, _password = case_services.case_create(
        actor=world.office,
        channel=Channel.objects.get(code="hotline_12345"),
        kind="complaint",
        title="窗口推诿",
        content="到甲局窗口办理社保登记，工作人员推诿扯皮，没有一次性告知所需材料，让我来回跑了三次。",
        contact_name="王小明",
        contact_phone="13812345678",
    )
    case_services.case_dispatch(actor=world.office, case=case, unit=world.unit_a)
    case_services.case_sign(actor=world.liaison_a, case=case, first_responsible=world.clerk)
    case_services.case_reply(actor=world.liaison_a, case=case, text="经调查，投诉属实，已对当事人批评教育并向投诉人说明。")
    case.refresh_from_db()
    return case


def test_a_valid_complaint_becomes_a_proposal_the_head_accepts_and_the_record_shows(page_factory: Any) -> None:
    world = _world()
    case = _replied_complaint(world)

    office = page_factory()
    login(office, "office", PASSWORD)
    office.goto(f"/cases/{case.pk}/")
    judge = office.locator("#act-judge")
    judge.locator("select[name=verdict]").select_option("valid")
    judge.locator("select[name=first_responsible]").select_option(label="李明")
    judge.locator("textarea[name=reason]").fill("经调查核实，窗口人员未履行一次性告知义务，投诉属实。")
    judge.get_by_role("button", name="认定").click()
    office.wait_for_load_state("networkidle")
    assert Charge.objects.filter(case=case, staff=world.clerk).exists()

    head = page_factory()
    login(head, "officehead", PASSWORD)
    panel = head.get_by_test_id("accountability-office-panel")
    assert panel.get_by_test_id("acc-pending").inner_text() == "2"  # the ladder's step and the head of unit's apology
    proposal = Proposal.objects.get(kind="sanction")
    panel.get_by_role("link", name=proposal.reference).click()
    assert head.get_by_test_id("counts").inner_text() == f"{proposal.year}年度第1件有效投诉"
    assert "诫勉谈话、年度考核不得评优" in head.get_by_test_id("proposed").inner_text()
    assert case.number in head.get_by_test_id("evidence").inner_text()
    form = head.locator("#act-decide")
    assert not form.locator("[data-field-block=measures]").is_visible()  # only a change picks measures
    form.get_by_label("调整后采纳").check()
    assert form.locator("[data-field-block=measures]").is_visible()
    form.get_by_test_id("decide-submit").click()  # a change without a reason: refused, explained
    assert "调整或不予采纳，须写明理由。" in head.locator("#act-decide").inner_text()
    assert not Decision.objects.exists()
    head.locator("#act-decide").get_by_label("采纳", exact=True).check()
    head.locator("#act-decide").get_by_test_id("decide-submit").click()
    assert head.get_by_test_id("proposal-status").inner_text() == "采纳"
    assert "诫勉谈话" in head.get_by_test_id("decision").inner_text()
    screenshot(head, "accountability-decided-office-head")
    decision = Decision.objects.get()
    assert decision.decided_by == world.office_head and decision.sanctions.count() == 2

    unit_head = page_factory(PHONE)
    login(unit_head, "head_a", PASSWORD)
    unit_head.goto(f"/accountability/people/{world.clerk.pk}/")
    record = unit_head.get_by_test_id("person-sanctions").inner_text()
    assert "诫勉谈话" in record and "年度考核不得评优" in record and f"{proposal.year}年度第1件有效投诉" in record
    assert unit_head.get_by_test_id("year-count").inner_text() == "1"
    assert case.number in unit_head.get_by_test_id("person-charges").inner_text()
    _no_sideways_scroll(unit_head)
    screenshot(unit_head, "accountability-record-unit-head-phone")
    other = page_factory()
    login(other, "liaison_b", PASSWORD)
    response = other.goto(f"/accountability/people/{world.clerk.pk}/")
    assert response is not None and response.status == 404


def test_a_liaison_records_the_heads_apology_with_its_proof_on_a_phone(page_factory: Any, tmp_path: Any) -> None:
    world = _world()
    case = _replied_complaint(world)
    case_services.complaint_judge(actor=world.office, case=case, valid=True, reason="属实")
    acc_services.proposal_decide(actor=world.office_head, proposal=Proposal.objects.get(kind="apology"), outcome="accepted")
    apology = Apology.objects.get()
    photo = tmp_path / "当面道歉.png"
    from PIL import Image

    Image.new("RGB", (64, 48), (30, 120, 60)).save(photo, "PNG")

    page = page_factory(PHONE)
    login(page, "liaison_a", PASSWORD)
    panel = page.get_by_test_id("accountability-unit-panel")
    assert "直接道歉" in panel.inner_text()
    panel.get_by_role("link", name=apology.reference).click()
    assert "甲局长" in page.get_by_test_id("heads").inner_text()
    record = page.locator("[data-action=record]")
    record.locator("select[name=channel]").select_option("in_person")
    record.locator("input[name=note]").fill("局长当面向投诉人王先生道歉")
    record.get_by_role("button", name="登记").click()  # no proof: refused, what was typed kept
    assert "请上传证明材料" in page.locator("[data-action=record]").inner_text()
    assert page.locator("[data-action=record] input[name=note]").input_value() == "局长当面向投诉人王先生道歉"
    page.locator("[data-action=record] input[name=proof]").set_input_files(str(photo))
    _no_sideways_scroll(page)
    page.locator("[data-action=record]").get_by_role("button", name="登记").click()
    assert page.get_by_test_id("apology-status").inner_text() == "已道歉"
    assert "当面道歉" in page.get_by_test_id("done").inner_text()
    screenshot(page, "accountability-apology-recorded-phone")
    apology.refresh_from_db()
    assert apology.status == "done" and apology.channel == "in_person" and len(apology.proof_sha256) == 64


def test_a_serious_finding_a_grassroots_reassignment_with_its_term_and_the_figures(page_factory: Any) -> None:
    from inspections import services as insp_services
    from inspections.tests.helpers import Clock, at, fed_back_finding
    from inspections.tests.helpers import build as build_inspections

    world = _world()
    today = date.today()  # noqa: DTZ011 (the live server's clock, as the browser sees it)
    clock = Clock(at(today.year, today.month, today.day, 9))
    from django.utils import timezone

    real_now = timezone.now
    try:  # the inspections helpers date their steps by the clock they are given
        timezone.now = lambda: clock.now  # type: ignore[assignment]
        insp = build_inspections(world, clock)
        finding = fed_back_finding(insp)
        insp_services.finding_verify(
            actor=world.liaison_a, finding=finding, verdict="true", explanation="属实，当事人上班玩游戏。", staff=world.clerk
        )
    finally:
        timezone.now = real_now  # type: ignore[assignment]
    proposal = Proposal.objects.get(kind="sanction")
    start = today + timedelta(days=3)

    head = page_factory()
    login(head, "officehead", PASSWORD)
    head.goto(f"/accountability/proposals/{proposal.pk}/")
    form = head.locator("#act-decide")
    assert not form.locator("[data-field-block=term_start]").is_visible()
    head.get_by_role("button", name="按严重问题处理").click()
    assert form.get_by_label("调整后采纳").is_checked()
    assert form.locator("input[value=efficiency_warning]").is_checked()  # the policy's serious measures
    assert not form.locator("[data-field-block=term_start]").is_visible()
    form.locator("[data-field-block=measures] input[value=grassroots_reassignment]").check()
    assert form.locator("[data-field-block=term_start]").is_visible()
    form.locator("textarea[name=reason]").fill("上班时间玩游戏，经提醒仍不改正，安排到基层协助交警维护交通秩序。")
    form.locator("input[name=term_start]").fill(start.isoformat())
    form.locator("input[name=term_end]").fill((start - timedelta(days=1)).isoformat())
    form.get_by_test_id("decide-submit").click()
    assert "期限止须晚于期限起。" in head.locator("#act-decide").inner_text()
    head.locator("#act-decide input[name=term_end]").fill("")
    head.locator("#act-decide").get_by_test_id("decide-submit").click()
    assert head.get_by_test_id("proposal-status").inner_text() == "调整后采纳"
    term = Sanction.objects.get(measure="grassroots_reassignment")
    assert (
        term.staff == world.clerk
        and term.term_start == start
        and (term.term_end.year * 12 + term.term_end.month) - (start.year * 12 + start.month) == 3
    )
    head.goto(f"/accountability/sanctions/{term.pk}/")
    assert f"{start:%Y-%m-%d} — {term.term_end:%Y-%m-%d}" == head.get_by_test_id("term").inner_text()
    screenshot(head, "accountability-reassignment")

    viewer = page_factory()
    login(viewer, "viewer", PASSWORD)
    viewer.goto(f"/accountability/figures/?year={proposal.year}")
    assert "基层再上岗 1 人" in viewer.get_by_test_id("reassignments").inner_text()
    assert "李明" not in viewer.content()
    with viewer.expect_download() as info:
        viewer.get_by_test_id("export").click()
    workbook = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    measures = {row[0]: row[1] for row in workbook["问责措施"].iter_rows(min_row=2, values_only=True)}
    assert measures["基层再上岗"] == 1 and measures["效能告诫"] == 1
