"""Fixtures of the inspections tests: a fixed clock and the inspections world."""

from __future__ import annotations

from typing import Any

import pytest

from inspections.tests.helpers import Clock, Insp, at, build


@pytest.fixture
def clock(monkeypatch: Any) -> Clock:
    """``timezone.now()`` under the test's control (deadlines are counted from "today")."""
    from django.utils import timezone

    state = Clock(at(2026, 3, 2, 9))
    monkeypatch.setattr(timezone, "now", lambda: state.now)
    return state


@pytest.fixture
def insp(clock: Clock, world: Any) -> Insp:
    return build(world, clock)
