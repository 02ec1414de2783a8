"""A finding's way (RULES.md §1): submitted → reviewed (dismissed / returned / confirmed) →
fed back → verified within 5 working days → rectified within 10 working days → accepted or
rejected with a new deadline → closed; with the confidentiality of everything before the
feedback, and the events the accountability module listens to."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core import events
from core.models import AuditRecord, Notification
from core.testing import client_for, make_staff, status_by_persona
from inspections import selectors, services
from inspections.choices import FindingStatus, RectificationDecision
from inspections.models import Finding
from inspections.tests.helpers import at, fed_back_finding, pdf, submitted_finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    """Collect the domain events published during the test."""
    seen: list[tuple[str, Finding]] = []
    handlers = {}
    for name in ("inspections.finding.verified_true", "inspections.finding.untrue_on_review"):

        def handler(*, finding: Finding, _name: str = name) -> None:
            seen.append((_name, finding))

        handlers[name] = handler
        events.subscribe(name, handler)
    yield seen
    for name, handler in handlers.items():
        events._subscribers[name].remove(handler)


def test_deadlines_are_working_days_from_the_policy(insp, clock, published):
    finding = submitted_finding(insp)
    services.finding_confirm(actor=insp.office, finding=finding)
    clock.set(at(2026, 9, 28, 10))  # Monday before the National Day holiday (10/1–10/7 off, 10/10 Sat worked)
    services.finding_feed_back(actor=insp.office, finding=finding)
    assert finding.verify_due == date(2026, 10, 10)  # 5 working days: 9/29, 9/30, 10/8, 10/9, 10/10
    assert finding.policy_version is not None
    clock.set(at(2026, 10, 9, 15))
    services.finding_verify(actor=insp.world.liaison_a, finding=finding, verdict="true", explanation="经查属实，当事人已作检查。")
    assert finding.status == FindingStatus.RECTIFYING
    assert finding.rectify_due == date(2026, 10, 22)  # 10 working days: 10/10, 10/12–16, 10/19–22
    assert published == [("inspections.finding.verified_true", finding)]
    record = AuditRecord.objects.get(action="inspections.finding.verify", object_id=str(finding.pk))
    assert record.detail["rectify_days"] == 10 and record.detail["rectify_due"] == "2026-10-22"


def test_a_late_verification_is_refused_until_the_office_sets_a_new_deadline(insp, clock):
    finding = fed_back_finding(insp)  # fed back Tuesday 2026-03-03: due Tuesday 3/10
    assert finding.verify_due == date(2026, 3, 10)
    clock.set(at(2026, 3, 11, 9))
    with pytest.raises(ValidationError) as exc:
        services.finding_verify(actor=insp.world.liaison_a, finding=finding, verdict="true", explanation="属实")
    assert exc.value.messages == ["已超过核查期限（2026年3月10日），系统不再接受报送。请联系效能办重新限期。"]
    finding.refresh_from_db()
    assert finding.status == FindingStatus.FED_BACK and finding.verdict == ""
    with pytest.raises(ValidationError) as exc:
        services.finding_deadline_set(actor=insp.office, finding=finding, new_due=date(2026, 3, 14), reason="单位申请延期")
    assert exc.value.message_dict["new_due"] == ["2026年3月14日不是工作日，请选择工作日。"]
    services.finding_deadline_set(actor=insp.office, finding=finding, new_due=date(2026, 3, 13), reason="单位申请延期")
    assert finding.verify_due == date(2026, 3, 13) and finding.verify_late
    services.finding_verify(actor=insp.world.liaison_a, finding=finding, verdict="partly_true", explanation="部分属实")
    assert finding.status == FindingStatus.RECTIFYING


def test_a_rectification_after_its_deadline_is_refused_and_nothing_changes(insp, clock):
    finding = fed_back_finding(insp)
    services.finding_verify(actor=insp.world.liaison_a, finding=finding, verdict="true", explanation="属实")
    assert finding.rectify_due == date(2026, 3, 17)  # 10 working days after Tuesday 3/3
    clock.set(at(2026, 3, 18, 8, 30))
    with pytest.raises(ValidationError) as exc:
        services.rectification_report(actor=insp.world.liaison_a, finding=finding, text="已整改", files=[pdf()])
    assert exc.value.messages == ["已超过整改期限（2026年3月17日），系统不再接受报送。请联系效能办重新限期。"]
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RECTIFYING and not finding.rectifications.exists() and finding.evidence.count() == 1


def test_a_rectification_without_a_deadline_is_refused_and_nothing_changes(insp, clock):
    finding = fed_back_finding(insp)
    services.finding_verify(actor=insp.world.liaison_a, finding=finding, verdict="true", explanation="属实")
    Finding.objects.filter(pk=finding.pk).update(rectify_due=None)  # services always set it; the data could lose it
    finding.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.rectification_report(actor=insp.world.liaison_a, finding=finding, text="已整改", files=[pdf()])
    assert exc.value.messages == ["该问题没有整改期限，请联系效能办重新限期。"]
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RECTIFYING and not finding.rectifications.exists()


def test_rejection_sends_it_back_with_a_reason_and_a_new_deadline(insp, clock):
    finding = fed_back_finding(insp)
    services.finding_verify(actor=insp.world.liaison_a, finding=finding, verdict="true", explanation="属实")
    clock.set(at(2026, 3, 10, 10))
    services.rectification_report(actor=insp.world.liaison_a, finding=finding, text="已批评教育", files=[pdf()])
    assert finding.status == FindingStatus.RECTIFIED
    with pytest.raises(ValidationError) as exc:
        services.rectification_reject(actor=insp.office, finding=finding, reason="")
    assert exc.value.message_dict["reason"] == ["请填写不通过的理由。"]
    services.rectification_reject(actor=insp.office, finding=finding, reason="未见制度整改措施")
    assert finding.status == FindingStatus.RECTIFYING and finding.rectify_due == date(2026, 3, 24)  # 10 working days from 3/10
    report = finding.rectifications.get()
    assert report.decision == RectificationDecision.REJECTED and report.new_due == date(2026, 3, 24)
    assert Notification.objects.filter(recipient=insp.world.liaison_a, title__contains="验收不通过").exists()
    services.rectification_report(actor=insp.world.liaison_a, finding=finding, text="已修订AB岗制度并公示")
    services.rectification_accept(actor=insp.office, finding=finding, note_text="同意")
    assert finding.status == FindingStatus.CLOSED and finding.closed_at is not None
    assert [r.decision for r in finding.rectifications.order_by("pk")] == ["rejected", "accepted"]


def test_untrue_goes_to_the_office_which_accepts_or_sends_it_back(insp, clock, published):
    finding = fed_back_finding(insp)
    services.finding_verify(actor=insp.world.liaison_a, finding=finding, verdict="untrue", explanation="当日该员在窗口后台办理业务")
    assert finding.status == FindingStatus.DISPUTED and published == []
    services.finding_untrue_reject(actor=insp.office, finding=finding, reason="照片显示窗口无人")
    assert finding.status == FindingStatus.FED_BACK and finding.verdict == "" and finding.verify_due == date(2026, 3, 10)
    services.finding_verify(actor=insp.world.liaison_a, finding=finding, verdict="untrue", explanation="补充监控录像说明")
    services.finding_untrue_accept(actor=insp.office, finding=finding, note_text="经调取录像，不属实")
    assert finding.status == FindingStatus.UNTRUE and finding.closed_at is not None


def test_a_finding_later_judged_untrue_tells_the_accountability_module(insp, published):
    finding = fed_back_finding(insp)
    services.finding_verify(actor=insp.world.liaison_a, finding=finding, verdict="true", explanation="属实")
    with pytest.raises(ValidationError):
        services.finding_overturn(actor=insp.world.office_head, finding=finding, reason="")
    services.finding_overturn(actor=insp.world.office_head, finding=finding, reason="单位申诉，经复核录像不属实")
    assert finding.status == FindingStatus.UNTRUE
    assert published == [("inspections.finding.verified_true", finding), ("inspections.finding.untrue_on_review", finding)]
    assert not selectors.findings_verified_true().filter(pk=finding.pk).exists()


def test_findings_verified_true_for_the_accountability_module(insp, clock):
    staff = make_staff(insp.world.window_a, name="张晓")
    finding = fed_back_finding(insp)
    services.finding_verify(actor=insp.world.liaison_a, finding=finding, verdict="partly_true", explanation="部分属实", staff=staff)
    other = fed_back_finding(insp, description="上班时间闲聊")
    services.finding_verify(actor=insp.world.liaison_a, finding=other, verdict="untrue", explanation="不属实")
    found = list(selectors.findings_verified_true(start=date(2026, 3, 1), end=date(2026, 3, 31), unit_ids=[insp.world.unit_a.pk]))
    assert found == [finding] and found[0].staff == staff and found[0].unit == insp.world.window_a
    assert list(selectors.findings_verified_true(unit_ids=[insp.world.unit_b.pk])) == []
    assert list(selectors.findings_verified_true(start=date(2026, 4, 1))) == []


def test_the_unit_names_only_its_own_staff(insp):
    finding = fed_back_finding(insp)
    stranger = make_staff(insp.world.unit_b, name="乙局某人")
    with pytest.raises(ValidationError) as exc:
        services.finding_verify(actor=insp.world.liaison_a, finding=finding, verdict="true", explanation="属实", staff=stranger)
    assert exc.value.message_dict["staff"] == ["乙局某人不是甲局窗口（含下级单位）的工作人员。"]


def test_review_dismiss_and_return_need_reasons(insp):
    finding = submitted_finding(insp)
    with pytest.raises(ValidationError):
        services.finding_dismiss(actor=insp.office, finding=finding, reason=" ")
    services.finding_dismiss(actor=insp.office, finding=finding, reason="证据不足以证明")
    assert finding.status == FindingStatus.DISMISSED
    with pytest.raises(ValidationError) as exc:
        services.finding_confirm(actor=insp.office, finding=finding)
    assert exc.value.messages == ["只有待审核的问题线索可以确认。"]
    note = Notification.objects.get(recipient=insp.world.supervisor, kind="inspections.finding_reviewed")
    assert "不予采用" in note.title


def test_two_clicks_feed_back_once(insp):
    finding = submitted_finding(insp)
    services.finding_confirm(actor=insp.office, finding=finding)
    stale = Finding.objects.get(pk=finding.pk)
    services.finding_feed_back(actor=insp.office, finding=finding)
    with pytest.raises(ValidationError):
        services.finding_feed_back(actor=insp.office, finding=stale)
    assert AuditRecord.objects.filter(action="inspections.finding.feed_back", object_id=str(finding.pk)).count() == 1


# --- confidentiality -------------------------------------------------------------------------
SECRETS = ("周立新", "吴海波", "RW0", "2026年3月常态暗访", "S001")


def test_before_feedback_a_unit_sees_nothing_and_after_it_the_finding_but_no_supervisor(insp):
    world = insp.world
    finding = submitted_finding(insp)
    evidence = finding.evidence.get()
    detail, photo = f"/inspections/findings/{finding.pk}/", f"/inspections/evidence/{evidence.pk}/"
    before = status_by_persona(world, "get", detail)
    assert before == {
        "office": 200,
        "office_head": 200,
        "supervisor": 200,
        "liaison_a": 404,
        "head_a": 404,
        "liaison_b": 404,
        "viewer": 403,
        "rater": 403,
        "admin": 403,
    }
    assert status_by_persona(world, "get", photo, personas=("liaison_a", "head_a", "liaison_b")) == {
        "liaison_a": 404,
        "head_a": 404,
        "liaison_b": 404,
    }
    for persona in ("liaison_a", "head_a"):
        listing = client_for(world.persona(persona)).get("/inspections/findings/")
        assert listing.status_code == 200 and finding.reference not in listing.content.decode()
    services.finding_confirm(actor=insp.office, finding=finding)
    assert status_by_persona(world, "get", detail, personas=("liaison_a", "liaison_b")) == {"liaison_a": 404, "liaison_b": 404}
    services.finding_feed_back(actor=insp.office, finding=finding)
    after = status_by_persona(world, "get", detail, personas=("liaison_a", "head_a", "liaison_b", "viewer"))
    assert after == {"liaison_a": 200, "head_a": 200, "liaison_b": 404, "viewer": 403}
    assert status_by_persona(world, "get", photo, personas=("liaison_a", "liaison_b")) == {"liaison_a": 200, "liaison_b": 404}
    page = client_for(world.liaison_a).get(detail).content.decode()
    assert "窗口工作人员上班时间玩手机游戏" in page and "2026年3月10日" in page  # the finding and its deadline
    for secret in SECRETS:
        assert secret not in page, secret
    listing = client_for(world.liaison_a).get("/inspections/findings/").content.decode()
    assert finding.reference in listing and "周立新" not in listing
    assert "round" not in client_for(world.liaison_a).get("/inspections/findings/").context["filter"].form.fields


def test_a_unit_never_sees_rounds_batches_tasks_or_assignments(insp):
    world = insp.world
    fed_back_finding(insp)
    for url in (
        "/inspections/rounds/",
        f"/inspections/rounds/{insp.round.pk}/",
        f"/inspections/rounds/{insp.round.pk}/coverage/",
        "/inspections/tasks/",
        f"/inspections/tasks/{insp.task.pk}/",
        "/inspections/assignments/",
        "/inspections/my/",
        "/inspections/figures/",
    ):
        statuses = status_by_persona(world, "get", url, personas=("liaison_a", "head_a", "liaison_b"))
        assert set(statuses.values()) == {403}, (url, statuses)
    for url in ("/api/v1/inspections/rounds/", f"/api/v1/inspections/tasks/{insp.task.pk}/", "/api/v1/inspections/assignments/"):
        assert client_for(world.liaison_a).get(url).status_code == 403


def test_the_unit_reaches_the_finding_through_its_notification(insp):
    finding = fed_back_finding(insp)
    note = Notification.objects.get(recipient=insp.world.liaison_a, kind="inspections.finding_fed_back")
    assert note.title == f"效能办反馈问题{finding.reference}，请于2026年3月10日前核查"
    assert note.url == f"/inspections/findings/{finding.pk}/"
    assert Notification.objects.filter(recipient=insp.world.head_a, kind="inspections.finding_fed_back").exists()
    assert not Notification.objects.filter(recipient=insp.world.liaison_b).exists()
