"""The demo city: what issue 2 promises, deterministic and idempotent."""

from __future__ import annotations

import time
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import User
from core.permissions import Role
from org.choices import StaffRole, UnitKind
from org.models import Enterprise, Staff, Unit
from org.validators import validate_uscc
from supervisors.models import Supervisor

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"org", "accounts", "supervisors", "core"}
        and model._meta.model_name not in {"auditrecord", "auditchainhead"}
    }


def test_demo_city_is_complete_deterministic_and_idempotent() -> None:
    out = StringIO()
    started = time.monotonic()
    call_command("seed_demo", stdout=out)
    elapsed = time.monotonic() - started
    assert elapsed < 60, f"seed_demo took {elapsed:.0f}s"
    departments = Unit.objects.filter(kind=UnitKind.DEPARTMENT)
    assert departments.count() == 94
    assert {c: departments.filter(category__code=c).count() for c in ("party_mass", "gov_public", "stationed")} == {
        "party_mass": 24,
        "gov_public": 50,
        "stationed": 20,
    }
    divisions_with_head = Unit.objects.filter(kind=UnitKind.DIVISION, staff__role_in_unit=StaffRole.DIVISION_HEAD).distinct()
    assert divisions_with_head.count() >= 75
    windows = Unit.objects.filter(kind=UnitKind.WINDOW)
    assert windows.count() >= 50 and all("政务服务中心" in w.location for w in windows)
    assert Staff.objects.count() > 700
    supervisors = Supervisor.objects.select_related("employer")
    assert supervisors.count() >= 40 and all(s.employer_id for s in supervisors)
    assert Enterprise.objects.count() == 200
    for code in Enterprise.objects.values_list("credit_code", flat=True):
        validate_uscc(code)
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    text = out.getvalue()
    assert "Xiaoneng@2026" in text and "liaison" in text and "admin" in text
    before = counts()
    call_command("seed_demo", "--quiet", stdout=StringIO())
    assert counts() == before  # idempotent


def _build_and_read(seed: int) -> list[tuple[str, str, str]]:
    from django.db import transaction

    with transaction.atomic():
        call_command("seed_demo", "--quiet", "--seed", str(seed), stdout=StringIO())
        people = list(Staff.objects.order_by("unit__code", "employee_no").values_list("unit__code", "name", "phone"))
        transaction.set_rollback(True)
    return people


def test_demo_city_is_deterministic_for_a_seed() -> None:
    first, second = _build_and_read(2023), _build_and_read(2023)
    assert first == second and len(first) > 700
    assert _build_and_read(7) != first
