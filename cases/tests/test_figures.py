"""Every rate's definition with its numbers (RULES.md §2), grouped by unit, channel, kind
and month; the "three rates" ranking with the policy's weights and red and black lists;
the .xlsx exports opened back."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cases import figures
from cases.choices import CaseStatus
from cases.models import Case, Dispatch, FollowUp
from core.testing import client_for, make_unit

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


def _case(channel: Any, unit: Any, received: datetime, **fields: Any) -> Case:
    values = {
        "channel": channel,
        "kind": "complaint",
        "title": "测试件",
        "content": "测试内容",
        "contact_name": "张三",
        "contact_phone": "13800000000",
        "tracking_code": f"T{Case.objects.count():09d}",
        "received_at": received,
        "unit": unit,
        "status": CaseStatus.IN_PROGRESS,
    }
    values.update(fields)
    return Case.objects.create(**values)


def _completed(**extra: Any) -> dict[str, Any]:
    return {"status": CaseStatus.CLOSED, "completed_at": datetime(2025, 3, 20, 10, tzinfo=TZ), **extra}


@pytest.fixture
def year_2025(world: Any, channels: dict[str, Any]) -> dict[str, Any]:
    """Unit A through 12345 in March 2025: 10 received, 8 completed (6 on time), 5 followed
    up (very satisfied 2, satisfied 1, basically 1, dissatisfied 1), 1 reopened; 12
    dispatches to A (9 signed on time, 2 returned). Noise: a merged case, a 2024 case, and
    2 cases of unit B through the mayor's mailbox."""
    hotline, mailbox = channels["hotline_12345"], channels["mayor_mailbox"]
    march = datetime(2025, 3, 3, 9, tzinfo=TZ)
    a = world.unit_a
    rows = [
        _completed(handled_on_time=True, satisfaction="very_satisfied"),
        _completed(handled_on_time=True, satisfaction="very_satisfied"),
        _completed(handled_on_time=True, satisfaction="satisfied"),
        _completed(handled_on_time=True, satisfaction="basically_satisfied", kind="request"),
        _completed(handled_on_time=False, satisfaction="dissatisfied", status=CaseStatus.FOLLOW_UP),
        _completed(handled_on_time=True, reopen_count=1),
        _completed(handled_on_time=True),
        _completed(handled_on_time=False),
        {},
        {"status": CaseStatus.DISPATCHED},
    ]
    cases = [_case(hotline, a, march, **row) for row in rows]
    _case(hotline, a, march, status=CaseStatus.MERGED)
    _case(hotline, a, datetime(2024, 12, 31, 9, tzinfo=TZ), **_completed())
    _case(mailbox, world.unit_b, datetime(2025, 7, 1, 9, tzinfo=TZ), **_completed(satisfaction="satisfied"))
    _case(mailbox, world.unit_b, datetime(2025, 7, 2, 9, tzinfo=TZ))
    for i in range(12):
        Dispatch.objects.create(
            case=cases[i % 10],
            unit=a,
            dispatched_at=march,
            signed_at=march,
            signed_on_time=i < 9,
            returned_at=march if i in (3, 7) else None,
        )
    return {"cases": cases}


def test_rates_by_unit(world: Any, year_2025: dict[str, Any]) -> None:
    result = figures.case_figures(world.office, dimension="unit", year=2025)
    row = next(r for r in result.rows if r.key == world.unit_a.pk)
    assert (row.received, row.completed, row.on_time, row.followed, row.satisfied, row.reopened) == (10, 8, 6, 5, 4, 1)
    assert row.completion_rate == 80.0  # 8 ÷ 10
    assert row.on_time_rate == 75.0  # 6 ÷ 8
    assert row.satisfaction_rate == 80.0  # (2 + 1 + 1) ÷ 5
    assert row.levels == {"very_satisfied": 2, "satisfied": 1, "basically_satisfied": 1, "dissatisfied": 1, "very_dissatisfied": 0}
    assert row.reopened_rate == 12.5  # 1 ÷ 8
    assert (row.dispatched, row.signed_on_time, row.returned) == (12, 9, 2)
    assert row.signed_on_time_rate == 75.0 and row.returned_rate == 16.7
    assert result.total.received == 12 and result.total.completed == 9
    assert result.policy_version is not None


