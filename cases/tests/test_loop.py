"""The closed loop (RULES.md §2): dispatch, sign for or return (with the office's review),
reply from the handling unit only, the office's check, follow-up, reopen counting and
escalation, and the periodic warnings, reminders and escalation prompts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import services
from cases.choices import CaseStatus, EventKind, ReturnReview
from cases.models import Case, CaseEvent, Dispatch, FollowUp
from core import calendar
from core.models import AuditRecord, Notification
from core.testing import make_staff

pytestmark = pytest.mark.django_db


def _replied(world: Any, case: Case) -> Case:
    services.case_reply(actor=world.liaison_a, case=case, text="经核实，已对窗口人员批评教育并向您致歉。")
    services.case_reply_check(actor=world.office, case=case, approve=True)
    case.refresh_from_db()
    return case


def test_dispatch_notifies_the_unit_and_records_co_units(world: Any, make_case: Any) -> None:
    case = make_case()
    dispatch = services.case_dispatch(actor=world.office, case=case, unit=world.unit_a, co_units=[world.unit_b], note="请核实")
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPATCHED and case.unit == world.unit_a
    assert list(case.co_units.all()) == [world.unit_b]
    assert dispatch.sign_due is not None
    assert Notification.objects.filter(recipient=world.liaison_a, kind="cases.dispatched").exists()
    assert Notification.objects.filter(recipient=world.liaison_b, kind="cases.dispatched", title__contains="协办").exists()
    assert AuditRecord.objects.filter(action="cases.case.dispatch", object_id=str(case.pk)).exists()


def test_sign_names_the_first_responsible_staff_member_of_the_unit(world: Any, dispatched: Any) -> None:
    outsider = make_staff(world.unit_b, name="乙局王五")
    with pytest.raises(ValidationError):
        services.case_sign(actor=world.liaison_a, case=dispatched, first_responsible=outsider)
    person = make_staff(world.window_a, name="窗口张三")
    services.case_sign(actor=world.liaison_a, case=dispatched, first_responsible=person)
    dispatched.refresh_from_db()
    assert dispatched.first_responsible == person and dispatched.status == CaseStatus.IN_PROGRESS
    with pytest.raises(ValidationError) as info:  # a second click changes nothing
        services.case_sign(actor=world.liaison_a, case=dispatched)
    assert "不能签收" in info.value.messages[0]


def test_return_needs_a_reason_and_the_offices_review(world: Any, dispatched: Any) -> None:
    with pytest.raises(ValidationError):
        services.case_return(actor=world.liaison_a, case=dispatched, reason=" ")
    dispatched.refresh_from_db()
    assert dispatched.status == CaseStatus.DISPATCHED
    services.case_return(actor=world.liaison_a, case=dispatched, reason="不属本局职责，应由乙局办理")
    dispatched.refresh_from_db()
    assert dispatched.status == CaseStatus.RETURNED
    assert Notification.objects.filter(recipient=world.office, kind="cases.returned").exists()
    # no re-dispatch before the review
    with pytest.raises(ValidationError):
        services.case_dispatch(actor=world.office, case=dispatched, unit=world.unit_b)
    services.case_return_review(actor=world.office, case=dispatched, accept=True)
    dispatched.refresh_from_db()
    assert dispatched.status == CaseStatus.RECEIVED and dispatched.unit is None
    services.case_dispatch(actor=world.office, case=dispatched, unit=world.unit_b)
    dispatches = list(Dispatch.objects.filter(case=dispatched).order_by("dispatched_at", "id"))
    assert [d.unit for d in dispatches] == [world.unit_a, world.unit_b]
    assert dispatches[0].review == ReturnReview.ACCEPTED and dispatches[0].return_reason.startswith("不属本局")


def test_rejected_return_goes_back_to_the_same_unit(world: Any, in_progress: Any) -> None:
    services.case_return(actor=world.liaison_a, case=in_progress, reason="职责不清")
    with pytest.raises(ValidationError):
        services.case_return_review(actor=world.office, case=in_progress, accept=False, note="")
    services.case_return_review(actor=world.office, case=in_progress, accept=False, note="属本局职责，请继续办理")
    in_progress.refresh_from_db()
    assert in_progress.status == CaseStatus.IN_PROGRESS and in_progress.unit == world.unit_a


def test_a_reply_from_a_unit_not_handling_the_case_is_refused(world: Any, in_progress: Any) -> None:
    with pytest.raises(ValidationError) as info:
        services.case_reply(actor=world.liaison_b, case=in_progress, text="这是乙局的答复内容")
    assert "不由您的单位承办" in info.value.messages[0]
    # even a co-handling unit does not reply for the lead unit
    from cases.models import CaseCoUnit

    CaseCoUnit.objects.create(case=in_progress, unit=world.unit_b)
    with pytest.raises(ValidationError):
        services.case_reply(actor=world.liaison_b, case=in_progress, text="这是乙局的答复内容")
    in_progress.refresh_from_db()
    assert in_progress.status == CaseStatus.IN_PROGRESS and in_progress.reply == ""


def test_reply_check_closes_the_handling_stage_on_time_or_late(world: Any, in_progress: Any, make_case: Any) -> None:
    case = _replied(world, in_progress)
    assert case.status == CaseStatus.FOLLOW_UP and case.completed_at is not None and case.handled_on_time is True
    late = make_case()
    services.case_dispatch(actor=world.office, case=late, unit=world.unit_a)
    services.case_sign(actor=world.liaison_a, case=late)
    Case.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - timedelta(days=3))
    late.refresh_from_db()
    assert _replied(world, late).handled_on_time is False


def test_reply_sent_back_needs_a_reason(world: Any, in_progress: Any) -> None:
    services.case_reply(actor=world.liaison_a, case=in_progress, text="已处理完毕。")
    with pytest.raises(ValidationError):
        services.case_reply_check(actor=world.office, case=in_progress, approve=False, note="")
    services.case_reply_check(actor=world.office, case=in_progress, approve=False, note="答复未回应诉求人的具体问题")
    in_progress.refresh_from_db()
    assert in_progress.status == CaseStatus.IN_PROGRESS
    assert CaseEvent.objects.filter(case=in_progress, kind=EventKind.REPLY_SENT_BACK).exists()


def test_satisfied_follow_up_closes_the_case(world: Any, in_progress: Any) -> None:
    case = _replied(world, in_progress)
    services.case_follow_up(actor=world.office, case=case, outcome="answered", satisfaction="basically_satisfied", resolved=True)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.satisfaction == "basically_satisfied" and case.resolved is True


def test_follow_up_answer_needs_satisfaction_and_resolved(world: Any, in_progress: Any) -> None:
    case = _replied(world, in_progress)
    with pytest.raises(ValidationError) as info:
        services.case_follow_up(actor=world.office, case=case, outcome="answered", satisfaction="", resolved=None)
    assert set(info.value.message_dict) == {"satisfaction", "resolved"}
    assert not FollowUp.objects.filter(case=case).exists()


def test_unreachable_three_times_closes_without_a_satisfaction(world: Any, in_progress: Any) -> None:
    case = _replied(world, in_progress)
    for attempt in (1, 2):
        services.case_follow_up(actor=world.office, case=case, outcome="unreachable")
        case.refresh_from_db()
        assert case.status == CaseStatus.FOLLOW_UP and case.follow_up_tries == attempt
    services.case_follow_up(actor=world.office, case=case, outcome="unreachable")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.satisfaction == "" and case.close_note == "回访3次未接通"


def test_dissatisfied_then_reopen_with_a_new_deadline_and_escalation_at_three(world: Any, in_progress: Any) -> None:
    case = in_progress
    for count in (1, 2, 3):
        case = _replied(world, case)
        services.case_follow_up(actor=world.office, case=case, outcome="answered", satisfaction="dissatisfied", resolved=False)
        case.refresh_from_db()
        assert case.status == CaseStatus.FOLLOW_UP  # waits for the office's decision
        services.case_reopen(actor=world.office, case=case, reason="诉求人仍不满意，请重新核实")
        case.refresh_from_db()
        assert case.status == CaseStatus.IN_PROGRESS and case.reopen_count == count
        assert case.deadline == calendar.add_working_days(case.deadline_from, 10)
        assert case.satisfaction == "" and case.completed_at is None
        assert case.escalated is (count >= 3)
    assert CaseEvent.objects.filter(case=case, kind=EventKind.ESCALATED).count() == 1
    assert Notification.objects.filter(recipient=world.office_head, kind="cases.reopened", title__contains="提级督办").exists()
    assert FollowUp.objects.filter(case=case).count() == 3


def test_only_a_dissatisfied_case_is_reopened_and_closing_needs_a_reason(world: Any, in_progress: Any) -> None:
    case = _replied(world, in_progress)
    with pytest.raises(ValidationError):
        services.case_reopen(actor=world.office, case=case, reason="再办一次")
    with pytest.raises(ValidationError):
        services.case_close(actor=world.office, case=case, reason="")
    services.case_close(actor=world.office, case=case, reason="匿名件无法回访")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.close_note == "匿名件无法回访"


def test_public_rating_counts_as_the_follow_up(world: Any, in_progress: Any) -> None:
    case = _replied(world, in_progress)
    services.case_rate(case=case, satisfaction="very_satisfied", resolved=True, comment="谢谢")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.satisfaction == "very_satisfied"
    assert FollowUp.objects.get(case=case).via == "public"
    with pytest.raises(ValidationError):
        services.case_rate(case=case, satisfaction="dissatisfied", resolved=False)


# --- the periodic deadline scan -------------------------------------------------------------------
def _case_due(world: Any, make_case: Any, deadline: date) -> Case:
    case = make_case()
    services.case_dispatch(actor=world.office, case=case, unit=world.unit_a)
    services.case_sign(actor=world.liaison_a, case=case)
    Case.objects.filter(pk=case.pk).update(deadline=deadline)
    case.refresh_from_db()
    return case


def test_warning_one_working_day_before_the_deadline(world: Any, make_case: Any) -> None:
    # Friday 2026-02-13: the next working day is the adjusted Saturday 2/14
    due_tomorrow = _case_due(world, make_case, date(2026, 2, 14))
    due_later = _case_due(world, make_case, date(2026, 2, 25))  # 2/14, 2/24, 2/25: 3 working days away
    result = services.deadline_scan(today=date(2026, 2, 13))
    due_tomorrow.refresh_from_db()
    due_later.refresh_from_db()
    assert result.warned == 1 and due_tomorrow.warned_at is not None and due_later.warned_at is None
    assert Notification.objects.filter(recipient=world.liaison_a, kind="cases.deadline_warning").count() == 1
    assert services.deadline_scan(today=date(2026, 2, 13)).warned == 0  # once only


def test_reminder_the_working_day_after_and_escalation_prompt_five_working_days_later(world: Any, make_case: Any) -> None:
    # deadline Friday 2026-02-13; the Spring Festival follows
    case = _case_due(world, make_case, date(2026, 2, 13))
    assert services.deadline_scan(today=date(2026, 2, 13)).reminded == 0  # not yet overdue
    result = services.deadline_scan(today=date(2026, 2, 14))  # the next working day (adjusted Saturday)
    case.refresh_from_db()
    assert result.reminded == 1 and case.reminded_at is not None and result.prompted == 0
    assert Notification.objects.filter(recipient=world.liaison_a, kind="cases.overdue_reminder").exists()
    # 5 working days after 2/13: 2/14, 2/24, 2/25, 2/26, 2/27
    assert services.deadline_scan(today=date(2026, 2, 26)).prompted == 0
    result = services.deadline_scan(today=date(2026, 2, 27))
    case.refresh_from_db()
    assert result.prompted == 1 and case.escalation_prompted_at is not None
    assert Notification.objects.filter(recipient=world.office, kind="cases.escalation_prompt").exists()
    assert services.deadline_scan(today=date(2026, 3, 2)).prompted == 0  # once only
    assert CaseEvent.objects.filter(case=case, kind=EventKind.ESCALATION_PROMPTED).count() == 1


def test_closed_cases_are_not_chased(world: Any, make_case: Any) -> None:
    case = _case_due(world, make_case, date(2026, 2, 13))
    _replied(world, case)
    result = services.deadline_scan(today=date(2026, 3, 2))
    assert (result.reminded, result.prompted) == (0, 0)
