"""Working days against the published 2025 and 2026 schedules and 民法典 第201/203条."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from core import calendar
from core.calendar import CalendarUnknownYear, add_working_days, is_working_day, working_days_between
from core.models import CalendarDayKind
from core.services import calendar_day_set, calendar_year_confirm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "working"),
    [
        # 2026 Spring Festival: 2/15-2/23 off, 2/14 (Sat) and 2/28 (Sat) working
        (date(2026, 2, 13), True),
        (date(2026, 2, 14), True),
        *[(date(2026, 2, d), False) for d in range(15, 24)],
        (date(2026, 2, 24), True),
        (date(2026, 2, 28), True),
        # 2026 National Day: 10/1-10/7 off, 9/20 (Sun) and 10/10 (Sat) working
        (date(2026, 9, 20), True),
        *[(date(2026, 10, d), False) for d in range(1, 8)],
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),
        (date(2026, 10, 11), False),
        # 2025: Spring Festival 1/28-2/4 off, 1/26 and 2/8 working; National Day 10/1-10/8 off, 9/28 and 10/11 working
        (date(2025, 1, 26), True),
        (date(2025, 1, 28), False),
        (date(2025, 2, 4), False),
        (date(2025, 2, 8), True),
        (date(2025, 9, 28), True),
        (date(2025, 10, 8), False),
        (date(2025, 10, 11), True),
        # ordinary weekdays and weekends
        (date(2026, 3, 2), True),
        (date(2026, 3, 7), False),
    ],
)
def test_published_schedules(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_day_of_receipt_not_counted_civil_code_201() -> None:
    # received Monday 2026-03-02: one working day later is Tuesday, not Monday
    assert add_working_days(date(2026, 3, 2), 1) == date(2026, 3, 3)
    assert add_working_days(date(2026, 3, 2), 5) == date(2026, 3, 9)


def test_deadline_never_falls_on_holiday_civil_code_203() -> None:
    # received Friday 2026-02-13, 1 working day: the adjusted Saturday 2/14 works
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    # 2 working days: skips the whole Spring Festival to Tuesday 2/24
    assert add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)
    # a 10-day complaint received 2026-09-28 (Mon): 9/29, 9/30, 10/8, 10/9, 10/10(Sat, working), 10/12..10/16
    assert add_working_days(date(2026, 9, 28), 10) == date(2026, 10, 16)
    # a limit in natural days that lands on 10/3 moves to 10/8
    assert calendar.deadline_in_calendar_days(date(2026, 9, 26), 7) == date(2026, 10, 8)


def test_between_is_inverse_of_add() -> None:
    start = date(2026, 2, 10)
    for n in range(0, 30):
        end = add_working_days(start, n)
        assert working_days_between(start, end) == n
    assert working_days_between(date(2026, 2, 14), date(2026, 2, 23)) == 0
    assert working_days_between(date(2026, 2, 24), date(2026, 2, 14)) == -1


def test_aware_datetimes_use_local_date() -> None:
    # 2026-02-13 23:30 in Shanghai is 15:30 UTC the same day
    moment = timezone.make_aware(datetime(2026, 2, 13, 23, 30))
    assert add_working_days(moment, 1) == date(2026, 2, 14)


def test_unknown_year_refused_with_its_name() -> None:
    with pytest.raises(CalendarUnknownYear) as info:
        is_working_day(date(2027, 3, 1))
    assert "2027" in str(info.value)
    assert info.value.year == 2027
    with pytest.raises(CalendarUnknownYear):
        add_working_days(date(2026, 12, 28), 10)


def test_office_table_completes_an_unknown_year() -> None:
    calendar_day_set(actor=None, day=date(2027, 1, 1), kind=CalendarDayKind.HOLIDAY, name="元旦")
    # entered but not confirmed: still refused for other dates
    with pytest.raises(CalendarUnknownYear):
        is_working_day(date(2027, 1, 4))
    calendar_year_confirm(actor=None, year=2027, note="国办发明电〔2026〕X号")
    assert is_working_day(date(2027, 1, 1)) is False
    assert is_working_day(date(2027, 1, 4)) is True
    assert is_working_day(date(2027, 1, 9)) is False  # a Saturday
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_office_correction_overrides_library() -> None:
    # a local holiday on an ordinary Wednesday, and a Saturday made a working day
    calendar_day_set(actor=None, day=date(2026, 6, 3), kind=CalendarDayKind.HOLIDAY, name="地方节日")
    calendar_day_set(actor=None, day=date(2026, 6, 6), kind=CalendarDayKind.WORKDAY, name="调休")
    assert is_working_day(date(2026, 6, 3)) is False
    assert is_working_day(date(2026, 6, 6)) is True
    assert add_working_days(date(2026, 6, 2), 1) == date(2026, 6, 4)


def test_working_hours_skip_lunch_nights_and_holidays() -> None:
    periods = [("08:30", "12:00"), ("14:00", "17:30")]
    tz = timezone.get_current_timezone()
    # 11:00 + 2 working hours = 1h before lunch, 1h after: 15:00
    assert calendar.add_working_hours(datetime(2026, 3, 2, 11, 0, tzinfo=tz), 2, periods) == datetime(2026, 3, 2, 15, 0, tzinfo=tz)
    # Friday 2026-02-13 17:00 + 2h: 0.5h Friday, then Saturday 2/14 is a working day: 10:00
    assert calendar.add_working_hours(datetime(2026, 2, 13, 17, 0, tzinfo=tz), 2, periods) == datetime(2026, 2, 14, 10, 0, tzinfo=tz)
    # evening 2026-02-14 20:00 + 2h: next working day is 2/24 (Spring Festival) -> 10:30
    assert calendar.add_working_hours(datetime(2026, 2, 14, 20, 0, tzinfo=tz), 2, periods) == datetime(2026, 2, 24, 10, 30, tzinfo=tz)


def test_working_days_in_february_2026() -> None:
    # Feb 2026: weekdays 2-6 and 9-13, Saturday 14 (adjusted), 24-27, Saturday 28 (adjusted);
    # 16-20 and 23 are Spring Festival holidays
    days = calendar.working_days_in(2026, 2)
    assert len(days) == 5 + 5 + 1 + 4 + 1
    assert date(2026, 2, 14) in days and date(2026, 2, 23) not in days
