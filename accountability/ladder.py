"""The rules of RULES.md §5 as plain functions of the policy's parameters
(``core.policy_schema.AccountabilitySection``): which assessment year a day belongs to,
the rolling window for dismissal, the ladder step for a count, and the apology a unit's
charge calls for. No number here is the platform's: every one is the policy's.
"""

from __future__ import annotations

import calendar as month_calendar
from dataclasses import dataclass
from datetime import date, timedelta

from accountability.choices import ApologyKind, ChargeSource, Rule
from core.policy_schema import AccountabilitySection


def assessment_year(day: date, start_month: int) -> int:
    """The assessment year ``day`` belongs to. With ``start_month`` 1 it is the calendar
    year; otherwise a year runs from ``start_month`` to the month before and is named by
    the calendar year in which it ends (start 12: 2025-12-01 … 2026-11-30 is 2026)."""
    if start_month > 1 and day.month >= start_month:
        return day.year + 1
    return day.year


def year_bounds(year: int, start_month: int) -> tuple[date, date]:
    """The first and last day of an assessment year."""
    if start_month == 1:
        return date(year, 1, 1), date(year, 12, 31)
    return date(year - 1, start_month, 1), date(year, start_month, 1) - timedelta(days=1)


def months_before(day: date, months: int) -> date:
    """The same day ``months`` months earlier; the last day of that month if it is shorter
    (2026-08-31 minus 6 months is 2026-02-28)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


def months_after(day: date, months: int) -> date:
    return months_before(day, -months)


def window_start(day: date, months: int) -> date:
    """The first day of the rolling window that ends on ``day``. A period counted in
    months ends on the corresponding day (民法典 第202条), so "within 24 months" of a
    complaint judged on 2026-03-01 reaches back to 2024-03-01 inclusive."""
    return months_before(day, months)


@dataclass(frozen=True)
class LadderResult:
    rule: str
    measures: list[str]


def ladder_for(policy: AccountabilitySection, year_count: int, window_count: int) -> LadderResult | None:
    """What the first-responsibility ladder gives a person whose valid complaints number
    ``year_count`` in the assessment year and ``window_count`` in the rolling window:
    dismissal once the window reaches ``dismissal_count``; otherwise the highest step
    whose count the year has reached (a fifth complaint in one year stays on the top step
    unless it is also the fifth in the window). None below the first step."""
    if window_count >= policy.dismissal_count:
        return LadderResult(Rule.DISMISSAL, list(policy.dismissal_measures))
    reached = [step for step in policy.ladder if step.count <= year_count]
    if not reached:
        return None
    return LadderResult(Rule.LADDER, list(reached[-1].measures))


def apology_for_complaint(policy: AccountabilitySection, position: int) -> str | None:
    """The apology the ``position``-th valid complaint of a unit's assessment year calls
    for: public from ``public_apology_count`` on, direct from ``direct_apology_count``
    on, none before."""
    if position >= policy.public_apology_count:
        return ApologyKind.PUBLIC
    if position >= policy.direct_apology_count:
        return ApologyKind.DIRECT
    return None


def apology_for_trigger(policy: AccountabilitySection, source: str, units_involved: int) -> str | None:
    """The apology a criticism, an exposure, or a violation found by inspections or
    electronic supervision calls for, if the policy lists it among the public-apology
    triggers: public, or joint when several units are involved."""
    if source == ChargeSource.COMPLAINT or source not in policy.public_apology_triggers:
        return None
    return ApologyKind.JOINT if units_involved > 1 else ApologyKind.PUBLIC
