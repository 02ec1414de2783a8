"""Planning (RULES.md §1): a round each month (regular or special with a theme), batches
of a week inside it, tasks with targets in scope, a mode, a time window and a team of at
least the policy's minimum size."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core import services as core_services
from core.models import AuditRecord
from core.selectors import policy_version_for
from inspections import services
from inspections.choices import InspectionMode, RoundKind
from inspections.models import InspectionBatch, InspectionRound, InspectionTask
from inspections.tests.helpers import at

pytestmark = pytest.mark.django_db


def publish_policy(actor, clock, **inspections):
    """A new version of the current policy with some inspections parameters changed, in force today."""
    version = policy_version_for()
    draft = core_services.policy_draft_create(actor=actor, source=version)
    document = dict(draft.document)
    document["inspections"] = {**document["inspections"], **inspections}
    core_services.policy_draft_update(actor=actor, version=draft, document=document, note="测试")
    return core_services.policy_publish(actor=actor, version=draft, effective_from=clock.now.date())


def test_a_regular_round_takes_its_checklist_from_the_policy_and_records_the_version(insp):
    round_ = insp.round
    version = policy_version_for()
    assert round_.policy_version == version
    assert [i["code"] for i in round_.checklist][:3] == ["punctuality", "on_post", "conduct"]
    assert len(round_.checklist) == 14
    assert round_.title == "2026年3月常态暗访"
    assert AuditRecord.objects.filter(action="inspections.round.create", object_id=str(round_.pk)).exists()


def test_one_regular_round_a_month_but_special_rounds_as_needed(insp):
    world = insp.world
    with pytest.raises(ValidationError) as exc:
        services.round_create(actor=world.office, kind=RoundKind.REGULAR, month=date(2026, 3, 15), scope=[world.unit_a])
    assert "已有常态暗访轮次" in exc.value.message_dict["month"][0]
    special = services.round_create(
        actor=world.office,
        kind=RoundKind.SPECIAL,
        month=date(2026, 3, 1),
        scope=[world.unit_a],
        theme="拎早点上班",
        checklist_codes=["conduct"],
    )
    assert special.title == "2026年3月专项暗访：拎早点上班"
    assert [i["code"] for i in special.checklist] == ["conduct"]
    assert InspectionRound.objects.filter(month=date(2026, 3, 1)).count() == 2


def test_a_special_round_needs_a_theme_and_every_round_a_scope(insp):
    world = insp.world
    with pytest.raises(ValidationError) as exc:
        services.round_create(actor=world.office, kind=RoundKind.SPECIAL, month=date(2026, 4, 1), scope=[world.unit_a])
    assert exc.value.message_dict["theme"] == ["请填写专项主题。"]
    with pytest.raises(ValidationError) as exc:
        services.round_create(actor=world.office, kind=RoundKind.REGULAR, month=date(2026, 4, 1), scope=[])
    assert "请选择检查范围" in exc.value.message_dict["scope"][0]
    with pytest.raises(ValidationError) as exc:
        services.round_create(
            actor=world.office, kind=RoundKind.REGULAR, month=date(2026, 4, 1), scope=[world.unit_a], checklist_codes=["nope"]
        )
    assert "nope" in exc.value.message_dict["checklist"][0]
    assert InspectionRound.objects.count() == 1


def test_batches_are_weeks_inside_the_rounds_month_numbered_in_order(insp):
    office = insp.office
    second = services.batch_create(actor=office, round_=insp.round, start_date=date(2026, 3, 9), end_date=date(2026, 3, 13))
    assert (insp.batch.number, second.number) == (1, 2)
    with pytest.raises(ValidationError) as exc:
        services.batch_create(actor=office, round_=insp.round, start_date=date(2026, 4, 6), end_date=date(2026, 4, 10))
    assert "2026年3月" in exc.value.message_dict["start_date"][0]
    with pytest.raises(ValidationError) as exc:
        services.batch_create(actor=office, round_=insp.round, start_date=date(2026, 3, 16), end_date=date(2026, 3, 27))
    assert exc.value.message_dict["end_date"] == ["一个批次最长一周（7天）。"]
    assert InspectionBatch.objects.filter(round=insp.round).count() == 2


def test_task_targets_must_be_in_scope_and_its_window_in_the_batch(insp):
    world, office = insp.world, insp.office
    outsider = services.round_create(actor=office, kind=RoundKind.SPECIAL, month=date(2026, 3, 1), scope=[world.unit_b], theme="上下班")
    batch = services.batch_create(actor=office, round_=outsider, start_date=date(2026, 3, 2), end_date=date(2026, 3, 6))
    with pytest.raises(ValidationError) as exc:
        services.task_create(
            actor=office,
            batch=batch,
            units=[world.window_a],
            mode=InspectionMode.OPEN,
            window_start=at(2026, 3, 4),
            window_end=at(2026, 3, 4, 11),
        )
    assert exc.value.message_dict["units"] == ["以下单位不在本轮检查范围内：甲局窗口。"]
    with pytest.raises(ValidationError) as exc:
        services.task_create(
            actor=office,
            batch=batch,
            units=[world.unit_b],
            mode=InspectionMode.OPEN,
            window_start=at(2026, 3, 9),
            window_end=at(2026, 3, 9, 11),
        )
    assert "本批次" in exc.value.message_dict["window_start"][0]
    with pytest.raises(ValidationError) as exc:
        services.task_create(
            actor=office,
            batch=batch,
            units=[world.unit_b],
            mode=InspectionMode.OPEN,
            window_start=at(2026, 3, 4, 11),
            window_end=at(2026, 3, 4, 9),
        )
    assert exc.value.message_dict["window_end"] == ["结束时间须晚于开始时间。"]
    assert not InspectionTask.objects.filter(batch=batch).exists()


def test_team_size_is_at_least_the_policys_minimum(insp, clock):
    world, office = insp.world, insp.office
    kwargs = {"batch": insp.batch, "units": [world.unit_b], "mode": InspectionMode.WALKTHROUGH}
    task = services.task_create(actor=office, window_start=at(2026, 3, 5), window_end=at(2026, 3, 5, 11), **kwargs)
    assert task.team_size == 2  # policy default min_team_size
    with pytest.raises(ValidationError) as exc:
        services.task_create(actor=office, window_start=at(2026, 3, 5), window_end=at(2026, 3, 5, 11), team_size=1, **kwargs)
    assert exc.value.message_dict["team_size"][0].startswith("每个任务至少需要 2 名监督员")
    version = publish_policy(office, clock, min_team_size=3)
    task3 = services.task_create(actor=office, window_start=at(2026, 3, 6), window_end=at(2026, 3, 6, 11), **kwargs)
    assert task3.team_size == 3 and task3.policy_version == version
    with pytest.raises(ValidationError) as exc:
        services.task_create(actor=office, window_start=at(2026, 3, 6, 14), window_end=at(2026, 3, 6, 16), team_size=2, **kwargs)
    assert exc.value.message_dict["team_size"][0].startswith("每个任务至少需要 3 名监督员")


def test_dispatch_needs_the_full_team(insp):
    world, office = insp.world, insp.office
    task = services.task_create(
        actor=office,
        batch=insp.batch,
        units=[world.unit_b],
        mode=InspectionMode.OPEN,
        window_start=at(2026, 3, 5),
        window_end=at(2026, 3, 5, 11),
    )
    with pytest.raises(ValidationError) as exc:
        services.task_dispatch(actor=office, task=task)
    assert exc.value.messages[0].startswith("还差 2 名监督员：每个任务至少 2 人")
    task.refresh_from_db()
    assert task.status == "planned" and task.dispatched_at is None


def test_closing_a_round_needs_its_tasks_dispatched_or_cancelled(insp):
    office = insp.office
    task = services.task_create(
        actor=office,
        batch=insp.batch,
        units=[insp.world.unit_b],
        mode=InspectionMode.OPEN,
        window_start=at(2026, 3, 5),
        window_end=at(2026, 3, 5, 11),
    )
    with pytest.raises(ValidationError) as exc:
        services.round_close(actor=office, round_=insp.round)
    assert exc.value.messages == ["还有 1 个任务未派发，请先派发或取消。"]
    services.task_cancel(actor=office, task=task, reason="人手不足")
    services.round_close(actor=office, round_=insp.round)
    with pytest.raises(ValidationError):
        services.batch_create(actor=office, round_=insp.round, start_date=date(2026, 3, 9), end_date=date(2026, 3, 13))
