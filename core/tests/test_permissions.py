"""The permission gate: roles, scopes, 403 for a refused role, 404 outside the scope."""

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404

from core import permissions as gate
from core.permissions import ALL, Role
from org.models import Staff, Unit

pytestmark = pytest.mark.django_db


def test_every_rule_names_known_roles_and_scopes() -> None:
    assert gate.rules(), "rules are registered at start-up"
    for perm, row in gate.rules().items():
        assert perm.count(".") == 2, perm
        for role, scope in row.items():
            assert role in Role.values and scope in {"all", "unit", "own"}


def test_account_administrator_reads_no_cases_findings_or_evaluations() -> None:
    """Least privilege (RULES.md §9): whoever manages accounts reads no case or finding."""
    for perm, row in gate.rules().items():
        if perm.split(".")[0] in {"cases", "inspections", "evaluations", "accountability", "approvals", "liaison"}:
            assert Role.ACCOUNT_ADMIN not in row, perm


def test_unknown_permission_is_a_programming_error(world) -> None:
    with pytest.raises(ImproperlyConfigured):
        gate.can(world.office, "nope.nope.view")


def test_unit_scope_is_the_unit_and_its_branch(world) -> None:
    units = gate.restrict(Unit.objects.all(), world.liaison_a, "org.unit.view")
    assert set(units) == {world.unit_a, world.division_a, world.window_a}
    assert set(gate.restrict(Unit.objects.all(), world.office, "org.unit.view")) >= {world.unit_a, world.unit_b}


def test_refused_role_and_other_unit(world) -> None:
    from core.testing import make_staff

    staff_b = make_staff(world.unit_b)
    with pytest.raises(PermissionDenied):
        gate.get_object(world.supervisor, "org.staff.view", Staff, pk=staff_b.pk)
    with pytest.raises(Http404):
        gate.get_object(world.liaison_a, "org.staff.view", Staff, pk=staff_b.pk)
    assert gate.get_object(world.liaison_b, "org.staff.view", Staff, pk=staff_b.pk) == staff_b
    assert gate.allows(world.liaison_b, "org.staff.view", staff_b)
    assert not gate.allows(world.liaison_a, "org.staff.view", staff_b)


def test_inactive_or_anonymous_users_hold_nothing(world) -> None:
    from django.contrib.auth.models import AnonymousUser

    world.office.is_active = False
    assert not gate.can(world.office, "org.unit.view")
    assert not gate.can(AnonymousUser(), "org.unit.view")
    assert not gate.restrict(Unit.objects.all(), AnonymousUser(), "org.unit.view").exists()


def test_unit_user_without_a_unit_sees_nothing(world) -> None:
    world.viewer.role = Role.UNIT_LIAISON  # not saved: a misconfigured account
    assert not gate.restrict(Unit.objects.all(), world.viewer, "org.unit.view").exists()


def test_registering_a_permission_twice_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured):
        gate.register({"org.unit.view": {Role.OFFICE_STAFF: ALL}})
