"""Deadlines in working days (RULES.md §2): by kind from the policy, across the 2026
Spring Festival and National Day, the signing limit in working hours, extensions, and a
year the calendar does not know."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import services
from cases.choices import CaseStatus, ExtensionStatus
from cases.models import Case, Extension
from cases.tests.conftest import at
from core import calendar
from core.models import CalendarYear, Notification
from core.selectors import policy_document

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("received", "kind", "expected"),
    [
        # Friday 2026-02-13, before the Spring Festival (2/15-2/23 off; Saturdays 2/14 and 2/28 worked)
        (at(2026, 2, 13, 10), "inquiry", date(2026, 2, 14)),  # 1 day: the adjusted Saturday
        (at(2026, 2, 13, 10), "request", date(2026, 2, 27)),  # 5: 2/14, 2/24, 2/25, 2/26, 2/27
        (at(2026, 2, 13, 10), "complaint", date(2026, 3, 5)),  # 10: ... 2/28 (Sat), 3/2-3/5
        # Monday 2026-09-28, before National Day (10/1-10/7 off; Saturday 10/10 worked)
        (at(2026, 9, 28, 9), "request", date(2026, 10, 10)),  # 9/29, 9/30, 10/8, 10/9, 10/10 (Sat, worked)
        (at(2026, 9, 28, 9), "complaint", date(2026, 10, 16)),
        # received on a holiday: counting starts from the next working day
        (at(2026, 10, 3, 15), "inquiry", date(2026, 10, 8)),
    ],
)
def test_deadline_by_kind_across_holidays(make_case: Any, received: Any, kind: str, expected: date) -> None:
    case = make_case(kind=kind, received_at=received)
    assert case.deadline == expected
    assert case.deadline_days == policy_document()[1].cases.deadline_days[kind]
    assert case.policy_version_id == policy_document()[0].pk
    assert case.deadline_problem == ""


def test_request_before_national_day_counts_the_adjusted_saturday(make_case: Any) -> None:
    # 5 working days from 2026-09-28: 9/29, 9/30, 10/8, 10/9, 10/10 (an adjusted working Saturday)
    case = make_case(kind="request", received_at=at(2026, 9, 28, 9))
    assert calendar.is_working_day(date(2026, 10, 10))
    assert case.deadline == date(2026, 10, 10)


def test_urgent_case_is_due_the_same_working_day(make_case: Any) -> None:
    assert make_case(kind="request", is_urgent=True, received_at=at(2026, 3, 3, 9)).deadline == date(2026, 3, 3)
    # an urgent case received during the holiday is due on the first working day after it
    assert make_case(kind="request", is_urgent=True, received_at=at(2026, 10, 2, 9)).deadline == date(2026, 10, 8)


def test_deadlines_follow_the_policy_in_force(make_case: Any, set_policy: Any) -> None:
    version = set_policy(
        deadline_days={"emergency": 0, "inquiry": 2, "request": 7, "suggestion": 7, "complaint": 12, "report": 12, "praise": 5}
    )
    case = make_case(kind="complaint", received_at=at(2026, 3, 2, 9))
    assert case.deadline == calendar.add_working_days(date(2026, 3, 2), 12) == date(2026, 3, 18)
    assert case.policy_version_id == version.pk


def test_signing_limit_is_two_working_hours(world: Any, make_case: Any) -> None:
    _version, document = policy_document()
    case = make_case()
    # Friday 2026-02-13 16:30: one hour that day, the second on the adjusted Saturday 2/14
    assert services.sign_due_for(case, at(2026, 2, 13, 16, 30), document) == at(2026, 2, 14, 9, 30)
    # 2026-09-30 17:00: half an hour, then National Day, then 10/8 from 08:30 -> 10:00
    assert services.sign_due_for(case, at(2026, 9, 30, 17, 0), document) == at(2026, 10, 8, 10, 0)
    # across lunch: 11:00 + 2h = 15:00
    assert services.sign_due_for(case, at(2026, 3, 3, 11, 0), document) == at(2026, 3, 3, 15, 0)
    urgent = make_case(is_urgent=True)
    assert services.sign_due_for(urgent, at(2026, 10, 2, 22, 0), document) == at(2026, 10, 3, 0, 0)  # 2 natural hours


def test_signing_on_time_and_late(world: Any, dispatched: Any, make_case: Any) -> None:
    dispatch = dispatched.dispatches.get()
    assert dispatch.sign_due is not None and dispatch.sign_due > dispatch.dispatched_at
    signed = services.case_sign(actor=world.liaison_a, case=dispatched)
    assert signed.signed_on_time is True
    late = make_case()
    services.case_dispatch(actor=world.office, case=late, unit=world.unit_a)
    late.dispatches.update(sign_due=timezone.now() - timedelta(minutes=1))
    assert services.case_sign(actor=world.liaison_a, case=late).signed_on_time is False


def test_extension_granted_before_the_deadline_gives_the_complex_limit(world: Any, make_case: Any) -> None:
    case = make_case(kind="complaint")
    services.case_dispatch(actor=world.office, case=case, unit=world.unit_a)
    services.case_sign(actor=world.liaison_a, case=case)
    old = case.deadline
    extension = services.extension_request(actor=world.liaison_a, case=case, reason="涉及多个部门，需要现场核查")
    services.extension_decide(actor=world.office, extension=extension, grant=True)
    case.refresh_from_db()
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.GRANTED
    assert case.extended and case.deadline_days == 15
    assert case.deadline == calendar.add_working_days(case.received_at, 15) == extension.new_deadline
    assert case.deadline > old
    with pytest.raises(ValidationError, match="已延期过一次"):
        services.extension_request(actor=world.liaison_a, case=case, reason="还需要时间")


def test_extension_after_the_deadline_is_refused_and_changes_nothing(world: Any, in_progress: Any) -> None:
    Case.objects.filter(pk=in_progress.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    in_progress.refresh_from_db()
    with pytest.raises(ValidationError) as info:
        services.extension_request(actor=world.liaison_a, case=in_progress, reason="需要更多时间核查")
    assert "届满前申请" in info.value.messages[0]
    assert not Extension.objects.filter(case=in_progress).exists()
    in_progress.refresh_from_db()
    assert in_progress.status == CaseStatus.IN_PROGRESS and not in_progress.extended


def test_refused_extension_needs_a_reason_and_keeps_the_deadline(world: Any, in_progress: Any) -> None:
    extension = services.extension_request(actor=world.liaison_a, case=in_progress, reason="需要调取监控录像")
    with pytest.raises(ValidationError):
        services.extension_decide(actor=world.office, extension=extension, grant=False, note="")
    services.extension_decide(actor=world.office, extension=extension, grant=False, note="事实清楚，无需延期")
    in_progress.refresh_from_db()
    assert not in_progress.extended
    assert in_progress.deadline == extension.old_deadline


def _first_unknown_year() -> int:
    year = timezone.localdate().year
    while calendar.library_knows(year):
        year += 1
    return year


def test_unknown_calendar_year_keeps_the_case_flags_it_and_tells_the_office(world: Any, make_case: Any, set_policy: Any) -> None:
    # a limit long enough to run into a year the calendar library does not know yet
    set_policy(deadline_days={"emergency": 0, "inquiry": 1, "request": 5, "suggestion": 5, "complaint": 300, "report": 10, "praise": 5})
    year = _first_unknown_year()
    case = make_case(kind="complaint")
    assert Case.objects.filter(pk=case.pk).exists()
    assert case.deadline is None
    assert case.deadline_days == 300
    assert str(calendar.CalendarUnknownYear(year)) == case.deadline_problem
    note = Notification.objects.get(recipient=world.office, kind="cases.deadline_unknown")
    assert note.body == case.deadline_problem
    # the case page tells the office too
    from core.testing import client_for

    page = client_for(world.office).get(f"/cases/{case.pk}/").content.decode()
    assert f"{year}年的节假日" in page
    # once the office has entered that year, the periodic scan sets the deadline
    from core.models import CalendarDayKind
    from core.services import calendar_day_set, calendar_year_confirm

    for y in range(year, year + 2):
        calendar_day_set(actor=world.office, day=date(y, 1, 1), kind=CalendarDayKind.HOLIDAY, name="元旦")
        calendar_year_confirm(actor=world.office, year=y, note="录入")
    result = services.deadline_scan()
    case.refresh_from_db()
    assert result.deadlines_set == 1
    assert case.deadline == calendar.add_working_days(case.received_at, 300)
    assert case.deadline_problem == ""
    assert CalendarYear.objects.filter(year=year).exists()