def test_rates_by_channel_kind_and_month(world: Any, year_2025: dict[str, Any], channels: dict[str, Any]) -> None:
    by_channel = {r.key: r for r in figures.case_figures(world.office, dimension="channel", year=2025).rows}
    assert by_channel[channels["hotline_12345"].pk].received == 10
    mailbox = by_channel[channels["mayor_mailbox"].pk]
    assert (mailbox.received, mailbox.completed, mailbox.completion_rate, mailbox.satisfaction_rate) == (2, 1, 50.0, 100.0)
    by_kind = {r.key: r for r in figures.case_figures(world.office, dimension="kind", year=2025).rows}
    assert by_kind["request"].received == 1 and by_kind["complaint"].received == 11
    by_month = {r.key: r for r in figures.case_figures(world.office, dimension="month", year=2025).rows}
    assert by_month[date(2025, 3, 1)].received == 10 and by_month[date(2025, 3, 1)].dispatched == 12
    assert by_month[date(2025, 7, 1)].received == 2
    march = figures.case_figures(world.office, dimension="unit", year=2025, month=3)
    assert march.total.received == 10


def test_units_see_only_their_own_figures(world: Any, year_2025: dict[str, Any]) -> None:
    mine = figures.case_figures(world.liaison_b, dimension="unit", year=2025)
    assert [r.key for r in mine.rows] == [world.unit_b.pk]
    assert mine.total.received == 2 and mine.total.dispatched == 0


def test_each_figure_links_to_its_cases(world: Any, year_2025: dict[str, Any]) -> None:
    client = client_for(world.office)
    page = client.get("/cases/figures/?dimension=unit&year=2025").content.decode()
    assert f"lead_unit={world.unit_a.pk}" in page
    listing = client.get(f"/cases/?year=2025&lead_unit={world.unit_a.pk}&figure=on_time&size=100").content.decode()
    expected = [c for c in year_2025["cases"] if c.handled_on_time]
    assert len(expected) == 6
    assert all(c.number in listing for c in expected)
    assert "共 6 条" in listing or listing.count("/cases/") >= 6
    late = client.get(f"/cases/?year=2025&lead_unit={world.unit_a.pk}&figure=late").content.decode()
    assert sum(c.number in late for c in year_2025["cases"]) == 2


