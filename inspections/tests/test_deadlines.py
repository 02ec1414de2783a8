"""The periodic check of deadlines: a reminder within the policy's ``remind_days_before``
working days of a verification or rectification deadline, and an overdue flag to the unit
and the office the day after — each once per deadline. Overdue steps show on the office's
and the unit's home pages."""

from __future__ import annotations

from datetime import date

import pytest

from core import periodic
from core.models import AuditRecord, Notification
from core.testing import client_for
from inspections import services, tasks
from inspections.tests.helpers import at, fed_back_finding

pytestmark = pytest.mark.django_db


def notes(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind).values_list("title", flat=True))


def test_the_check_is_registered_as_periodic_work():
    assert periodic.entries()["inspections-deadlines"].task == "inspections.tasks.check_deadlines"


def test_reminded_once_before_and_flagged_once_after(insp, clock):
    world = insp.world
    finding = fed_back_finding(insp)  # verify by Tuesday 2026-03-10
    clock.set(at(2026, 3, 6, 8))  # Friday: 2 working days left
    assert tasks.check_deadlines() == {"reminded": 0, "overdue": 0}
    clock.set(at(2026, 3, 9, 8))  # Monday: 1 working day left
    assert tasks.check_deadlines() == {"reminded": 1, "overdue": 0}
    assert tasks.check_deadlines() == {"reminded": 0, "overdue": 0}
    assert notes(world.liaison_a, "inspections.deadline_reminder") == [f"问题{finding.reference}的核查将于2026年3月10日到期"]
    clock.set(at(2026, 3, 11, 8))
    assert tasks.check_deadlines() == {"reminded": 0, "overdue": 1}
    assert tasks.check_deadlines() == {"reminded": 0, "overdue": 0}
    assert notes(world.liaison_a, "inspections.deadline_overdue") == [f"问题{finding.reference}核查已逾期（期限2026年3月10日）"]
    assert notes(world.office, "inspections.deadline_overdue") == [f"甲局窗口：问题{finding.reference}核查已逾期（期限2026年3月10日）"]
    assert not Notification.objects.filter(recipient=world.liaison_b).exists()
    assert AuditRecord.objects.filter(action="inspections.finding.overdue", object_id=str(finding.pk)).count() == 1
    # a new deadline is reminded and flagged anew
    services.finding_deadline_set(actor=world.office, finding=finding, new_due=date(2026, 3, 13), reason="延期")
    clock.set(at(2026, 3, 12, 8))
    assert tasks.check_deadlines() == {"reminded": 1, "overdue": 0}
    clock.set(at(2026, 3, 16, 8))
    assert tasks.check_deadlines() == {"reminded": 0, "overdue": 1}


def test_rectification_deadlines_too_and_nothing_for_closed_findings(insp, clock):
    finding = fed_back_finding(insp)
    services.finding_verify(actor=insp.world.liaison_a, finding=finding, verdict="true", explanation="属实")  # rectify by 3/17
    other = fed_back_finding(insp, description="另一问题")
    services.finding_verify(actor=insp.world.liaison_a, finding=other, verdict="untrue", explanation="不属实")
    services.finding_untrue_accept(actor=insp.office, finding=other)
    clock.set(at(2026, 3, 16, 8))
    assert tasks.check_deadlines() == {"reminded": 1, "overdue": 0}
    assert notes(insp.world.liaison_a, "inspections.deadline_reminder") == [f"问题{finding.reference}的整改将于2026年3月17日到期"]
    clock.set(at(2026, 3, 18, 8))
    assert tasks.check_deadlines() == {"reminded": 0, "overdue": 1}


def _unit_panel(page: str) -> str:
    """The inspections panel of a unit's home page (other modules' panels have their own words)."""
    return page.split('data-testid="inspections-unit-panel"', 1)[1].split("</section>", 1)[0]


def test_overdue_steps_show_on_the_home_pages(insp, clock):
    finding = fed_back_finding(insp)
    clock.set(at(2026, 3, 9, 10))
    page = _unit_panel(client_for(insp.world.liaison_a).get("/").content.decode())
    assert finding.reference in page and "已逾期" not in page
    clock.set(at(2026, 3, 11, 10))
    unit_page = client_for(insp.world.liaison_a).get("/").content.decode()
    assert 'data-testid="inspections-unit-panel"' in unit_page and "1 个问题已逾期" in unit_page
    office_page = client_for(insp.office).get("/").content.decode()
    assert 'data-testid="office-overdue">1<' in office_page
    detail = client_for(insp.world.liaison_a).get(f"/inspections/findings/{finding.pk}/").content.decode()
    assert 'data-testid="overdue"' in detail
    other_unit = client_for(insp.world.liaison_b).get("/").content.decode()
    assert "没有待核查或待整改的问题。" in other_unit and finding.reference not in other_unit


def test_the_supervisor_home_shows_upcoming_tasks(insp, clock):
    clock.set(at(2026, 3, 2, 18))
    page = client_for(insp.world.supervisor).get("/").content.decode()
    assert 'data-testid="inspections-supervisor-panel"' in page and "甲局窗口" in page
    assert 'data-testid="inspections-supervisor-panel"' not in client_for(insp.office).get("/").content.decode()
