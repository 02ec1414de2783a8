"""Figures (RULES.md §1) from the records: attendance = assignments attended ÷ dispatched;
lead feedback = tasks attended with ≥1 submitted finding ÷ tasks attended; coverage = units
in scope visited ÷ units in scope; findings submitted, confirmed, verified true, rectified
on time — per round, month and year, overall and per unit, each linking to its records,
exportable to .xlsx."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.testing import client_for, make_unit
from inspections import figures, services
from inspections.choices import InspectionMode, RoundKind
from inspections.figures import Period, Rate
from inspections.tests.helpers import at, jpeg, make_supervisor, submitted_finding

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("numerator", "denominator", "percent"),
    [(85, 97, "87.63"), (52, 68, "76.47"), (5, 8, "62.50"), (2, 3, "66.67"), (1, 800, "0.13"), (0, 4, "0.00")],
)
def test_rates_are_percentages_rounded_half_up(numerator, denominator, percent):
    assert Rate(numerator, denominator).percent == Decimal(percent)
    assert str(Rate(numerator, denominator)) == f"{percent}%"


def test_a_rate_of_nothing_is_no_rate():
    assert Rate(0, 0).percent is None and str(Rate(0, 0)) == "—"


@pytest.fixture
def month(insp, clock):
    """March 2026 with six tasks whose outcomes are known (see the module's expectations)."""
    world, office = insp.world, insp.office
    unit_c, unit_d = make_unit("丙局", code="C"), make_unit("丁局", code="D")
    sup4, sup5 = make_supervisor(unit_d, name="丁一"), make_supervisor(unit_d, name="丁二")
    for supervisor, name in ((sup4, "d1"), (sup5, "d2")):
        from core.permissions import Role
        from core.testing import make_user

        supervisor.user = make_user(Role.SUPERVISOR, username=name)
        supervisor.save()
    services.round_update(actor=office, round_=insp.round, title=insp.round.title, scope=[world.unit_a, world.unit_b, unit_c])
    services.round_create(actor=office, kind=RoundKind.SPECIAL, month=date(2026, 3, 1), scope=[world.unit_b], theme="上下班")

    def task(units, day, hour, team):
        t = services.task_create(
            actor=office,
            batch=insp.batch,
            units=units,
            mode=InspectionMode.COVERT,
            window_start=at(2026, 3, day, hour),
            window_end=at(2026, 3, day, hour + 2),
        )
        services.task_team_set(actor=office, task=t, supervisors=team, reason="测试")
        return t

    # T1 = insp.task (window of A; sup1, sup2): sup1 records a finding, sup2 arrives and keeps a draft
    finding1 = submitted_finding(insp)
    services.assignment_arrive(actor=insp.sup2.user, assignment=insp.task.assignments.get(supervisor=insp.sup2))
    services.finding_start(actor=insp.sup2.user, task=insp.task)
    t2 = task([world.unit_b], 4, 9, [insp.sup3, sup4])
    t3 = task([unit_c], 5, 9, [sup4, sup5])
    task([world.unit_b], 5, 14, [insp.sup3, sup5])  # T4: never dispatched
    t5 = task([world.unit_b], 6, 14, [sup5, sup4])
    t6 = task([world.unit_b], 6, 9, [insp.sup3, sup5])
    for t in (t2, t3, t5, t6):
        services.task_dispatch(actor=office, task=t)
    services.task_cancel(actor=office, task=t5, reason="天气原因")
    services.assignment_decline(actor=sup4.user, assignment=t2.assignments.get(supervisor=sup4), reason="出差")
    clock.set(at(2026, 3, 4, 9, 30))
    services.assignment_report_no_problem(actor=insp.sup3.user, assignment=t2.assignments.get(supervisor=insp.sup3))
    clock.set(at(2026, 3, 6, 9, 30))
    services.assignment_arrive(actor=sup5.user, assignment=t6.assignments.get(supervisor=sup5))
    finding6 = services.finding_start(actor=insp.sup3.user, task=t6)
    services.finding_update(
        actor=insp.sup3.user, finding=finding6, unit=world.unit_b, item_code="on_post", observed_at=clock.now, description="大厅无人值守"
    )
    services.evidence_add(actor=insp.sup3.user, finding=finding6, upload=jpeg())
    services.finding_submit(actor=insp.sup3.user, finding=finding6)
    services.finding_dismiss(actor=office, finding=finding6, reason="照片无法辨认单位")
    # finding 1: confirmed, fed back, verified true, rectified by its deadline and accepted
    services.finding_confirm(actor=office, finding=finding1)
    services.finding_feed_back(actor=office, finding=finding1)
    services.finding_verify(actor=world.liaison_a, finding=finding1, verdict="true", explanation="属实")
    services.rectification_report(actor=world.liaison_a, finding=finding1, text="已整改")
    services.rectification_accept(actor=office, finding=finding1)
    return {"C": unit_c, "t3": t3, "sup4": sup4}


def test_figures_of_a_round_follow_the_definitions(insp, month):
    fig = figures.Dataset.load(Period(round=insp.round)).figures()
    assert (fig.tasks_dispatched, fig.assignments_dispatched, fig.assignments_attended) == (4, 8, 5)
    assert fig.attendance.percent == Decimal("62.50")  # a declined and two absent assignments, not the cancelled task
    assert (fig.tasks_attended, fig.tasks_with_findings) == (3, 2)
    assert fig.lead_feedback.percent == Decimal("66.67")  # a dismissed finding was submitted; a draft was not
    assert (fig.findings_submitted, fig.findings_confirmed, fig.findings_verified_true, fig.findings_rectified_on_time) == (2, 1, 1, 1)
    assert (fig.units_visited, fig.units_in_scope, fig.coverage.percent) == (2, 3, Decimal("66.67"))
    assert (fig.rounds, fig.special_rounds, fig.full_coverage_rounds) == (1, 0, 0)


def test_figures_of_the_month_and_the_year_count_both_kinds_of_round(insp, month):
    for period in (Period(month=date(2026, 3, 1)), Period(year=2026)):
        fig = figures.Dataset.load(period).figures()
        assert (fig.rounds, fig.special_rounds) == (1, 1)
        assert fig.attendance.percent == Decimal("62.50")
        assert (fig.units_visited, fig.units_in_scope) == (2, 4)  # the special round (scope: B) has no task yet
    assert figures.Dataset.load(Period(year=2025)).figures().tasks_dispatched == 0


def test_figures_per_unit(insp, month):
    data = figures.Dataset.load(Period(round=insp.round))
    a = data.figures(unit=insp.world.unit_a)
    assert (a.tasks_dispatched, a.assignments_dispatched, a.assignments_attended, a.tasks_attended, a.tasks_with_findings) == (
        1,
        2,
        2,
        1,
        1,
    )
    assert (a.findings_submitted, a.findings_verified_true, a.coverage.percent) == (1, 1, Decimal("100.00"))
    b = data.figures(unit=insp.world.unit_b)
    assert b.attendance.percent == Decimal("75.00") and b.lead_feedback.percent == Decimal("50.00")
    assert (b.findings_submitted, b.findings_confirmed) == (1, 0)
    c = data.figures(unit=month["C"])
    assert c.attendance.percent == Decimal("0.00") and c.lead_feedback.percent is None and c.coverage.percent == Decimal("0.00")


def test_coverage_says_which_units_were_visited(insp, month):
    coverage = figures.round_coverage(insp.round)
    assert [u.code for u in coverage["visited"]] == ["A", "B"]
    assert coverage["pending"] == [month["C"]] and coverage["missing"] == []
    page = client_for(insp.office).get(f"/inspections/rounds/{insp.round.pk}/coverage/")
    assert page.status_code == 200 and "66.67%" in page.content.decode()


def count(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["paginator"].count


def test_each_figure_links_to_the_records_it_counts(insp, month):
    client = client_for(insp.office)
    r = f"round={insp.round.pk}"
    assert count(client, f"/inspections/tasks/?{r}&dispatched=true") == 4
    assert count(client, f"/inspections/assignments/?{r}&dispatched=true") == 8
    assert count(client, f"/inspections/assignments/?{r}&dispatched=true&attended=true") == 5
    assert count(client, f"/inspections/tasks/?{r}&dispatched=true&attended=true") == 3
    assert count(client, f"/inspections/tasks/?{r}&dispatched=true&attended=true&has_finding=true") == 2
    for stage, n in (("submitted", 2), ("confirmed", 1), ("verified_true", 1), ("rectified_on_time", 1)):
        assert count(client, f"/inspections/findings/?{r}&stage={stage}") == n
    b = insp.world.unit_b.pk
    assert count(client, f"/inspections/assignments/?{r}&unit={b}&dispatched=true&attended=true") == 3
    assert count(client, f"/inspections/tasks/?{r}&unit={b}&dispatched=true&attended=true&has_finding=true") == 1
    assert count(client, "/inspections/tasks/?month=2026-03&dispatched=true") == 4
    assert count(client, "/inspections/rounds/?year=2026&kind=special") == 1
    page = client.get(f"/inspections/figures/?round={insp.round.pk}").content.decode()
    assert f"/inspections/assignments/?round={insp.round.pk}&amp;dispatched=true&amp;attended=true" in page
    assert "62.50%" in page and "66.67%" in page


def test_the_figures_export_is_a_real_workbook(insp, month):
    response = client_for(insp.office).get("/inspections/figures/export/?month=2026-03")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["总体", "按轮次", "按月", "按单位"]
    header = [c.value for c in book["总体"][1]]
    row = dict(zip(header, [c.value for c in book["总体"][2]], strict=True))
    assert row["统计期间"] == "2026年3月" and row["出勤率(%)"] == 62.5 and row["派员人次"] == 8 and row["出勤人次"] == 5
    assert row["常态轮次"] == 1 and row["专项轮次"] == 1
    units = {r[0].value: r for r in book["按单位"].iter_rows(min_row=2)}
    assert set(units) == {"甲局", "乙局", "丙局"}


def test_the_viewer_sees_figures_without_the_records(insp, month):
    page = client_for(insp.world.viewer).get("/inspections/figures/?year=2026")
    assert page.status_code == 200 and "62.50%" in page.content.decode()
    assert "/inspections/assignments/?" not in page.content.decode()
    assert client_for(insp.world.viewer).get("/inspections/assignments/").status_code == 403


def test_supervisors_yearly_figures(insp, month):
    rows = {r.supervisor.code: r for r in figures.supervisor_year(2026)}
    sup1, sup3, sup4 = rows["S001"], rows["S003"], rows[month["sup4"].code]
    assert (sup1.assignments_dispatched, sup1.assignments_attended, sup1.findings_submitted, sup1.findings_verified_true) == (1, 1, 1, 1)
    assert sup1.lead_feedback.percent == Decimal("100.00")
    assert (sup3.assignments_dispatched, sup3.assignments_attended) == (2, 2) and sup3.lead_feedback.percent == Decimal("50.00")
    assert (sup4.assignments_dispatched, sup4.assignments_attended, sup4.declined) == (2, 0, 1)  # the cancelled task is not counted
    page = client_for(insp.office).get("/inspections/figures/supervisors/?year=2026")
    assert page.status_code == 200 and "text-danger fw-bold" in page.content.decode()  # below the policy's 60%
