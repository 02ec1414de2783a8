"""Drawing teams (RULES.md §1): at random among supervisors in term, never one employed by
the target unit, its parent or its children; load spread evenly; not the same supervisor
on the same unit in consecutive rounds; the office's overrides keep their reason."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditRecord
from core.testing import make_unit
from inspections import services
from inspections.assignment import conflicting_units
from inspections.choices import AssignmentSource, InspectionMode, RoundKind
from inspections.models import TaskAssignment
from inspections.tests.helpers import at, make_supervisor
from org.models import Unit
from supervisors.choices import SupervisorStatus
from supervisors.selectors import conflicted_units_q

pytestmark = pytest.mark.django_db


def new_task(insp, units, day=5, hour=9, batch=None):
    return services.task_create(
        actor=insp.office,
        batch=batch or insp.batch,
        units=units,
        mode=InspectionMode.COVERT,
        window_start=at(2026, 3, day, hour),
        window_end=at(2026, 3, day, hour + 2),
    )


def test_conflict_of_interest_is_the_employer_its_parent_and_its_children(insp):
    world = insp.world
    by_window = make_supervisor(world.window_a)  # employed by a window of A
    by_a = make_supervisor(world.unit_a)  # employed by department A
    by_b = make_supervisor(world.unit_b)
    assert conflicting_units(by_window, [world.unit_a]) == [world.unit_a]  # its parent
    assert conflicting_units(by_window, [world.window_a]) == [world.window_a]  # its employer
    assert conflicting_units(by_window, [world.division_a]) == []  # a sibling division: allowed
    assert conflicting_units(by_a, [world.window_a, world.division_a]) == [world.window_a, world.division_a]  # its children
    assert conflicting_units(by_b, [world.unit_a, world.window_a]) == []
    # the same rule as the roster's own query
    for supervisor in (by_window, by_a, by_b):
        expected = set(Unit.objects.filter(conflicted_units_q(supervisor)).values_list("pk", flat=True))
        assert {u.pk for u in conflicting_units(supervisor, Unit.objects.all())} == expected


def test_the_draw_never_picks_a_conflicted_supervisor(insp):
    world = insp.world
    conflicted = [make_supervisor(world.unit_a), make_supervisor(world.window_a)]  # the window's parent, the window
    sibling = make_supervisor(world.division_a)  # a sibling division of the window: allowed
    drawn = set()
    for seed in range(10):
        task = new_task(insp, [world.window_a], day=4, hour=8 + seed % 8)
        result = services.task_assign(actor=insp.office, task=task, rng=random.Random(seed))
        chosen = {a.supervisor_id for a in result.assignments}
        assert len(chosen) == 2
        assert not chosen & {s.pk for s in conflicted}
        drawn |= chosen
        services.task_cancel(actor=insp.office, task=task, reason="测试")
    assert sibling.pk in drawn  # the draw is random among all who may go


def test_too_few_supervisors_without_conflict_refuses_the_draw(insp):
    world = insp.world
    task = new_task(insp, [world.unit_a])  # sup3 (A's division) and a supervisor of A conflict
    make_supervisor(world.unit_a)
    for supervisor in (insp.sup1, insp.sup2):
        supervisor.status = SupervisorStatus.SUSPENDED
        supervisor.save()
    with pytest.raises(ValidationError) as exc:
        services.task_assign(actor=insp.office, task=task, rng=random.Random(1))
    assert "还差 2 人" in exc.value.messages[0]
    assert not TaskAssignment.objects.filter(task=task).exists()


def test_the_office_cannot_override_a_conflict_of_interest(insp):
    world = insp.world
    task = new_task(insp, [world.unit_a])
    with pytest.raises(ValidationError) as exc:
        services.task_team_set(actor=insp.office, task=task, supervisors=[insp.sup1, insp.sup3], reason="熟悉业务")
    assert exc.value.message_dict["supervisors"] == ["郑家明的工作单位是甲局一科，与检查对象“甲局”存在回避关系（本单位及其上下级单位）。"]
    assert not TaskAssignment.objects.filter(task=task).exists()


def test_an_override_keeps_its_reason(insp):
    world = insp.world
    extra = make_supervisor(world.unit_b, name="林一")
    task = new_task(insp, [world.unit_a])
    services.task_assign(actor=insp.office, task=task, rng=random.Random(3))
    auto = set(task.assignments.values_list("supervisor_id", flat=True))
    keep = task.assignments.first().supervisor
    with pytest.raises(ValidationError) as exc:
        services.task_team_set(
            actor=insp.office, task=task, supervisors=[keep, *[s for s in (extra, insp.sup1, insp.sup2) if s.pk not in auto][:1]], reason=""
        )
    assert exc.value.message_dict["reason"] == ["请填写人工调整的理由。"]
    newcomer = next(s for s in (extra, insp.sup1, insp.sup2) if s.pk not in auto)
    services.task_team_set(actor=insp.office, task=task, supervisors=[keep, newcomer], reason="熟悉窗口业务")
    manual = task.assignments.get(supervisor=newcomer)
    assert manual.source == AssignmentSource.MANUAL and manual.override_reason == "熟悉窗口业务"
    assert task.assignments.get(supervisor=keep).source == AssignmentSource.AUTO
    record = AuditRecord.objects.filter(action="inspections.task.team_override", object_id=str(task.pk)).get()
    assert record.detail["reason"] == "熟悉窗口业务" and record.detail["added"] == [newcomer.pk]


def test_load_is_spread_evenly(insp):
    world = insp.world
    unit_c = make_unit("丙局", code="C")
    for i in range(4):
        make_supervisor(unit_c, name=f"丙{i}")
    # sup1, sup2 already have one task in this round; the four of unit C none; sup3 (A's
    # division) may visit unit B only
    tasks = [new_task(insp, [world.window_a if i % 2 else world.unit_b], day=4, hour=8 + 2 * i) for i in range(3)]
    for i, task in enumerate(tasks):
        services.task_assign(actor=insp.office, task=task, rng=random.Random(i))
    counts = {}
    for assignment in TaskAssignment.objects.filter(task__round=insp.round):
        counts[assignment.supervisor_id] = counts.get(assignment.supervisor_id, 0) + 1
    # 8 assignments, 7 supervisors: the six without one this round get one before anyone
    # gets a second
    assert sorted(counts.values()) == [1, 1, 1, 1, 1, 1, 2]


def test_busy_supervisors_are_not_drawn_for_the_same_time(insp):
    world = insp.world
    task = new_task(insp, [world.unit_b], day=3, hour=9)  # overlaps insp.task (sup1, sup2)
    make_supervisor(world.unit_a, name="甲")
    make_supervisor(world.unit_a, name="乙")
    result = services.task_assign(actor=insp.office, task=task, rng=random.Random(5))
    chosen = {a.supervisor_id for a in result.assignments}
    assert not chosen & {insp.sup1.pk, insp.sup2.pk}
    with pytest.raises(ValidationError) as exc:
        services.task_team_set(
            actor=insp.office, task=new_task(insp, [world.unit_b], day=3, hour=10), supervisors=[insp.sup1, insp.sup3], reason="x"
        )
    assert "周立新在同一时段已有其他任务。" in exc.value.message_dict["supervisors"]


def test_the_same_supervisor_does_not_visit_the_same_unit_in_consecutive_rounds(insp, clock):
    world, office = insp.world, insp.office
    others = [make_supervisor(world.unit_b, name=f"候补{i}") for i in range(2)]
    april = services.round_create(actor=office, kind=RoundKind.REGULAR, month=date(2026, 4, 1), scope=[world.unit_a, world.unit_b])
    batch = services.batch_create(actor=office, round_=april, start_date=date(2026, 4, 6), end_date=date(2026, 4, 10))
    # March: sup1 and sup2 visited unit A's window; in April, A's division: the same department
    task = services.task_create(
        actor=office,
        batch=batch,
        units=[world.division_a],
        mode=InspectionMode.OPEN,
        window_start=at(2026, 4, 7),
        window_end=at(2026, 4, 7, 11),
    )
    for seed in range(8):
        result = services.task_assign(actor=office, task=task, rng=random.Random(seed))
        assert {a.supervisor_id for a in result.assignments} == {s.pk for s in others}
        assert result.notes == []
        TaskAssignment.objects.filter(task=task).delete()
    # with only one newcomer free, the rule gives way, and the office is told
    others[1].status = SupervisorStatus.ENDED
    others[1].save()
    result = services.task_assign(actor=office, task=task, rng=random.Random(0))
    chosen = {a.supervisor_id for a in result.assignments}
    assert others[0].pk in chosen and len(chosen) == 2
    assert "不连续检查同一单位" in result.notes[0]


def test_the_rule_follows_the_policy(insp, clock):
    from inspections.tests.test_planning import publish_policy

    world, office = insp.world, insp.office
    publish_policy(office, clock, avoid_consecutive_rounds=False)
    april = services.round_create(actor=office, kind=RoundKind.REGULAR, month=date(2026, 4, 1), scope=[world.unit_a])
    batch = services.batch_create(actor=office, round_=april, start_date=date(2026, 4, 6), end_date=date(2026, 4, 10))
    task = services.task_create(
        actor=office,
        batch=batch,
        units=[world.division_a],
        mode=InspectionMode.OPEN,
        window_start=at(2026, 4, 7),
        window_end=at(2026, 4, 7, 11),
    )
    result = services.task_assign(actor=office, task=task, rng=random.Random(0))
    assert {a.supervisor_id for a in result.assignments} == {insp.sup1.pk, insp.sup2.pk}
    assert result.notes == []


def test_a_declined_member_is_replaced_and_the_decline_stays_on_record(insp):
    world = insp.world
    spare = make_supervisor(world.unit_b, name="替补")
    mine = insp.task.assignments.get(supervisor=insp.sup2)
    services.assignment_decline(actor=mine.supervisor.user, assignment=mine, reason="临时出差")
    with pytest.raises(ValidationError):
        services.assignment_replace(actor=insp.office, assignment=insp.task.assignments.get(supervisor=insp.sup1))
    new = services.assignment_replace(actor=insp.office, assignment=mine, rng=random.Random(2))
    assert new.supervisor == spare and new.source == AssignmentSource.AUTO
    assert insp.task.assignments.count() == 3  # the declined assignment stays: it was dispatched
    # a new unit with no eligible newcomer: the office names someone, with a reason
    outsider = make_unit("丙局", code="C")
    named = make_supervisor(outsider, name="指定人")
    services.assignment_decline(actor=insp.world.supervisor, assignment=insp.task.assignments.get(supervisor=insp.sup1), reason="生病")
    with pytest.raises(ValidationError) as exc:
        services.assignment_replace(actor=insp.office, assignment=insp.task.assignments.get(supervisor=insp.sup1), supervisor=named)
    assert exc.value.message_dict["reason"] == ["请填写人工指定的理由。"]
    replaced = services.assignment_replace(
        actor=insp.office, assignment=insp.task.assignments.get(supervisor=insp.sup1), supervisor=named, reason="熟悉该窗口"
    )
    assert replaced.override_reason == "熟悉该窗口" and replaced.source == AssignmentSource.MANUAL


def test_replacing_a_member_before_dispatch_draws_someone_else(insp):
    unit_c = make_unit("丙局", code="C")
    x, y = make_supervisor(unit_c, name="丙甲"), make_supervisor(unit_c, name="丙乙")
    task = new_task(insp, [insp.world.unit_b])  # sup1, sup2 work for B: only sup3, x, y may go
    services.task_team_set(actor=insp.office, task=task, supervisors=[insp.sup3, x], reason="测试")
    for seed in range(5):
        member = task.assignments.get(supervisor=insp.sup3) if seed == 0 else task.assignments.exclude(supervisor=x).get()
        new = services.assignment_replace(actor=insp.office, assignment=member, rng=random.Random(seed))
        assert new.supervisor != member.supervisor and task.assignments.count() == 2
    assert {a.supervisor_id for a in task.assignments.all()} <= {insp.sup3.pk, x.pk, y.pk}
