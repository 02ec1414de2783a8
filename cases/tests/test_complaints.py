"""Valid complaints (有效投诉): the judgement with its reason, charging the first-responsible
person and their unit, the events the accountability module subscribes to, and the two
interfaces other modules call."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import selectors, services
from cases.choices import Verdict
from cases.models import Case
from core import events
from core.testing import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def received_events() -> Any:
    seen: list[tuple[str, int]] = []

    def on_valid(case: Case) -> None:
        seen.append(("valid", case.pk))

    def on_invalidated(case: Case) -> None:
        seen.append(("invalidated", case.pk))

    events.subscribe("cases.complaint.valid", on_valid)
    events.subscribe("cases.complaint.invalidated", on_invalidated)
    yield seen
    events._subscribers["cases.complaint.valid"].remove(on_valid)
    events._subscribers["cases.complaint.invalidated"].remove(on_invalidated)


def _replied_complaint(world: Any, make_case: Any, staff: Any = None, **fields: Any) -> Case:
    case = make_case(kind="complaint", **fields)
    services.case_dispatch(actor=world.office, case=case, unit=world.unit_a)
    services.case_sign(actor=world.liaison_a, case=case, first_responsible=staff)
    services.case_reply(actor=world.liaison_a, case=case, text="经调查，投诉属实，已批评教育。")
    case.refresh_from_db()
    return case


def test_valid_complaint_is_charged_to_the_first_responsible_person_and_their_unit(
    world: Any, make_case: Any, received_events: list
) -> None:
    clerk = make_staff(world.window_a, name="窗口李明")
    case = _replied_complaint(world, make_case, staff=clerk)
    services.complaint_judge(actor=world.office, case=case, valid=True, reason="调查属实：窗口人员推诿")
    case.refresh_from_db()
    assert case.verdict == Verdict.VALID and case.verdict_by == world.office and case.verdict_at is not None
    assert case.first_responsible == clerk and case.charged_unit == world.window_a
    assert received_events == [("valid", case.pk)]
    with pytest.raises(ValidationError) as info:  # judged once; a change goes through withdrawal
        services.complaint_judge(actor=world.office, case=case, valid=False, reason="再看")
    assert "已认定过" in info.value.messages[0]


def test_judgement_needs_a_reason_a_person_and_a_reply(world: Any, make_case: Any, dispatched: Any) -> None:
    with pytest.raises(ValidationError):  # still being handled
        services.complaint_judge(actor=world.office, case=dispatched, valid=True, reason="属实", first_responsible=make_staff(world.unit_a))
    case = _replied_complaint(world, make_case)
    with pytest.raises(ValidationError) as info:
        services.complaint_judge(actor=world.office, case=case, valid=True, reason="属实")
    assert "首办责任人" in info.value.message_dict["first_responsible"][0]
    with pytest.raises(ValidationError):
        services.complaint_judge(actor=world.office, case=case, valid=True, reason="", first_responsible=make_staff(world.unit_a))
    with pytest.raises(ValidationError):  # a person of another unit cannot be charged
        services.complaint_judge(actor=world.office, case=case, valid=True, reason="属实", first_responsible=make_staff(world.unit_b))
    case.refresh_from_db()
    assert case.verdict == Verdict.NONE and case.charged_unit is None
    inquiry = make_case(kind="inquiry")
    with pytest.raises(ValidationError):
        services.complaint_judge(actor=world.office, case=inquiry, valid=True, reason="属实")


def test_invalid_judgement_publishes_nothing_and_withdrawal_of_a_valid_one_tells_accountability(
    world: Any, make_case: Any, received_events: list
) -> None:
    case = _replied_complaint(world, make_case, staff=make_staff(world.unit_a))
    services.complaint_judge(actor=world.office, case=case, valid=False, reason="经调查不属实")
    assert received_events == []
    services.complaint_verdict_withdraw(actor=world.office_head, case=case, reason="复查")
    services.complaint_judge(actor=world.office, case=case, valid=True, reason="复查属实")
    services.complaint_verdict_withdraw(actor=world.office_head, case=case, reason="复核认定不属实")
    case.refresh_from_db()
    assert case.verdict == Verdict.NONE and case.charged_unit is None
    assert received_events == [("valid", case.pk), ("invalidated", case.pk)]


def test_valid_complaints_interface_by_period_person_and_unit(world: Any, make_case: Any) -> None:
    a1, a2 = make_staff(world.unit_a, name="甲一"), make_staff(world.division_a, name="甲二")
    first = _replied_complaint(world, make_case, staff=a1)
    second = _replied_complaint(world, make_case, staff=a2)
    third = _replied_complaint(world, make_case, staff=a1)
    for case in (first, second, third):
        services.complaint_judge(actor=world.office, case=case, valid=True, reason="属实")
    not_valid = _replied_complaint(world, make_case, staff=a1)
    services.complaint_judge(actor=world.office, case=not_valid, valid=False, reason="不属实")
    # the first was judged last year
    tz = timezone.get_current_timezone()
    Case.objects.filter(pk=first.pk).update(verdict_at=timezone.datetime(2025, 12, 31, 23, 30, tzinfo=tz))
    today = timezone.localdate()
    this_year = selectors.valid_complaints(start=date(today.year, 1, 1), end=today)
    assert [c.pk for c in this_year] == [second.pk, third.pk]
    assert [c.pk for c in selectors.valid_complaints(staff_ids=[a1.pk])] == [first.pk, third.pk]
    assert [c.pk for c in selectors.valid_complaints(unit_ids=[world.division_a.pk])] == [second.pk]
    assert [c.pk for c in selectors.valid_complaints(start=date(2025, 12, 31), end=date(2025, 12, 31))] == [first.pk]
    assert selectors.valid_complaints(end=today - timedelta(days=400)).count() == 0
    row = selectors.valid_complaints(staff_ids=[a2.pk]).get()
    assert row.first_responsible.name == "甲二" and row.charged_unit == world.division_a


def test_handled_cases_for_sampling(world: Any, make_case: Any, channels: dict[str, Any]) -> None:
    def close(case: Case) -> Case:
        services.case_dispatch(actor=world.office, case=case, unit=world.unit_a)
        services.case_sign(actor=world.liaison_a, case=case)
        services.case_reply(actor=world.liaison_a, case=case, text="已办理完毕。")
        services.case_reply_check(actor=world.office, case=case, approve=True)
        services.case_follow_up(actor=world.office, case=case, outcome="answered", satisfaction="satisfied", resolved=True)
        case.refresh_from_db()
        return case

    callable_case = close(make_case(kind="request", title="路灯维修"))
    anonymous = close(make_case(kind="report", anonymous=True, contact_name="", contact_phone=""))
    other_unit = make_case(kind="request")
    services.case_dispatch(actor=world.office, case=other_unit, unit=world.unit_b)
    still_open = make_case(kind="request")
    services.case_dispatch(actor=world.office, case=still_open, unit=world.unit_a)
    today = timezone.localdate()
    rows = selectors.handled_cases_for_sampling(unit_ids=[world.unit_a.pk, world.unit_b.pk], start=today, end=today)
    assert [r["case_id"] for r in rows] == [callable_case.pk]
    row = rows[0]
    assert row == {
        "ref": callable_case.tracking_code,
        "case_id": callable_case.pk,
        "unit_id": world.unit_a.pk,
        "summary": "路灯维修",
        "contact_name": "王小明",
        "contact_phone": "13812345678",
        "closed_at": callable_case.closed_at,
    }
    assert anonymous.pk not in [r["case_id"] for r in rows]
    assert (
        selectors.handled_cases_for_sampling(unit_ids=[world.unit_a.pk], start=today - timedelta(days=9), end=today - timedelta(days=1))
        == []
    )
