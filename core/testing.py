"""Test support shared by every app: factories, personas and the access-check helper.

Personas (STYLE.md): office staff, office head, a supervisor, the liaison and head of
unit A, the liaison of unit B, a viewer, a rater and the account administrator; plus the
public (an anonymous client). Unit A is a department with a division and a window below
it; unit B is another department.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.test import Client

from accounts.models import User
from core.permissions import Role
from org import services as org_services
from org.choices import StaffRole, UnitKind
from org.models import Enterprise, Staff, Unit, UnitCategory
from org.validators import uscc_check_char

PASSWORD = "Test@Pass2026"  # noqa: S105 (test personas only)
_seq = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}{next(_seq)}"


def category(code: str = "gov_public") -> UnitCategory:
    return UnitCategory.objects.get(code=code)


def make_unit(
    name: str | None = None, *, kind: str = UnitKind.DEPARTMENT, parent: Unit | None = None, category_code: str = "gov_public", **extra: Any
) -> Unit:
    name = name or unique("测试单位")
    return org_services.unit_create(
        actor=None,
        name=name,
        code=extra.pop("code", unique("U")),
        kind=kind,
        parent=parent,
        category=category(category_code) if kind == UnitKind.DEPARTMENT else None,
        audit=False,
        **extra,
    )


def make_staff(unit: Unit, name: str | None = None, **extra: Any) -> Staff:
    extra.setdefault("role_in_unit", StaffRole.STAFF)
    return org_services.staff_create(actor=None, name=name or unique("张"), unit=unit, audit=False, **extra)


def make_user(role: str, unit: Unit | None = None, username: str | None = None, **extra: Any) -> User:
    user = User(username=username or unique(role), role=role, unit=unit, full_name=extra.pop("full_name", unique("用户")), **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def credit_code(serial: int) -> str:
    body = f"914407{serial:011d}"[:17]
    return body + uscc_check_char(body)


def make_enterprise(name: str | None = None, **extra: Any) -> Enterprise:
    serial = next(_seq)
    return org_services.enterprise_create(
        actor=None,
        name=name or f"测试企业{serial}有限公司",
        credit_code=extra.pop("credit_code", credit_code(serial)),
        audit=False,
        **extra,
    )


@dataclass
class World:
    """A small city: two departments, A (with a division and a window) and B."""

    unit_a: Unit
    division_a: Unit
    window_a: Unit
    unit_b: Unit
    office: User
    office_head: User
    supervisor: User
    liaison_a: User
    head_a: User
    liaison_b: User
    viewer: User
    rater: User
    admin: User

    def persona(self, name: str) -> User:
        return getattr(self, name)

    PERSONAS = ("office", "office_head", "supervisor", "liaison_a", "head_a", "liaison_b", "viewer", "rater", "admin")


def ensure_defaults() -> None:
    """Reload what the data migrations load (categories, default policies, the audit chain
    head): transactional tests flush the database after each test."""
    from importlib import import_module

    from django.apps import apps

    for module in ("core.migrations.0002_default_policies", "org.migrations.0002_default_categories"):
        import_module(module).load(apps, None)


def build_world() -> World:
    ensure_defaults()
    unit_a = make_unit("甲局", code="A")
    division_a = make_unit("甲局一科", kind=UnitKind.DIVISION, parent=unit_a, code="A-D1")
    window_a = make_unit("甲局窗口", kind=UnitKind.WINDOW, parent=unit_a, code="A-W1")
    unit_b = make_unit("乙局", code="B")
    return World(
        unit_a=unit_a,
        division_a=division_a,
        window_a=window_a,
        unit_b=unit_b,
        office=make_user(Role.OFFICE_STAFF, username="office"),
        office_head=make_user(Role.OFFICE_HEAD, username="officehead"),
        supervisor=make_user(Role.SUPERVISOR, username="supervisor"),
        liaison_a=make_user(Role.UNIT_LIAISON, unit_a, username="liaison_a"),
        head_a=make_user(Role.UNIT_HEAD, unit_a, username="head_a"),
        liaison_b=make_user(Role.UNIT_LIAISON, unit_b, username="liaison_b"),
        viewer=make_user(Role.VIEWER, username="viewer"),
        rater=make_user(Role.RATER, username="rater"),
        admin=make_user(Role.ACCOUNT_ADMIN, username="admin"),
    )


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def status_by_persona(
    world: World, method: str, url: str, data: dict[str, Any] | None = None, personas: tuple[str, ...] = World.PERSONAS
) -> dict[str, int]:
    """The HTTP status each persona gets for one request (for access-matrix tests)."""
    out = {}
    for name in personas:
        client = client_for(world.persona(name))
        response = getattr(client, method.lower())(url, data or {})
        out[name] = response.status_code
    return out


def today() -> date:
    from django.utils import timezone

    return timezone.localdate()
