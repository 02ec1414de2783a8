"""Fixtures of the cases tests: the world (core.testing) plus channels and a case factory."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def channels(db: Any) -> dict[str, Any]:
    from cases.models import Channel

    return {c.code: c for c in Channel.objects.all()}


@pytest.fixture
def make_case(world: Any, channels: dict[str, Any]) -> Any:
    """A case received through 12345 (overridable), as the office would enter it."""
    from cases import services

    def make(**fields: Any) -> Any:
        values: dict[str, Any] = {
            "channel": channels["hotline_12345"],
            "kind": "complaint",
            "title": "窗口工作人员态度差",
            "content": "我到甲局窗口办理社保登记，工作人员态度很差，让我来回跑了三次。",
            "contact_name": "王小明",
            "contact_phone": "13812345678",
        }
        values.update(fields)
        actor = values.pop("actor", world.office)
        case, _password = services.case_create(actor=actor, **values)
        return case

    return make


@pytest.fixture
def dispatched(world: Any, make_case: Any) -> Any:
    """A case dispatched to unit A."""
    from cases import services

    case = make_case()
    services.case_dispatch(actor=world.office, case=case, unit=world.unit_a)
    case.refresh_from_db()
    return case


@pytest.fixture
def in_progress(world: Any, dispatched: Any) -> Any:
    from cases import services

    services.case_sign(actor=world.liaison_a, case=dispatched)
    dispatched.refresh_from_db()
    return dispatched


@pytest.fixture
def set_policy(db: Any) -> Any:
    """Publish a new version of the current policy with some ``cases`` parameters changed
    (effective from 2020, so it governs every test date)."""
    from datetime import date

    from core.models import PolicyStatus, PolicyVersion
    from core.selectors import policy_version_for

    def change(**cases: Any) -> Any:
        current = policy_version_for()
        document = dict(current.document)
        document["cases"] = {**document.get("cases", {}), **cases}
        return PolicyVersion.objects.create(
            policy=current.policy,
            version=current.version + 1,
            status=PolicyStatus.PUBLISHED,
            effective_from=date(2020, 1, 1),
            document=document,
            note="test",
        )

    return change


def at(*args: int) -> Any:
    """An aware datetime in the platform's zone (Asia/Shanghai)."""
    from datetime import datetime

    from django.utils import timezone

    return datetime(*args, tzinfo=timezone.get_current_timezone())
