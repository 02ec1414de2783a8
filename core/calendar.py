"""Working days of the Chinese calendar — the only way the platform counts deadlines.

Sources, in order: the office's own table (``CalendarDay``, which always wins for its
dates; ``CalendarYear`` marks a year the office entered in full), then the
``chinesecalendar`` library (statutory holidays and adjusted working weekends as the
State Council publishes them each November). A year that neither knows is refused with
``CalendarUnknownYear`` — never a silent Monday-to-Friday guess.

Counting follows 民法典: the day of receipt is not counted (第201条), and a deadline that
would fall on a holiday moves to the next working day (第203条); counting in working days
satisfies 第203条 by construction, ``deadline_in_calendar_days`` applies it explicitly.
"""

from __future__ import annotations

import threading
import time as clock
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import chinese_calendar
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

_VERSION_KEY = "core:calendar:version"


class CalendarUnknownYear(Exception):
    """The platform does not know the holidays of this year."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            _(
                "无法计算工作日：系统尚未掌握%(year)s年的节假日和调休安排。"
                "请效能办在“工作日历”中录入%(year)s年的全部节假日和调休上班日并确认该年度。"
            )
            % {"year": year}
        )


@dataclass(frozen=True)
class _YearTable:
    off: frozenset[date] | None  # the year's days off, or None if nobody knows the year


def _year_off_days(year: int, holidays: frozenset[date], workdays: frozenset[date], complete: bool) -> frozenset[date] | None:
    off = set()
    day = date(year, 1, 1)
    while day.year == year:
        if day in holidays:
            off.add(day)
        elif day in workdays:
            pass
        elif complete:
            if day.weekday() >= 5:
                off.add(day)
        else:
            try:
                if not chinese_calendar.is_workday(day):
                    off.add(day)
            except NotImplementedError:
                return None
        day += timedelta(days=1)
    return frozenset(off)


class _Tables:
    """Per-process cache of the office table, refreshed when its version changes."""

    # how long this process trusts its copy before asking the shared cache for the version
    RECHECK_SECONDS = 1.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: object = None
        self._checked = -1e9
        self._years: dict[int, _YearTable] = {}

    def get(self, year: int) -> _YearTable:
        now = clock.monotonic()
        if now - self._checked > self.RECHECK_SECONDS:
            version = cache.get(_VERSION_KEY, 0)
            with self._lock:
                self._checked = now
                if version != self._version:
                    self._years = {}
                    self._version = version
        with self._lock:
            table = self._years.get(year)
        if table is None:
            table = self._load(year)
            with self._lock:
                self._years[year] = table
        return table

    @staticmethod
    def _load(year: int) -> _YearTable:
        from core.models import CalendarDay, CalendarDayKind, CalendarYear

        days = CalendarDay.objects.filter(date__year=year).values_list("date", "kind")
        holidays = frozenset(d for d, k in days if k == CalendarDayKind.HOLIDAY)
        workdays = frozenset(d for d, k in days if k == CalendarDayKind.WORKDAY)
        complete = CalendarYear.objects.filter(year=year).exists()
        return _YearTable(_year_off_days(year, holidays, workdays, complete))


_tables = _Tables()


def reset_cache() -> None:
    """Forget this process's copy of the office table (tests)."""
    global _tables
    _tables = _Tables()


def invalidate() -> None:
    """Call after any change to the office's table (the services do). Other processes see
    the change within ``_Tables.RECHECK_SECONDS``."""
    reset_cache()
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, None)


def library_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def is_working_day(day: date) -> bool:
    """Whether ``day`` is a working day. Raises CalendarUnknownYear for an unknown year."""
    if isinstance(day, datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    off = _tables.get(day.year).off
    if off is None:
        raise CalendarUnknownYear(day.year)
    return day not in off


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def next_working_day(day: date, *, include_today: bool = False) -> date:
    current = day if include_today else day + timedelta(days=1)
    while not is_working_day(current):
        current += timedelta(days=1)
    return current


def add_working_days(start: date | datetime, days: int) -> date:
    """The ``days``-th working day after ``start`` (the start day itself is not counted).

    ``add_working_days(d, 0)`` is ``d`` itself if it is a working day, else the next one.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    current = _as_date(start)
    if days == 0:
        return current if is_working_day(current) else next_working_day(current)
    counted = 0
    while counted < days:
        current += timedelta(days=1)
        if is_working_day(current):
            counted += 1
    return current


def working_days_between(start: date | datetime, end: date | datetime) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if end <= start);
    the inverse of ``add_working_days``."""
    first, last = _as_date(start), _as_date(end)
    if last <= first:
        return -working_days_between(last, first) if last < first else 0
    count = 0
    current = first
    while current < last:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def deadline_in_calendar_days(start: date | datetime, days: int) -> date:
    """A limit stated in natural days: ``start`` + ``days``, moved to the next working day
    when it falls on a holiday (民法典 第203条)."""
    end = _as_date(start) + timedelta(days=days)
    return end if is_working_day(end) else next_working_day(end)


def working_days_in(year: int, month: int | None = None) -> list[date]:
    first = date(year, month or 1, 1)
    last = (date(year + (month or 12) // 12, (month or 12) % 12 + 1, 1) - timedelta(days=1)) if month else date(year, 12, 31)
    out = []
    current = first
    while current <= last:
        if is_working_day(current):
            out.append(current)
        current += timedelta(days=1)
    return out


# --- working hours ----------------------------------------------------------------------
def _periods(spec: Iterable[tuple[str, str]]) -> list[tuple[time, time]]:
    return [(time.fromisoformat(a), time.fromisoformat(b)) for a, b in spec]


def add_working_hours(start: datetime, hours: float, periods: Iterable[tuple[str, str]]) -> datetime:
    """The moment ``hours`` of office time after ``start``, counting only the office's
    working periods (e.g. 08:30–12:00 and 14:00–17:30) on working days."""
    spans = _periods(periods)
    tz = timezone.get_current_timezone()
    moment = timezone.localtime(start, tz)
    remaining = timedelta(hours=hours)
    day = moment.date()
    while True:
        if is_working_day(day):
            for begin, end in spans:
                span_start = datetime.combine(day, begin, tz)
                span_end = datetime.combine(day, end, tz)
                if moment >= span_end:
                    continue
                cursor = max(moment, span_start)
                available = span_end - cursor
                if remaining <= available:
                    return cursor + remaining
                remaining -= available
                moment = span_end
        day += timedelta(days=1)
        moment = datetime.combine(day, time.min, tz)
