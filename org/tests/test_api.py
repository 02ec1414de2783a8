"""The registry's API: same gate as the pages, writes through the services."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services import token_create
from core.testing import category, credit_code, make_staff
from org.models import Enterprise, Unit

pytestmark = pytest.mark.django_db


def api(user=None, token: str | None = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_units_scoped_by_caller(world) -> None:
    office = api(world.office).get("/api/v1/org/units/?page_size=100").json()
    assert {u["code"] for u in office["results"]} >= {"A", "A-D1", "A-W1", "B"}
    liaison = api(world.liaison_a).get("/api/v1/org/units/").json()
    assert {u["code"] for u in liaison["results"]} == {"A", "A-D1", "A-W1"}
    assert api(world.liaison_a).get(f"/api/v1/org/units/{world.unit_b.pk}/").status_code == 404
    assert api(world.supervisor).get("/api/v1/org/units/").status_code == 403
    assert api().get("/api/v1/org/units/").status_code in (401, 403)


def test_create_unit_validation_in_chinese(world) -> None:
    response = api(world.office).post("/api/v1/org/units/", {"name": "接口局", "code": "API1", "kind": "department"}, format="json")
    assert response.status_code == 400
    assert "部门必须属于一个考评类别" in response.json()["category"][0]
    response = api(world.office).post(
        "/api/v1/org/units/", {"name": "接口局", "code": "API1", "kind": "department", "category": category().pk}, format="json"
    )
    assert response.status_code == 201
    assert Unit.objects.get(code="API1").path
    assert api(world.liaison_a).post("/api/v1/org/units/", {"name": "x"}, format="json").status_code == 403


def test_staff_phone_masked_and_reveal_audited(world) -> None:
    staff = make_staff(world.unit_a, phone="13812345678")
    body = api(world.liaison_a).get(f"/api/v1/org/staff/{staff.pk}/").json()
    assert body["phone_masked"] == "138****5678" and "phone" not in body
    assert api(world.liaison_a).post(f"/api/v1/org/staff/{staff.pk}/phone/").json() == {"phone": "13812345678"}
    assert api(world.liaison_b).post(f"/api/v1/org/staff/{staff.pk}/phone/").status_code == 404


def test_liaison_cannot_create_staff_in_another_unit(world) -> None:
    response = api(world.liaison_a).post(
        "/api/v1/org/staff/", {"name": "越权", "unit": world.unit_b.pk, "role_in_unit": "staff"}, format="json"
    )
    assert response.status_code == 400 and "unit" in response.json()
    response = api(world.liaison_a).post(
        "/api/v1/org/staff/", {"name": "本单位", "unit": world.division_a.pk, "role_in_unit": "staff"}, format="json"
    )
    assert response.status_code == 201


def test_token_scope_and_expiry(world) -> None:
    _token, raw = token_create(
        actor=world.admin, user=world.office, name="对接", scopes=["org:read"], expires_at=timezone.now() + timedelta(days=30)
    )
    client = api(token=raw)
    assert client.get("/api/v1/org/units/").status_code == 200
    # the scope is read only: writing is refused even though the user may write
    response = client.post("/api/v1/org/enterprises/", {"name": "x", "credit_code": credit_code(5)}, format="json")
    assert response.status_code == 403
    assert not Enterprise.objects.exists()
    assert api(token="xn_wrong").get("/api/v1/org/units/").status_code == 401
    expired, raw_expired = token_create(
        actor=world.admin, user=world.office, name="旧", scopes=["org:read"], expires_at=timezone.now() + timedelta(seconds=1)
    )
    type(expired).objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api(token=raw_expired).get("/api/v1/org/units/").status_code == 401


def test_schema_and_docs_are_served(world) -> None:
    from django.test import Client

    client = Client()
    client.force_login(world.office)
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/org/units/" in paths and "/api/v1/core/working-days/" in paths
    assert client.get("/api/docs/").status_code == 200


def test_working_days_endpoint(world) -> None:
    client = api(world.liaison_a)
    assert client.get("/api/v1/core/working-days/?start=2026-02-13&days=2").json() == {
        "start": "2026-02-13",
        "days": 2,
        "end": "2026-02-24",
    }
    assert client.get("/api/v1/core/working-days/?start=2026-09-30&end=2026-10-09").json()["days"] == 2
    unknown = client.get("/api/v1/core/working-days/?start=2026-12-30&days=5")
    assert unknown.status_code == 422 and "2027" in unknown.json()["detail"]
    assert client.get("/api/v1/core/working-days/?start=2026-02-13").status_code == 400
