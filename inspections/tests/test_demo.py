"""The demo city's inspections reproduce seed 000's 2025 figures from their own records,
have findings in every state, give the demo accounts something to do, and a second run
changes nothing."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from inspections import selectors
from inspections.assignment import conflicting_units
from inspections.choices import FindingStatus
from inspections.figures import Dataset, Period
from inspections.models import Circular, Evidence, Finding, InspectionRound, InspectionTask, TaskAssignment
from inspections.tests.helpers import at

pytestmark = pytest.mark.django_db


def counts() -> list[int]:
    return [m.objects.count() for m in (InspectionRound, InspectionTask, TaskAssignment, Finding, Evidence, Circular)]


def test_the_demo_reproduces_seed_000(clock):
    clock.set(at(2026, 6, 17, 10))  # a Wednesday in June 2026
    out = StringIO()
    call_command("seed_demo", "--quiet", stdout=out)
    assert "出勤率 87.63%（262/299）" in out.getvalue() and "线索反馈率 76.47%（104/136）" in out.getvalue()
    fig = Dataset.load(Period(year=2025)).figures()
    assert (fig.rounds, fig.special_rounds) == (11, 8)
    assert fig.attendance.percent == Decimal("87.63") and fig.lead_feedback.percent == Decimal("76.47")
    assert set(Finding.objects.values_list("status", flat=True)) == set(FindingStatus.values)
    # nobody inspected the unit that employs them, its parent or its children
    for assignment in TaskAssignment.objects.select_related("supervisor__employer", "task").prefetch_related("task__units"):
        assert not conflicting_units(assignment.supervisor, list(assignment.task.units.all()))
    # the phone pages have tasks this month; the liaison of G10 has a finding to verify
    upcoming = selectors.my_tasks(User.objects.get(username="supervisor"))["upcoming"]
    assert upcoming and all(a.task.window_start.month == 6 for a in upcoming)
    liaison = User.objects.get(username="liaison")
    open_findings = selectors.finding_list(liaison).filter(status=FindingStatus.FED_BACK)
    assert any(f.verify_due >= clock.now.date() for f in open_findings)
    assert any(f.is_overdue() for f in selectors.finding_list(liaison))
    assert Circular.objects.filter(status="published").count() == 2
    verify = StringIO()
    call_command("evidence_verify", stdout=verify)
    assert "全部与登记的 SHA-256 一致" in verify.getvalue()
    before = counts()
    call_command("seed_demo", "--quiet", stdout=StringIO())
    assert counts() == before
