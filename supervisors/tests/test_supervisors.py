"""The supervisor roster: who sees it, conflicts of interest, validation."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core.permissions import Role
from core.testing import client_for, make_unit, make_user, status_by_persona
from org.choices import UnitKind
from org.models import Unit
from supervisors import services
from supervisors.models import Supervisor
from supervisors.selectors import active_supervisors, conflicted_units_q

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(world):
    mine = services.supervisor_create(
        actor=world.office,
        code="JD001",
        name="周监督",
        user=world.supervisor,
        employer=world.division_a,
        term_start=date(2025, 1, 1),
        term_end=date(2027, 12, 31),
    )
    other = services.supervisor_create(
        actor=world.office, code="JD002", name="吴监督", employer=world.unit_b, term_start=date(2025, 1, 1), term_end=date(2027, 12, 31)
    )
    return mine, other


def test_conflict_covers_employer_parent_and_children(world, roster) -> None:
    mine, _other = roster
    sub = make_unit("甲局一科一组", kind=UnitKind.DIVISION, parent=world.division_a)
    conflicted = set(Unit.objects.filter(conflicted_units_q(mine)))
    assert conflicted == {world.unit_a, world.division_a, sub}
    assert world.window_a not in conflicted and world.unit_b not in conflicted


def test_only_the_office_sees_the_roster_and_a_supervisor_sees_only_themself(world, roster) -> None:
    mine, other = roster
    statuses = status_by_persona(world, "get", "/supervisors/")
    assert statuses == {
        "office": 200,
        "office_head": 200,
        "supervisor": 200,
        "liaison_a": 403,
        "head_a": 403,
        "liaison_b": 403,
        "viewer": 403,
        "rater": 403,
        "admin": 403,
    }
    page = client_for(world.supervisor).get("/supervisors/").content.decode()
    assert "周监督" in page and "吴监督" not in page
    assert client_for(world.supervisor).get(f"/supervisors/{other.pk}/").status_code == 404
    assert client_for(world.supervisor).get(f"/supervisors/{mine.pk}/").status_code == 200


def test_validation(world, roster) -> None:
    with pytest.raises(ValidationError) as info:
        services.supervisor_create(
            actor=world.office,
            code="JD001",
            name="x",
            employer=world.unit_a,
            user=world.viewer,
            term_start=date(2026, 1, 1),
            term_end=date(2025, 1, 1),
        )
    assert set(info.value.message_dict) == {"code", "user", "term_end"}
    assert Supervisor.objects.count() == 2


def test_active_supervisors_in_term(world, roster) -> None:
    sup_user = make_user(Role.SUPERVISOR)
    services.supervisor_create(
        actor=world.office,
        code="JD003",
        name="过期",
        user=sup_user,
        employer=world.unit_b,
        term_start=date(2020, 1, 1),
        term_end=date(2021, 12, 31),
    )
    assert {s.code for s in active_supervisors(on=date(2026, 6, 1))} == {"JD001", "JD002"}


def test_api_scoped(world, roster) -> None:
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(world.supervisor)
    assert [s["code"] for s in client.get("/api/v1/supervisors/supervisors/").json()["results"]] == ["JD001"]
    client.force_authenticate(world.liaison_a)
    assert client.get("/api/v1/supervisors/supervisors/").status_code == 403
