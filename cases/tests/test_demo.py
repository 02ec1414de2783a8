"""The demo's 2025 records reproduce seed 002's and seed 003's figures when the figures
module counts them."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest

from cases import demo
from cases.figures import case_figures
from cases.models import Case, Channel
from core import calendar
from core.demo import DemoContext

pytestmark = pytest.mark.django_db


def test_demo_year_reproduces_the_seed_figures(world: Any) -> None:
    from accounts.demo import build as accounts_build
    from org.demo import build as org_build

    ctx = DemoContext(seed=2023, rng=random.Random(2023), write=lambda line: None)  # noqa: S311
    org_build(ctx)
    accounts_build(ctx)
    units = {u.code: u for u in ctx.data["units"].values() if u.code in demo.TOPICS}
    staff: dict[int, list[Any]] = {}
    from org.models import Staff

    for person in Staff.objects.filter(unit__in=units.values()):
        staff.setdefault(person.unit_id, []).append(person)
    demo._year(ctx, units, staff, world.office, "x", demo.YEAR, demo.CHANNELS, calendar.working_days_in(demo.YEAR))
    rows = {r.key: r for r in case_figures(world.office, dimension="channel", year=2025).rows}
    channel = {c.code: c.pk for c in Channel.objects.all()}
    hotline = rows[channel["hotline_12345"]]
    assert (hotline.received, hotline.completed, hotline.completion_rate) == (1000, 996, 99.6)
    assert (hotline.followed, hotline.satisfied, hotline.satisfaction_rate) == (900, 882, 98.0)
    sms = rows[channel["leader_sms"]]
    assert (sms.received, sms.completed, sms.completion_rate) == (468, 460, 98.3)
    centre = rows[channel["complaint_centre"]]
    assert (centre.received, centre.completed) == (47, 47)
    assert Case.objects.filter(channel__code="complaint_centre", kind="complaint").count() == 47
    assert not Case.objects.filter(channel__code="complaint_centre", repeat_of__isnull=False).exists()
    assert len(rows) == len(demo.CHANNELS)
    assert Case.objects.filter(received_at__date__lt=date(2025, 1, 1)).count() == 0