def test_figures_export_is_a_real_workbook(world: Any, year_2025: dict[str, Any]) -> None:
    response = client_for(world.office).get("/cases/figures/export/?dimension=unit&year=2025")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header[:7] == ["单位", "受理量", "派单量", "按时签收率(%)", "退单率(%)", "办结量", "办结率(%)"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    a = rows[world.unit_a.name]
    assert a[1] == 10 and a[6] == 80.0 and a[7] == 75.0 and a[9] == 80.0
    assert rows["合计"][1] == 12


# --- the three rates --------------------------------------------------------------------------
def _month_of(
    world: Any, channels: dict[str, Any], unit: Any, dispatched: int, responded: int, answered: int, resolved: int, satisfied: int
) -> None:
    june = datetime(2025, 6, 10, 9, tzinfo=TZ)
    for i in range(max(dispatched, answered)):
        case = _case(channels["hotline_12345"], unit, june, **_completed())
        if i < dispatched:
            Dispatch.objects.create(case=case, unit=unit, dispatched_at=june, responded_in_time=i < responded)
        if i < answered:
            FollowUp.objects.create(
                case=case,
                outcome="answered",
                satisfaction="satisfied" if i < satisfied else "dissatisfied",
                resolved=i < resolved,
                recorded_at=june,
            )


def test_three_rates_ranking_with_weights_and_red_black_lists(world: Any, channels: dict[str, Any], set_policy: Any) -> None:
    units = [make_unit(f"排名单位{i:02d}") for i in range(12)]
    for i, unit in enumerate(units):
        # unit i: 10 dispatched, 10 - i//2 responded; 10 answered, 10 - i//3 resolved, 10 - i//4 satisfied
        _month_of(world, channels, unit, 10, 10 - i // 2, 10, 10 - i // 3, 10 - i // 4)
    no_follow_up = make_unit("无回访单位")
    _month_of(world, channels, no_follow_up, 3, 3, 0, 0, 0)
    rows, version = figures.three_rates(date(2025, 6, 1))
    by_name = {r.unit: r for r in rows}
    u11 = by_name["排名单位11"]  # 5/10 responded, 7/10 resolved, 8/10 satisfied
    assert (u11.response_rate, u11.resolution_rate, u11.satisfaction_rate) == (50.0, 70.0, 80.0)
    assert u11.score == 0.30 * 50 + 0.35 * 70 + 0.35 * 80 == 67.5
    assert by_name["排名单位00"].score == 100.0 and by_name["排名单位00"].rank == 1
    ranked = [r for r in rows if r.rank is not None]
    # scores 100, 100, 97, 93.5, 87, 87, 80.5, 80.5, 74, 70.5, 67.5, 67.5: equal scores share a rank
    assert [r.score for r in ranked] == [100.0, 100.0, 97.0, 93.5, 87.0, 87.0, 80.5, 80.5, 74.0, 70.5, 67.5, 67.5]
    assert [r.rank for r in ranked] == [1, 1, 3, 4, 5, 5, 7, 7, 9, 10, 11, 11]
    # the top five (a tie at fifth takes both), and the bottom five of those below them (a tie takes both)
    assert [r.unit for r in rows if r.list == "red"] == [f"排名单位{i:02d}" for i in range(6)]
    assert [r.unit for r in rows if r.list == "black"] == [f"排名单位{i:02d}" for i in range(6, 12)]
    assert by_name["无回访单位"].score is None and by_name["无回访单位"].rank is None and by_name["无回访单位"].list == ""
    # the weights are policy: 50 / 25 / 25 changes the score
    set_policy(three_rates_weights={"response": 50, "resolution": 25, "satisfaction": 25})
    rows, version2 = figures.three_rates(date(2025, 6, 1))
    assert next(r for r in rows if r.unit == "排名单位11").score == 0.5 * 50 + 0.25 * 70 + 0.25 * 80 == 62.5
    assert version2.pk != version.pk


def test_a_finished_month_is_frozen_with_its_policy_version(world: Any, channels: dict[str, Any]) -> None:
    unit = make_unit("冻结单位")
    _month_of(world, channels, unit, 4, 4, 4, 4, 4)
    snapshot = figures.ranking_freeze_last_month(today=date(2025, 7, 3))
    assert snapshot is not None and snapshot.month == date(2025, 6, 1) and snapshot.policy_version_id
    assert figures.ranking_freeze_last_month(today=date(2025, 7, 4)) is None  # once
    Dispatch.objects.all().delete()  # later changes do not move a frozen ranking
    ranking = figures.ranking_for(date(2025, 6, 15))
    assert ranking["frozen_at"] is not None and ranking["rows"][0].score == 100.0
    response = client_for(world.viewer).get("/cases/ranking/export/?month=2025-06")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][:2] == [1, "冻结单位"] and sheet.cell(2, 9).value == "红榜"


def test_a_unit_scoring_as_well_as_the_red_list_is_never_black_listed(world: Any, channels: dict[str, Any]) -> None:
    for i in range(8):
        _month_of(world, channels, make_unit(f"满分单位{i}"), 2, 2, 2, 2, 2)
    _month_of(world, channels, make_unit("低分单位"), 2, 0, 2, 2, 2)  # response 0: 0 + 35 + 35 = 70
    rows, _version = figures.three_rates(date(2025, 6, 1))
    assert {r.unit for r in rows if r.list == "red"} == {f"满分单位{i}" for i in range(8)}
    assert [(r.unit, r.score, r.rank) for r in rows if r.list == "black"] == [("低分单位", 70.0, 9)]
