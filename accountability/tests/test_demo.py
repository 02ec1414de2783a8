"""The demo reproduces the seeds' figures from its own records — seed 002's joint public
apology by seven heads of departments, seed 004's eight staff sent to the grassroots for
three months — with a year of decisions, every step of the ladder, each apology kind, and
proposals waiting on the office head's home page; and running it twice changes nothing.

The inspections demo provides the findings; instead of the whole cases demo (slow), the
test writes the one shape of its records the ladder needs: a person with three valid
complaints in 2025."""

from __future__ import annotations

import random
from datetime import date, datetime, time
from typing import Any

import pytest
from django.utils import timezone

from accountability import demo, selectors
from accountability.choices import ProposalStatus, Rule
from accountability.models import Apology, Charge, Decision, Proposal, Sanction
from cases.choices import CaseStatus, Triage, Verdict
from cases.models import Case, Channel
from core.demo import DemoContext
from core.testing import client_for
from org.models import Staff

pytestmark = pytest.mark.django_db


def _valid_complaints_2025(person: Staff, office: Any) -> None:
    tz = timezone.get_current_timezone()
    channel = Channel.objects.get(code="complaint_centre")
    for n, day in enumerate((date(2025, 3, 12), date(2025, 6, 18), date(2025, 9, 24)), start=1):
        moment = datetime.combine(day, time(15), tz)
        Case.objects.create(
            channel=channel,
            kind="complaint",
            title=f"窗口推诿{n}",
            content="窗口工作人员推诿扯皮。",
            contact_name="王先生",
            contact_phone="13800000000",
            tracking_code=f"TESTCODE{n:02d}",
            received_at=moment,
            triage=Triage.IN_SCOPE,
            status=CaseStatus.CLOSED,
            unit=person.unit.top(),
            first_responsible=person,
            verdict=Verdict.VALID,
            verdict_reason="属实",
            verdict_at=moment,
            verdict_by=office,
            charged_unit=person.unit,
        )


def test_the_demo_reproduces_the_seed_figures_and_runs_twice(db: Any) -> None:
    from accounts.demo import build as accounts_build
    from accounts.models import User
    from core.testing import ensure_defaults
    from inspections.demo import build as inspections_build
    from org.demo import build as org_build
    from supervisors.demo import build as supervisors_build

    ensure_defaults()
    ctx = DemoContext(seed=2023, rng=random.Random(2023), write=lambda line: None)  # noqa: S311
    for build in (org_build, accounts_build, supervisors_build, inspections_build):
        build(ctx)
    office = User.objects.get(username="office")
    repeat = Staff.objects.filter(unit__code="G06-D1").order_by("pk").first()
    assert repeat is not None
    _valid_complaints_2025(repeat, office)
    lines: list[str] = []
    ctx.write = lines.append
    demo.build(ctx)

    f = selectors.figures(office, 2025)
    assert f.joint_heads == [7]  # seed 002
    assert (f.reassignments, f.reassignment_months) == (8, [3] * 8)  # seed 004
    starts = sorted(Sanction.objects.filter(measure="grassroots_reassignment", year=2025).values_list("term_start", flat=True))
    assert starts == [date(2025, 7, 10)] * 7 + [date(2025, 7, 30)]
    assert f.pending == 0 and f.outcomes["accepted"] and f.outcomes["changed"] and f.outcomes["rejected"]
    assert {kind: total for kind, _label, total, _done, _late in f.apologies} == {
        "direct": Apology.objects.filter(year=2025, kind="direct").count(),
        "public": Apology.objects.filter(year=2025, kind="public").count(),
        "joint": 1,
    }
    assert all(total and done == total for _kind, _label, total, done, _late in f.apologies)
    assert any("7个部门一把手" in line for line in lines) and any("基层再上岗：8人，期限3个月" in line for line in lines)

    today = timezone.localdate()
    this_year = selectors.figures(office, today.year)
    assert set(this_year.ladder_steps) >= {1, 2, 3, 4}  # every step of the ladder, decided
    dismissal = Proposal.objects.get(rule=Rule.DISMISSAL)
    assert (dismissal.staff, dismissal.status, dismissal.window_count) == (repeat, ProposalStatus.PENDING, 5)
    # the office head has proposals waiting, and the office sees overdue follow-through
    home = client_for(User.objects.get(username="officehead")).get("/").content.decode()
    panel = home.split('data-testid="accountability-office-panel"', 1)[1].split("</section>", 1)[0]
    assert 'data-testid="acc-pending-item"' in panel
    waiting = client_for(User.objects.get(username="officehead")).get("/accountability/?status=pending&rule=dismissal").content.decode()
    assert dismissal.reference in waiting
    assert selectors.overdue_sanctions(office).filter(measure="grassroots_reassignment").exists()
    # the demo liaison (人社局) has an apology to make
    liaison_home = client_for(User.objects.get(username="liaison")).get("/").content.decode()
    assert 'data-testid="accountability-unit-panel"' in liaison_home and "直接道歉" in liaison_home
    # every sanction and apology hangs off a decision; the records are the office head's
    assert set(Decision.objects.values_list("decided_by__username", flat=True)) == {"officehead"}

    counts = [model.objects.count() for model in (Charge, Proposal, Decision, Sanction, Apology)]
    demo.build(ctx)
    assert [model.objects.count() for model in (Charge, Proposal, Decision, Sanction, Apology)] == counts
