"""In the field: a supervisor sees only their own tasks, accepts or declines with a reason,
marks arrival (on the task's days), records findings, or reports "no problem found" —
which counts as attended."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from core.models import Notification
from core.testing import client_for
from inspections import services
from inspections.choices import AssignmentStatus, FindingStatus
from inspections.models import Finding
from inspections.tests.helpers import at, submitted_finding

pytestmark = pytest.mark.django_db


def mine(insp, supervisor=None):
    return insp.task.assignments.get(supervisor=supervisor or insp.sup1)


def test_supervisors_are_told_of_a_dispatched_task_without_the_unit_in_the_message(insp):
    note = Notification.objects.get(recipient=insp.world.supervisor, kind="inspections.task_dispatched")
    assert note.title == "您有新的检查任务（3月3日 09:00），请登录查看并确认"
    assert "甲局" not in note.title + note.body  # an SMS may be read over a shoulder


def test_accept_then_arrive_counts_as_attended(insp):
    assignment = services.assignment_accept(actor=insp.world.supervisor, assignment=mine(insp))
    assert assignment.status == AssignmentStatus.ACCEPTED
    assignment = services.assignment_arrive(actor=insp.world.supervisor, assignment=assignment)
    assert assignment.status == AssignmentStatus.ARRIVED and assignment.attended
    with pytest.raises(ValidationError) as exc:
        services.assignment_decline(actor=insp.world.supervisor, assignment=assignment, reason="有事")
    assert exc.value.messages == ["已到达或已报告的任务不能再拒绝。"]


def test_arrival_only_on_the_days_of_the_task(insp, clock):
    clock.set(at(2026, 3, 2, 17))
    with pytest.raises(ValidationError) as exc:
        services.assignment_arrive(actor=insp.world.supervisor, assignment=mine(insp))
    assert exc.value.messages == ["任务尚未开始（2026年3月3日），不能登记到达。"]
    clock.set(at(2026, 3, 4, 8))
    with pytest.raises(ValidationError) as exc:
        services.assignment_arrive(actor=insp.world.supervisor, assignment=mine(insp))
    assert "任务时间已过" in exc.value.messages[0]
    assert mine(insp).arrived_at is None


def test_decline_needs_a_reason_and_tells_the_office(insp):
    with pytest.raises(ValidationError) as exc:
        services.assignment_decline(actor=insp.world.supervisor, assignment=mine(insp), reason="  ")
    assert exc.value.message_dict["reason"] == ["请填写拒绝理由。"]
    assert mine(insp).status == AssignmentStatus.PENDING
    services.assignment_decline(actor=insp.world.supervisor, assignment=mine(insp), reason="单位临时加班")
    assignment = mine(insp)
    assert assignment.status == AssignmentStatus.DECLINED and assignment.decline_reason == "单位临时加班"
    note = Notification.objects.get(recipient=insp.office, kind="inspections.assignment_declined")
    assert "周立新" in note.title and note.body == "单位临时加班"


def test_no_problem_found_counts_as_attended(insp):
    assignment = services.assignment_report_no_problem(actor=insp.world.supervisor, assignment=mine(insp))
    assert assignment.status == AssignmentStatus.REPORTED and assignment.no_problem and assignment.attended
    with pytest.raises(ValidationError):
        services.assignment_report_no_problem(actor=insp.world.supervisor, assignment=assignment)


def test_no_problem_is_refused_once_a_finding_was_submitted(insp):
    submitted_finding(insp)
    with pytest.raises(ValidationError) as exc:
        services.assignment_report_no_problem(actor=insp.world.supervisor, assignment=mine(insp))
    assert exc.value.messages == ["您已就本任务提交了问题线索。"]


def test_starting_a_finding_marks_arrival_and_submitting_reports(insp):
    finding = services.finding_start(actor=insp.world.supervisor, task=insp.task)
    assert finding.status == FindingStatus.DRAFT and mine(insp).attended
    assert finding.unit == insp.world.window_a and finding.item_code == "punctuality"
    submitted_finding(insp)
    assert mine(insp).status == AssignmentStatus.REPORTED


def test_a_finding_cannot_start_on_a_task_without_units(insp):
    insp.task.units.clear()  # services never leave a task without units; the data could
    with pytest.raises(ValidationError) as exc:
        services.finding_start(actor=insp.world.supervisor, task=insp.task)
    assert exc.value.messages == ["该任务没有检查对象。"]
    assert not Finding.objects.exists() and not mine(insp).attended


def test_a_supervisor_cannot_act_on_another_supervisors_assignment_or_task(insp):
    other = mine(insp, insp.sup2)
    with pytest.raises(ValidationError) as exc:
        services.assignment_accept(actor=insp.world.supervisor, assignment=other)
    assert exc.value.messages == ["这不是派给您的任务。"]
    with pytest.raises(ValidationError):
        services.finding_start(actor=insp.sup3.user, task=insp.task)
    assert not Finding.objects.filter(recorded_by=insp.sup3).exists()
    # and through the pages: the task of another supervisor does not exist for them (404)
    response = client_for(insp.sup3.user).get(f"/inspections/tasks/{insp.task.pk}/")
    assert response.status_code == 404
    assert "甲局窗口" not in response.content.decode()
    response = client_for(insp.sup3.user).post(f"/inspections/tasks/{insp.task.pk}/respond/", {"action": "accept"})
    assert response.status_code == 404
    assert other.status == AssignmentStatus.PENDING


def test_a_task_is_invisible_to_its_team_until_dispatched(insp):
    from inspections.choices import InspectionMode

    task = services.task_create(
        actor=insp.office,
        batch=insp.batch,
        units=[insp.world.window_a],
        mode=InspectionMode.OPEN,
        window_start=at(2026, 3, 5),
        window_end=at(2026, 3, 5, 11),
    )
    services.task_team_set(actor=insp.office, task=task, supervisors=[insp.sup3, insp.sup1], reason="测试")
    assert client_for(insp.world.supervisor).get(f"/inspections/tasks/{task.pk}/").status_code == 404
    services.task_dispatch(actor=insp.office, task=task)
    assert client_for(insp.world.supervisor).get(f"/inspections/tasks/{task.pk}/").status_code == 200


def test_my_tasks_lists_upcoming_and_past(insp, clock):
    page = client_for(insp.world.supervisor).get("/inspections/my/")
    assert page.status_code == 200 and "甲局窗口" in page.content.decode()
    assert len(page.context["upcoming"]) == 1
    clock.set(at(2026, 3, 10))
    page = client_for(insp.world.supervisor).get("/inspections/my/")
    assert page.context["upcoming"] == [] and len(page.context["past"]) == 1
