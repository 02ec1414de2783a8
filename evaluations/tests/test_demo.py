"""The demo city reproduces seed 000's figures from its own records, and building it twice
changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from evaluations.choices import CampaignKind
from evaluations.models import Response, SampledCase
from evaluations.selectors import year_figures

pytestmark = pytest.mark.django_db


def test_demo_reproduces_seed_000(capsys: Any) -> None:
    call_command("seed_demo", "--quiet")
    current, previous = year_figures(2025), year_figures(2024)
    heads = current["kinds"][CampaignKind.DIVISION_HEAD]["figures"]
    windows = current["kinds"][CampaignKind.WINDOW]["figures"]
    cases = current["kinds"][CampaignKind.HANDLED_CASES]["figures"]
    assert (heads.targets, windows.targets) == (75, 50)
    assert round(heads.average, 2) == 96.66 and round(windows.average, 2) == 96.49
    assert round(previous["kinds"][CampaignKind.DIVISION_HEAD]["figures"].average, 2) == 96.25
    assert round(previous["kinds"][CampaignKind.WINDOW]["figures"].average, 2) == 96.12
    assert (round(heads.change, 2), round(windows.change, 2)) == (0.41, 0.37)
    assert (heads.awarded, windows.awarded) == (11, 18)
    assert (cases.sample_units, cases.samples_answered, cases.fully_satisfied) == (31, 310, 182)
    assert current["questionnaires"] == 1635
    assert windows.rejected == 6  # a burst the office rejected; not among the 1635
    counts = (Response.objects.count(), SampledCase.objects.count())
    call_command("seed_demo", "--quiet")
    assert (Response.objects.count(), SampledCase.objects.count()) == counts
    assert "有效问卷 1635" in capsys.readouterr().out
