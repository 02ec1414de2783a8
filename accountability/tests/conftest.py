"""Fixtures of the accountability tests: a clock under the test's control and the
accountability world (core.testing's world plus staff with their accounts)."""

from __future__ import annotations

from typing import Any

import pytest

from accountability.tests.helpers import Acc, Clock, at, build


@pytest.fixture
def clock(monkeypatch: Any) -> Clock:
    """``timezone.now()`` under the test's control: judgements, counts and deadlines are
    dated from it."""
    from django.utils import timezone

    state = Clock(at(2026, 3, 2, 9))
    monkeypatch.setattr(timezone, "now", lambda: state.now)
    return state


@pytest.fixture
def acc(world: Any, clock: Clock) -> Acc:
    return build(world, clock)
